import { exitCodes, type CliCommand } from '../command.js';
import { clientFor, defineCommand, parseCommandLine, parseCountOption, programName, urlHelp, urlOption, type CommandDeps } from '../cli-support.js';

const maxLines = 10_000;

/** `logs [-n N] [-f]`: the last lines of server.log, optionally followed (reconnecting with Last-Event-ID). */
export function logsCommand(deps: CommandDeps): CliCommand {
  return defineCommand({
    name: 'logs',
    summary: 'Print (and follow) the main server log',
    help: [
      `Usage: ${programName} logs [-n N] [-f] [--url URL]`,
      '',
      "Prints the last lines of the main server's log (secrets redacted by the supervisor).",
      '',
      `  -n, --lines N   how many past lines (default 50, at most ${maxLines})`,
      '  -f, --follow    keep printing new lines until interrupted; survives a supervisor restart',
      urlHelp,
    ].join('\n'),
    async run(argv, io) {
      const { values } = parseCommandLine(
        argv,
        { ...urlOption, lines: { type: 'string', short: 'n' }, follow: { type: 'boolean', short: 'f' } },
        { min: 0, max: 0 },
      );
      const lines = parseCountOption('-n', values.lines, 50, maxLines);
      const client = clientFor(values.url, io, deps);
      for await (const event of client.logs({ lines, follow: values.follow ?? false })) {
        if (event.kind === 'error') {
          io.err(`${programName} logs: ${event.error}`);
          return exitCodes.failed;
        }
        io.out(event.line);
      }
      return exitCodes.ok;
    },
  });
}
