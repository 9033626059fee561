import { exitCodes, type CliCommand } from '../command.js';
import { clientFor, defineCommand, parseCommandLine, programName, urlHelp, urlOption, type CommandDeps } from '../cli-support.js';
import type { SupervisorClient } from '../../client/supervisor-client.js';
import type { CurrentModelInfo, SupervisorStatus } from '../../client/supervisor-types.js';
import { formatStatus } from '../views.js';

// Status carries only what the model cache holds (it never waits on Anthropic). When that says nothing of the model's
// lifecycle, the models route is asked, at most `waitMs` (CommandDeps.modelInfoWaitMs); failing that, status's own
// word stands.
async function modelInfo(client: SupervisorClient, status: SupervisorStatus, waitMs: number): Promise<CurrentModelInfo | null> {
  const known = status.default_model_info ?? null;
  if (status.default_model === null || (known !== null && known.lifecycle !== null)) return known;
  try {
    const models = await client.models({ signal: AbortSignal.timeout(waitMs) });
    return models.current_model_info ?? known;
  } catch {
    return known;
  }
}

/** `status [--json]`: the supervisor's and the server's state over HTTP; exit 3 when the supervisor does not answer. */
export function statusCommand(deps: CommandDeps): CliCommand {
  return defineCommand({
    name: 'status',
    summary: 'Show the supervisor and main server state',
    help: [
      `Usage: ${programName} status [--json] [--url URL]`,
      '',
      'Shows the main server state, uptime, pid, restarts, last exit and model, and whether that model is',
      'deprecated, retired or unknown (and what replaces it).',
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
      if (values.json) {
        io.out(JSON.stringify(status, null, 2));
        return exitCodes.ok;
      }
      io.out(formatStatus(status, client.baseUrl, await modelInfo(client, status, deps.modelInfoWaitMs)));
      return exitCodes.ok;
    },
  });
}
