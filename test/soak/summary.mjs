// The soak's summary: Markdown tables (readable in a terminal, and pasted as they are into test/bench/RESULTS.md).

/** Which invariant rows the violation names of a run belong to. */
const rows = [
  { names: ['server processes', 'adoption'], label: 'at most one server process group alive, and it is the one status names; no orphan (after a stop, at shutdown, ever); a server left by a killed supervisor is adopted' },
  { names: ['config'], label: 'config.yaml always parses and holds only values a PUT was answered 200 for (or the rolled-back file)' },
  { names: ['log resume'], label: 'log streams: no line duplicated or skipped, across resumes, pieces and rotation, except the documented rotation window' },
  { names: ['history seq', 'events seq'], label: 'history `seq` strictly increasing without gaps; `/supervisor/events` ids the same; one seq, one event' },
  { names: ['secrets'], label: 'no planted secret (no 8-character fragment) in any answer, stream, or the supervisor\'s output' },
  { names: ['supervisor resources'], label: 'supervisor RSS and open fds within their bounds' },
  { names: ['answers', 'shutdown', 'soak itself'], label: 'every request answered; exit 0 on SIGTERM; the soak itself ran as planned' },
];

/** @param {number} n */
const int = (n) => Math.round(n).toLocaleString('en-US');
/** @param {number} bytes */
const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** @param {number[]} values @param {number} q */
export function percentile(values, q) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return /** @type {number} */ (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]);
}

/**
 * The summary of one run as Markdown lines.
 * @param {any} r what runSoak returned
 * @param {{ machine: string }} context
 * @returns {string[]}
 */
export function formatSummary(r, { machine }) {
  const byInvariant = (/** @type {string[]} */ names) => r.violations.filter((/** @type {{ invariant: string }} */ v) => names.includes(v.invariant)).length;
  const c = r.checks;
  const logs = r.streams.logs;
  const events = r.streams.events;
  const checked = [
    `${int(c.processes)} /proc scans between two status reads`,
    `${int(c.config)} reads of config.yaml, ${int(countPuts(r.outcomes))} PUTs`,
    `${int(logs.events ?? 0)} log events (${int(logs.lines ?? 0)} whole flood lines, ${int(logs.pieces ?? 0)} pieces), ${int(logs.resumes ?? 0)} resumes (${int(logs.resumesInLine ?? 0)} inside a long line)`,
    `${int(events.events ?? 0)} events streamed, ${int(events.resumes ?? 0)} resumes, ${int(c.history)} history answers`,
    `${(c.scannedBytes / 1e6).toFixed(1)} MB scanned`,
    `${int(c.resourceSamples)} samples`,
    '',
  ];
  const lines = [
    `- Seed ${r.seed}: \`npm run soak -- --minutes ${r.minutes} --seed ${r.seed}\` makes the same choices again (the timing is the machine's).`,
    `- ${(r.chaosMs / 60_000).toFixed(1)} min of chaos, ${int(r.opsStarted)} operations (bound ${int(r.maxOps)}), ${r.daemons} supervisors (each SIGKILLed and replaced but the last, which got SIGTERM).`,
    `- ${machine}; load average ${r.load.start} at start, ${r.load.end} at the end (1, 5, 15 min; other engineers' tests share the machine).`,
    '',
    '| invariant | checked | violations |',
    '|---|---|--:|',
    ...rows.map((row, i) => `| ${row.label} | ${checked[i]} | ${byInvariant(row.names)} |`),
    `| **all** | | **${r.violations.length}** |`,
    '',
    '| operation | count | outcomes |',
    '|---|--:|---|',
    ...[...r.outcomes].sort(([a], [b]) => a.localeCompare(b)).map(([kind, outcomes]) => {
      const total = [...outcomes.values()].reduce((s, n) => s + n, 0);
      const detail = [...outcomes].sort((a, b) => b[1] - a[1]).map(([what, n]) => `${what} ${int(n)}`).join(', ');
      return `| ${kind} | ${int(total)} | ${detail} |`;
    }),
    '',
    ...measures(r),
  ];
  return lines;
}

/** @param {Map<string, Map<string, number>>} outcomes */
function countPuts(outcomes) {
  let n = 0;
  for (const [kind, byOutcome] of outcomes) if (kind.startsWith('PUT')) for (const count of byOutcome.values()) n += count;
  return n;
}

/** @param {any} r */
function measures(r) {
  const a = r.availability;
  const first = r.resources[0];
  const last = r.resources.at(-1);
  const maxRss = Math.max(0, ...r.resources.map((/** @type {{ maxRss: number }} */ x) => x.maxRss));
  const maxFds = Math.max(0, ...r.resources.map((/** @type {{ maxFds: number }} */ x) => x.maxFds));
  const longest = [...r.resources].filter((x) => x.first && x.last).sort((x, y) => y.last.atMs - y.first.atMs - (x.last.atMs - x.first.atMs))[0];
  const s = r.statusMs;
  return [
    '| measure | value |',
    '|---|---|',
    a
      ? `| availability of the main server (GET /api/health every 50 ms, a new connection each) | **${((100 * a.ok) / Math.max(1, a.sent)).toFixed(2)} %** (${int(a.ok)} of ${int(a.sent)} answered 200; refused ${int(a.refused)}, reset ${int(a.reset)}, other ${int(a.other)}; longest outage ${(a.outageMs / 1000).toFixed(1)} s) |`
      : '| availability of the main server | not measured (the run stopped early) |',
    `| status latency (${int(s.length)} answered) | p50 ${percentile(s, 0.5).toFixed(1)} ms, **p99 ${percentile(s, 0.99).toFixed(1)} ms**, max ${Math.max(0, ...s).toFixed(0)} ms |`,
    first && last && first.first && last.last
      ? `| supervisor RSS (bound ${mib(r.bounds.rssBytes)}) | start ${mib(first.first.rss)} (supervisor 1), end ${mib(last.last.rss)} (supervisor ${last.index}), max ${mib(maxRss)} |`
      : '| supervisor RSS | no sample |',
    first && last && first.first && last.last
      ? `| supervisor open fds (bound ${r.bounds.fds}) | start ${first.first.fds}, end ${last.last.fds}, max ${maxFds} |`
      : '| supervisor open fds | no sample |',
    longest
      ? `| longest-lived supervisor (${longest.index}, ${((longest.last.atMs - longest.first.atMs) / 60_000).toFixed(1)} min) | RSS ${mib(longest.first.rss)} → ${mib(longest.last.rss)}, fds ${longest.first.fds} → ${longest.last.fds} |`
      : '| longest-lived supervisor | no samples |',
    `| log lines flooded (planted secrets, some > 64 KiB) | ${int(r.flooded)}; lost in the rotation window ${int(r.lost.window)}, rotated out before a resume ${int(r.lost.rotatedOut)}, cut short ${int(r.lost.torn)}, received in part ${int(r.lost.cellsLost)} |`,
    `| stream clients | logs: ${int(r.streams.logs.connections ?? 0)} connections, ${int(r.streams.logs.droppedBySoak ?? 0)} dropped by the soak, ${int(r.streams.logs.endedBySupervisor ?? 0)} ended by the supervisor (stalled clients, killed supervisors); events: ${int(r.streams.events.connections ?? 0)} connections; ${int(r.lost.eventsTrimmed)} events trimmed from history before a resume |`,
    `| config PUTs without an answer (supervisor killed under them) | ${int(r.config.interrupted)}, of which ${int(r.config.interruptedLeftInFile)} had written their value |`,
  ];
}

/**
 * The violations, one line each (what, when, where), for the end of the output.
 * @param {any} r
 * @returns {string[]}
 */
export function formatViolations(r) {
  return r.violations.map(
    (/** @type {import('./soak-context.mjs').Violation} */ v) => `- [${v.invariant}] +${(v.atMs / 1000).toFixed(1)} s (${v.at}): ${v.what}${v.seen > 1 ? ` (found again by ${v.seen - 1} later checks)` : ''} ${JSON.stringify(v.detail).slice(0, 1_000)}`,
  );
}
