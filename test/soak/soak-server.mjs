// The main server of the chaos soak, steered over HTTP by the soak (test/soak/soak-run.mjs):
//   GET /api/health               200 {status, pid, default_model}
//   GET /flood?lines=N&long=P     prints N flood lines (test/soak/flood-lines.mjs), each longer than 64 KiB with
//                                 probability P, with planted secrets; answers {writer, from, to} (the line numbers)
// It refuses to start (exit 3) when config.yaml's default_model begins with `claude-broken-`, so a config change can
// be made to fail and roll back. One start in four leaves a grandchild that ignores SIGTERM in its process group, so
// a stop has to escalate to SIGKILL and a crash leaves something behind for the supervisor to clean up.
// Env: PORT, PARACHUTE_CONFIG (from the supervisor), SOAK_SEED (the soak's seed, for the secrets).
import { spawn } from 'node:child_process';
import { readFileSync, writeSync } from 'node:fs';
import { createServer } from 'node:http';
import { floodLine } from './flood-lines.mjs';
import { plantedSecrets } from './planted-secrets.mjs';
import { createPrng } from './prng.mjs';

const seed = Number(process.env.SOAK_SEED ?? 0);
const prng = createPrng((seed ^ Math.imul(process.pid, 2654435761)) >>> 0);
const { forms } = plantedSecrets(seed);
const model = /^default_model:\s*(\S+)/m.exec(readFileSync(String(process.env.PARACHUTE_CONFIG), 'utf8'))?.[1] ?? null;

/** @param {string} text */
function print(text) {
  const bytes = Buffer.from(text);
  let done = 0;
  while (done < bytes.length) done += writeSync(1, bytes, done, bytes.length - done);
}

if (model?.startsWith('claude-broken-')) {
  print(`soak fixture pid ${process.pid} refuses to start with default_model ${model}\n`);
  process.exit(3);
}
if (prng.chance(0.25)) {
  // `trap "" TERM` makes sh ignore SIGTERM, and an ignored signal stays ignored across exec.
  spawn('/bin/sh', ['-c', 'trap "" TERM; exec sleep 86400'], { stdio: 'ignore' });
} else {
  spawn('sleep', ['86400'], { stdio: 'ignore' });
}

// Pids are reused; the writer's name is not.
const writer = `${process.pid}x${prng.chars('abcdefghijklmnopqrstuvwxyz0123456789', 6)}`;
let k = 0;
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname === '/api/health') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok', version: 'soak-1', pid: process.pid, default_model: model }));
    return;
  }
  if (url.pathname === '/flood') {
    const lines = Math.min(Number(url.searchParams.get('lines') ?? 10), 10_000);
    const long = Number(url.searchParams.get('long') ?? 0);
    const from = k;
    let batch = '';
    for (let i = 0; i < lines; i += 1) {
      const isLong = prng.chance(long);
      const cells = isLong ? prng.int(1_100, 5_000) : prng.int(1, 30);
      batch += `${floodLine({ writer, k, cells, secrets: forms, prng, secretEvery: isLong ? 40 : 12 })}\n`;
      k += 1;
      // Short lines go out in writes of about 64 KiB, as a busy server's would; a long line in one write.
      if (batch.length > 64 * 1024) {
        print(batch);
        batch = '';
      }
    }
    if (batch) print(batch);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ writer, from, to: k - 1 }));
    return;
  }
  res.writeHead(404);
  res.end();
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => print(`soak fixture pid ${process.pid} listening on ${process.env.PORT} with ${model}\n`));
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
