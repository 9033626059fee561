// Runs CLI commands in-process through the executable's dispatch (src/cli/cli.ts main), capturing output and exit code.
import type { CliIo } from '../../src/cli/command.js';
import type { CommandDeps } from '../../src/cli/cli-support.js';
import { main } from '../../src/cli/cli.js';
import { createCommands } from '../../src/cli/commands/index.js';
import type { ServiceHost } from '../../src/service/install.js';

/** What one CLI run printed and returned. */
export interface CliRun {
  code: number;
  /** stdout, one entry per out() call (each a whole line or block). */
  lines: string[];
  out: string;
  err: string;
}

/** Test dependencies: fast polls, short waits, and a service host that must be given when a test needs one. */
export function testDeps(overrides: Partial<CommandDeps> = {}): CommandDeps {
  return {
    client: { timeoutMs: 5_000, reconnectDelayMs: 10 },
    pollIntervalMs: 10,
    daemonWaitMs: 2_000,
    modelInfoWaitMs: 300,
    serviceHost: (): ServiceHost => {
      throw new Error('this test gave no service host');
    },
    ...overrides,
  };
}

/** Runs `parachute-supervisor ...argv` with only `env` as environment (nothing leaks in from the test process). */
export async function runCommand(argv: string[], options: { env?: NodeJS.ProcessEnv; deps?: Partial<CommandDeps>; onOut?: (text: string) => void } = {}): Promise<CliRun> {
  const lines: string[] = [];
  const errors: string[] = [];
  const io: CliIo = {
    out: (text) => {
      lines.push(text);
      options.onOut?.(text);
    },
    err: (text) => void errors.push(text),
    env: options.env ?? {},
  };
  const code = await main(argv, io, createCommands(testDeps(options.deps)));
  return { code, lines, out: lines.map((l) => `${l}\n`).join(''), err: errors.map((l) => `${l}\n`).join('') };
}
