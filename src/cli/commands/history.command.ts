import type { HistoryEvent } from '../../client/supervisor-types.js';
import { exitCodes, type CliCommand } from '../command.js';
import { clientFor, defineCommand, parseCommandLine, parseCountOption, programName, urlHelp, urlOption, type CommandDeps } from '../cli-support.js';
import { formatCrash, formatEventLine, formatHistory } from '../history.views.js';

const maxEvents = 1000;

/** `history [-n 20] [--json] [--crash N]`: what happened to the server, as a table; or one crash with its log tail. */
export function historyCommand(deps: CommandDeps): CliCommand {
  return defineCommand({
    name: 'history',
    summary: 'Show what happened to the main server (starts, crashes, restarts) and why',
    help: [
      `Usage: ${programName} history [-n N] [--json] [--crash N] [--url URL]`,
      '',
      'Prints the newest events of the history, oldest at the top: time, event, pid, code/signal, how long the server',
      'ran, and the reason. Each crash keeps the last lines the server wrote before it died (secrets redacted).',
      '',
      `  -n, --lines N   how many of the newest events (default 20, at most ${maxEvents})`,
      '  --json          print the events as JSON (newest first)',
      "  --crash N       print crash #N (the first column) with the server's last lines before it",
      urlHelp,
    ].join('\n'),
    async run(argv, io) {
      const { values } = parseCommandLine(
        argv,
        { ...urlOption, lines: { type: 'string', short: 'n' }, json: { type: 'boolean' }, crash: { type: 'string' } },
        { min: 0, max: 0 },
      );
      const limit = parseCountOption('-n', values.lines, 20, maxEvents);
      const crashSeq = values.crash === undefined ? null : parseCountOption('--crash', values.crash, 0, Number.MAX_SAFE_INTEGER);
      const client = clientFor(values.url, io, deps);
      if (crashSeq !== null) {
        const { events } = await client.history({ limit: maxEvents });
        const crash = events.find((e): e is Extract<HistoryEvent, { type: 'crashed' }> => e.type === 'crashed' && e.seq === crashSeq);
        if (!crash) {
          const known = events.filter((e) => e.type === 'crashed').map((e) => `#${e.seq}`).slice(0, 10);
          io.err(`${programName} history: no crash #${crashSeq} among the newest ${maxEvents} events${known.length ? ` (crashes: ${known.join(', ')})` : ' (no crashes recorded)'}`);
          return exitCodes.failed;
        }
        io.out(values.json ? JSON.stringify(crash, null, 2) : formatCrash(crash));
        return exitCodes.ok;
      }
      const { events } = await client.history({ limit });
      io.out(values.json ? JSON.stringify(events, null, 2) : formatHistory(events));
      return exitCodes.ok;
    },
  });
}

/** `events [-f] [-n N] [--json]`: the newest events one per line, then (with -f) each new one as it happens. */
export function eventsCommand(deps: CommandDeps): CliCommand {
  return defineCommand({
    name: 'events',
    summary: 'Print (and follow) the history events as they happen',
    help: [
      `Usage: ${programName} events [-f] [-n N] [--json] [--url URL]`,
      '',
      'Prints the newest history events, one per line; with -f keeps printing each new one (server crashed, back up,',
      'gave up, …) until interrupted, resuming after a dropped connection without losing or repeating one.',
      '',
      `  -n, --lines N   how many past events first (default 10, at most ${maxEvents})`,
      '  -f, --follow    keep printing new events',
      '  --json          one JSON object per line',
      urlHelp,
      '',
      'Exit codes: 0 done (or interrupted), 3 the supervisor is not reachable (or went away and did not come back).',
    ].join('\n'),
    async run(argv, io) {
      const { values } = parseCommandLine(
        argv,
        { ...urlOption, lines: { type: 'string', short: 'n' }, follow: { type: 'boolean', short: 'f' }, json: { type: 'boolean' } },
        { min: 0, max: 0 },
      );
      const count = parseCountOption('-n', values.lines, 10, maxEvents);
      const client = clientFor(values.url, io, deps);
      const print = (event: HistoryEvent) => io.out(values.json ? JSON.stringify(event) : formatEventLine(event));
      // The past events and the stream meet at a seq: the stream resumes right after the newest one printed.
      const { events } = await client.history({ limit: Math.max(1, count) });
      const past = count === 0 ? [] : [...events].reverse();
      for (const event of past) print(event);
      if (!values.follow) return exitCodes.ok;
      const newest = events[0]?.seq ?? 0;
      for await (const event of client.events({ lastEventId: String(newest) })) print(event);
      return exitCodes.ok;
    },
  });
}
