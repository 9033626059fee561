#!/usr/bin/env node
import type { CliIo } from './command.js';

// A reader that goes away (`parachute-supervisor logs -f | head`) ends the CLI quietly, not with an EPIPE trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const io: CliIo = { out: (t) => console.log(t), err: (t) => console.error(t), env: process.env };
const argv = process.argv.slice(2);
const code = argv[0] === 'serve' ? await runDaemon(argv) : await import('./cli.js').then(({ main }) => main(argv, io));

// The daemon runs from one bundled file (built next to this one by `npm run build`): loading ~300 separate modules
// costs it several MiB of resident memory for as long as it runs (README, "How it is built").
async function runDaemon(args: string[]): Promise<number> {
  const bundle = new URL('./serve.bundle.mjs', import.meta.url).href;
  const { runServe } = (await import(bundle)) as typeof import('./serve-main.js');
  return runServe(args, io);
}

// Exit explicitly once stdout has drained: stray handles (sockets, timers) must not keep a finished CLI alive.
process.stdout.write('', () => process.exit(code));
