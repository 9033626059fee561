#!/usr/bin/env node
import type { CliIo } from './command.js';
import { main } from './cli.js';

const io: CliIo = { out: (t) => console.log(t), err: (t) => console.error(t), env: process.env };
// Exit explicitly: the code is decided, and stray handles (sockets, timers) must not keep a finished CLI alive.
process.exit(await main(process.argv.slice(2), io));
