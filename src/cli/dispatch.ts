import { supervisorVersion } from '../version.js';
import { UsageError, exitCodes, usageErrorText, type CliCommand, type CliIo } from './command.js';

function usage(list: readonly CliCommand[]): string {
  const width = Math.max(...list.map((c) => c.name.length));
  return [
    'Usage: parachute-supervisor <command> [options]',
    '',
    ...list.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run a command with --help for its options; --version prints the version.',
    'Exit codes: 0 ok, 1 the operation failed, 2 usage error, 3 the supervisor is not reachable.',
  ].join('\n');
}

/** Runs the command `argv` names from `list` and resolves to its exit code; usage errors exit 2. */
export async function dispatch(argv: string[], io: CliIo, list: readonly CliCommand[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage(list));
    return name ? exitCodes.ok : exitCodes.usage;
  }
  if (name === '--version' || name === '-V') {
    io.out(supervisorVersion);
    return exitCodes.ok;
  }
  const command = list.find((c) => c.name === name);
  if (!command) {
    io.err(`parachute-supervisor: unknown command ${JSON.stringify(name)}\n\n${usage(list)}`);
    return exitCodes.usage;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(usageErrorText(name, error.message));
      return exitCodes.usage;
    }
    io.err(`parachute-supervisor ${name}: ${(error as Error).message}`);
    return exitCodes.failed;
  }
}
