import type { SupervisorClient } from '../../client/supervisor-client.js';
import type { MainServerStatus, ServerAction } from '../../client/supervisor-types.js';
import { UsageError, exitCodes, type CliCommand, type CliIo } from '../command.js';
import { clientFor, defineCommand, delay, parseCommandLine, programName, urlHelp, urlOption, type CommandDeps } from '../cli-support.js';
import { formatServerLine } from '../views.js';

const actions: readonly ServerAction[] = ['start', 'stop', 'restart'];
const progressWords: Record<ServerAction, string> = { start: 'Starting', stop: 'Stopping', restart: 'Restarting' };

/** `server start|stop|restart [--no-wait]`: a lifecycle command over HTTP, showing the states passed until it is done. */
export function serverCommand(deps: CommandDeps): CliCommand {
  return defineCommand({
    name: 'server',
    summary: 'Start, stop or restart the main server (start|stop|restart)',
    help: [
      `Usage: ${programName} server start|stop|restart [--no-wait] [--url URL]`,
      '',
      'Asks the supervisor to start, stop or restart the main server and waits until it is running (or stopped),',
      'showing the states it passes through.',
      '',
      '  --no-wait     return as soon as the supervisor accepted the command',
      urlHelp,
      '',
      'Exit codes: 0 done, 1 the command failed (e.g. the server did not become healthy), 3 supervisor not reachable.',
    ].join('\n'),
    async run(argv, io) {
      const { values, positionals } = parseCommandLine(argv, { ...urlOption, 'no-wait': { type: 'boolean' } }, { min: 1, max: 1 });
      const action = positionals[0] as ServerAction;
      if (!actions.includes(action)) throw new UsageError(`unknown action ${JSON.stringify(action)}: expected start, stop or restart`);
      const client = clientFor(values.url, io, deps);
      if (values['no-wait']) {
        const accepted = await client.serverCommand(action, { wait: false });
        io.out(accepted.message ?? `${action} requested`);
        io.out(`Follow it with '${programName} status'.`);
        return exitCodes.ok;
      }
      io.out(`${progressWords[action]} the main server...`);
      const stopWatching = new AbortController();
      const watching = showProgress(client, io, deps.pollIntervalMs, stopWatching.signal);
      let result;
      try {
        result = await client.serverCommand(action);
      } finally {
        // Stop polling before the result is printed, so no progress line comes after it.
        stopWatching.abort();
        await watching;
      }
      io.out(`${result.message}: ${formatServerLine(result.status)}`);
      return exitCodes.ok;
    },
  });
}

// Polls status while the command runs and prints each new state, so a slow start shows what it is waiting for.
async function showProgress(client: SupervisorClient, io: CliIo, intervalMs: number, signal: AbortSignal): Promise<void> {
  let last: MainServerStatus | undefined;
  while (!signal.aborted) {
    try {
      const status = await client.status({ signal });
      if (!signal.aborted && status.main_server_status !== last) {
        last = status.main_server_status;
        io.out(`  ${formatServerLine(status)}`);
      }
      await delay(intervalMs, signal);
    } catch {
      // Progress is best effort: the command's own answer decides the outcome.
      if (signal.aborted) return;
      await delay(intervalMs, signal).catch(() => undefined);
    }
  }
}
