import { exitCodes, type CliCommand } from '../command.js';
import { clientFor, defineCommand, parseCommandLine, programName, urlHelp, urlOption, type CommandDeps } from '../cli-support.js';
import { formatStatus } from '../views.js';

/** `status [--json]`: the supervisor's and the server's state over HTTP; exit 3 when the supervisor does not answer. */
export function statusCommand(deps: CommandDeps): CliCommand {
  return defineCommand({
    name: 'status',
    summary: 'Show the supervisor and main server state',
    help: [
      `Usage: ${programName} status [--json] [--url URL]`,
      '',
      'Shows the main server state, uptime, pid, restarts, last exit and model.',
      '',
      '  --json        print the raw status object',
      urlHelp,
      '',
      'Exit codes: 0 the supervisor answered (whatever the server state), 3 the supervisor is not reachable.',
    ].join('\n'),
    async run(argv, io) {
      const { values } = parseCommandLine(argv, { ...urlOption, json: { type: 'boolean' } }, { min: 0, max: 0 });
      const client = clientFor(values.url, io, deps);
      const status = await client.status();
      io.out(values.json ? JSON.stringify(status, null, 2) : formatStatus(status, client.baseUrl));
      return exitCodes.ok;
    },
  });
}
