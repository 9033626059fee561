import type { CliCommand, CliIo } from './command.js';
import { commands as clientCommands } from './commands/index.js';
import { dispatch } from './dispatch.js';
import { serveCommand } from './serve.js';

/** Every subcommand; `serve` runs the daemon, the rest talk to it over HTTP. */
export const commands: CliCommand[] = [serveCommand(), ...clientCommands];

/** Runs the CLI and resolves to its exit code; tests pass their own command list. */
export function main(argv: string[], io: CliIo, list: readonly CliCommand[] = commands): Promise<number> {
  return dispatch(argv, io, list);
}
