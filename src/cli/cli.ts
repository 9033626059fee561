import type { CliCommand, CliIo } from './command.js';
import { commands as clientCommands } from './commands/index.js';
import { dispatch } from './dispatch.js';
import { serveSummary } from './serve-summary.js';

// The daemon's modules load only when `serve` runs: a one-request client command does not pay for them.
const serve: CliCommand = {
  name: 'serve',
  summary: serveSummary,
  run: async (argv, io) => (await import('./serve.js')).serveCommand().run(argv, io),
};

/** Every subcommand; `serve` runs the daemon, the rest talk to it over HTTP. */
export const commands: CliCommand[] = [serve, ...clientCommands];

/** Runs the CLI and resolves to its exit code; tests pass their own command list. */
export function main(argv: string[], io: CliIo, list: readonly CliCommand[] = commands): Promise<number> {
  return dispatch(argv, io, list);
}
