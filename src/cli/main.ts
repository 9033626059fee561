#!/usr/bin/env node
import type { CliIo } from './command.js';
import { main } from './cli.js';

// A reader that goes away (`parachute-supervisor logs -f | head`) ends the CLI quietly, not with an EPIPE trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const io: CliIo = { out: (t) => console.log(t), err: (t) => console.error(t), env: process.env };
const code = await main(process.argv.slice(2), io);
// Exit explicitly once stdout has drained: stray handles (sockets, timers) must not keep a finished CLI alive.
process.stdout.write('', () => process.exit(code));
