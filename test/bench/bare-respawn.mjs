// The floor of crash recovery: the smallest possible supervisor. Respawns its command the moment it exits, with no
// backoff, no health probe, no port check and no bookkeeping. Usage: node bare-respawn.mjs <file> [args...]
import { spawn } from 'node:child_process';

const [file, ...args] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bare-respawn.mjs <file> [args...]');
  process.exit(2);
}
/** @type {import('node:child_process').ChildProcess | null} */
let child = null;
let stopping = false;

function run() {
  child = spawn(/** @type {string} */ (file), args, { stdio: 'inherit' });
  child.once('exit', () => {
    if (!stopping) run();
  });
}

for (const signal of /** @type {const} */ (['SIGTERM', 'SIGINT'])) {
  process.once(signal, () => {
    stopping = true;
    if (!child || child.exitCode !== null || child.signalCode !== null) process.exit(0);
    child.once('exit', () => process.exit(0));
    child.kill('SIGTERM');
  });
}
run();
