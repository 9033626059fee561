import { exitCodes, type CliCommand, type CliIo } from './command.js';
import { programName } from './cli-support.js';

/** Dispatches `argv` (without node and script) to the named command; no command or `--help` prints the overview. */
export async function runCli(argv: string[], io: CliIo, commands: readonly CliCommand[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const target = name === 'help' ? commands.find((command) => command.name === rest[0]) : undefined;
    if (target) return target.run(['--help'], io);
    io.out(overview(commands));
    return name === undefined ? exitCodes.usage : exitCodes.ok;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    io.err(`${programName}: unknown command ${JSON.stringify(name)}`);
    io.err(`Run '${programName} --help' for the list of commands.`);
    return exitCodes.usage;
  }
  return command.run(rest, io);
}

/** The top-level help: every command with its summary, and the exit codes. */
export function overview(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    `Usage: ${programName} <command> [options]`,
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    `Run '${programName} <command> --help' for a command's options.`,
    'Exit codes: 0 ok, 1 the operation failed, 2 usage error, 3 the supervisor is not reachable.',
  ].join('\n');
}
