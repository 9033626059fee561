import { UsageError, exitCodes, type CliCommand, type CliIo } from './command.js';
import { serveCommand } from './serve.js';

/** Every subcommand; `serve` runs the daemon, the rest talk to it over HTTP. */
export const commands: CliCommand[] = [serveCommand()];

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return ['Usage: parachute-supervisor <command> [options]', '', ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`), '', 'Run a command with --help for its options.'].join('\n');
}

/** Runs the CLI and resolves to its exit code. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name ? exitCodes.ok : exitCodes.usage;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`parachute-supervisor: unknown command ${JSON.stringify(name)}\n\n${usage()}`);
    return exitCodes.usage;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`parachute-supervisor ${name}: ${error.message}\nRun "parachute-supervisor ${name} --help" for usage.`);
      return exitCodes.usage;
    }
    io.err(`parachute-supervisor ${name}: ${(error as Error).message}`);
    return exitCodes.failed;
  }
}
