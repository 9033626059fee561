// @ts-check
// The bundled demo main server: what the supervisor runs when supervisor.server.command is absent.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parse } from 'yaml';

const port = Number(process.env.PORT ?? 3333);
const configPath = process.env.PARACHUTE_CONFIG;
const startedAt = Date.now();
const version = 'demo-1.0.0';
let served = 0;

/** @param {string} text */
const log = (text) => console.log(`${new Date().toISOString()} [demo] ${text}`);

/** default_model, read from config.yaml on every request like the real server's settings reload. */
function defaultModel() {
  if (!configPath) return null;
  try {
    const config = parse(readFileSync(configPath, 'utf8'));
    return typeof config?.default_model === 'string' ? config.default_model : null;
  } catch {
    return null;
  }
}

const server = createServer((req, res) => {
  served += 1;
  if (req.url === '/api/health') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok', version, uptime: Math.floor((Date.now() - startedAt) / 1000), default_model: defaultModel() }));
    return;
  }
  log(`${req.method} ${req.url}`);
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`Parachute demo server ${version}: up ${Math.floor((Date.now() - startedAt) / 1000)} s, default_model ${defaultModel() ?? '(none)'}\n`);
});

// Handed a listening socket as fd 3 (supervisor.server.socket: inherit; systemd's LISTEN_FDS convention, where a
// LISTEN_PID, if set, must be ours): serve on it instead of binding the port, which the supervisor holds.
const inherited = Number(process.env.LISTEN_FDS) >= 1 && (!process.env.LISTEN_PID || Number(process.env.LISTEN_PID) === process.pid);
const listening = () => `(pid ${process.pid}, default_model ${defaultModel() ?? '(none)'})`;
if (inherited) server.listen({ fd: 3 }, () => log(`listening on the inherited socket (fd 3) for port ${port} ${listening()}`));
else server.listen(port, '127.0.0.1', () => log(`listening on http://127.0.0.1:${port} ${listening()}`));
const heartbeat = setInterval(() => log(`alive, ${served} requests served, default_model ${defaultModel() ?? '(none)'}`), 30_000);

for (const signal of /** @type {const} */ (['SIGTERM', 'SIGINT'])) {
  process.once(signal, () => {
    log(`${signal} received, shutting down`);
    clearInterval(heartbeat);
    // No new connections; the requests under way are answered first (with an inherited socket, the next server
    // process takes whatever queues meanwhile, so a restart cuts nothing).
    server.close(() => process.exit(0));
    // A connection that never finishes its request does not hold the stop up for long.
    setTimeout(() => server.closeAllConnections(), 1_000).unref();
  });
}
