// The supervisor under test: the built CLI's `serve` (npm run build), a real process, started, killed and started
// again by the soak. Its stdout and stderr go to a file per run (scanned for secrets at the end).
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { call } from './http-call.mjs';

/** The built CLI. */
export const builtCli = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

/**
 * @typedef {object} Daemon
 * @property {number} index 1 for the first supervisor of the run, 2 for the one that replaced it, …
 * @property {import('node:child_process').ChildProcess} child
 * @property {number} pid
 * @property {string} outPath
 * @property {Promise<{ code: number | null, signal: string | null }>} exited
 * @property {() => boolean} running
 */

/**
 * Starts `serve` on `port` with `configPath`; resolves once /supervisor/health answers 200.
 * @param {{ dir: string, index: number, port: number, configPath: string, env: NodeJS.ProcessEnv, timeoutMs?: number }} options
 * @returns {Promise<Daemon>}
 */
export async function startDaemon({ dir, index, port, configPath, env, timeoutMs = 30_000 }) {
  const outPath = join(dir, `supervisor-${index}.out`);
  const fd = openSync(outPath, 'a');
  const child = spawn(process.execPath, [builtCli, 'serve', '--port', String(port), '--config', configPath], { stdio: ['ignore', fd, fd], env });
  closeSync(fd);
  let alive = true;
  /** @type {Promise<{ code: number | null, signal: string | null }>} */
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      alive = false;
      resolve({ code, signal });
    }),
  );
  if (child.pid === undefined) throw new Error('the supervisor did not start');
  const daemon = { index, child, pid: child.pid, outPath, exited, running: () => alive };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!alive) throw new Error(`supervisor ${index} exited before it served (see ${outPath})`);
    const answer = await call('GET', `http://127.0.0.1:${port}/supervisor/health`, { timeoutMs: 2_000 });
    if (answer.status === 200) return daemon;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`supervisor ${index} did not answer /supervisor/health within ${timeoutMs} ms (see ${outPath})`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
