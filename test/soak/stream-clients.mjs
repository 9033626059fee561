// The soak's long-lived clients of /supervisor/logs and /supervisor/events. Each is one logical client across many
// connections: it is dropped (by the soak, by the supervisor when it stalls, by a supervisor's death) and resumes with
// the last id it got as Last-Event-ID, and everything it receives is checked as one stream.
import { createEventStreamCheck } from './event-checks.mjs';
import { historyHolds, linesOnDisk, oldestHistorySeq } from './log-disk.mjs';
import { createLogStreamCheck } from './log-stream-check.mjs';
import { openStream } from './sse-connection.mjs';

/** @typedef {import('./soak-context.mjs').SoakContext} SoakContext */

/**
 * @typedef {object} StreamClient
 * @property {string} name
 * @property {() => boolean} connected
 * @property {(reconnectAfterMs: number) => void} drop cut the connection; resume after that long
 * @property {(withinMs: number, reconnectAfterMs: number) => Promise<boolean>} dropInLine cut the connection between
 *   two pieces of a long line, if one arrives within `withinMs` (true: it did)
 * @property {(ms: number) => Promise<void>} stall stop reading for `ms` (the supervisor may drop it as a slow client)
 * @property {() => void} retire close for good
 * @property {() => Record<string, number>} counts
 */

/**
 * Runs a client of `path`: connects at once, reconnects whenever a connection ends, until retired or the run ends.
 * `first` is the query of the very first connection; later ones resume with Last-Event-ID when there is one.
 * @param {SoakContext} ctx
 * @param {{ name: string, path: string, first: string, onEvent: (id: string | undefined, data: string) => void, onConnect: (resumeAfter: number | null) => void, lastId: () => number | null, inLine?: () => boolean }} spec
 * @returns {StreamClient}
 */
function runClient(ctx, { name, path, first, onEvent, onConnect, lastId, inLine = () => false }) {
  /** @type {import('./sse-connection.mjs').StreamConnection | null} */
  let connection = null;
  let retired = false;
  let stalled = false;
  let reconnectAfterMs = 0;
  /** @type {((dropped: boolean) => void) | null} armed by dropInLine */
  let dropWhenInLine = null;
  /** @type {NodeJS.Timeout | null} */
  let timer = null;
  const counts = { connections: 0, refused: 0, endedBySupervisor: 0, droppedBySoak: 0, stalls: 0 };

  const connect = () => {
    timer = null;
    if (retired || ctx.ending) return;
    const resumeAfter = lastId();
    const scan = ctx.leaks.stream();
    const url = `${ctx.apiUrl}${path}${resumeAfter === null ? first : ''}`;
    connection = openStream({
      url,
      lastEventId: resumeAfter === null ? null : String(resumeAfter),
      onOpen: (status) => {
        if (status !== 200) return;
        counts.connections += 1;
        onConnect(resumeAfter);
      },
      onText: (text) => {
        ctx.checks.scannedBytes += text.length;
        const leak = scan.push(text);
        if (leak) ctx.violation('secrets', `a planted secret in ${path}`, { client: name, fragment: leak.fragment, context: leak.context });
      },
      onEvent: (event) => {
        onEvent(event.id, event.data);
        if (dropWhenInLine && inLine()) {
          const done = dropWhenInLine;
          dropWhenInLine = null;
          connection?.drop();
          done(true);
        }
      },
      onEnd: (why) => {
        connection = null;
        if (why === 'dropped by the soak') counts.droppedBySoak += 1;
        else if (why.startsWith('error')) counts.refused += 1;
        else counts.endedBySupervisor += 1;
        if (retired || ctx.ending) return;
        const delay = why === 'dropped by the soak' ? reconnectAfterMs : why.startsWith('error') ? 200 : ctx.clientPrng.int(50, 1_000);
        // A stalled client notices only once it reads again.
        if (!stalled) timer = setTimeout(connect, delay);
      },
    });
  };
  connect();

  return {
    name,
    connected: () => connection !== null && !stalled,
    drop(ms) {
      reconnectAfterMs = ms;
      connection?.drop();
    },
    dropInLine(withinMs, ms) {
      reconnectAfterMs = ms;
      return new Promise((resolve) => {
        dropWhenInLine = resolve;
        // Resolved either way (a second dropInLine may have taken the slot meanwhile; resolving twice is a no-op).
        setTimeout(() => {
          if (dropWhenInLine === resolve) dropWhenInLine = null;
          resolve(false);
        }, withinMs);
      });
    },
    async stall(ms) {
      const stalledConnection = connection;
      if (!stalledConnection) return;
      counts.stalls += 1;
      stalled = true;
      stalledConnection.pause();
      await new Promise((resolve) => setTimeout(resolve, ms));
      stalled = false;
      if (stalledConnection.ended()) {
        if (!retired && !ctx.ending && timer === null) timer = setTimeout(connect, 0);
      } else stalledConnection.resume();
    },
    retire() {
      retired = true;
      if (timer) clearTimeout(timer);
      connection?.drop();
    },
    counts: () => ({ ...counts }),
  };
}

/**
 * A logical client of GET /supervisor/logs, checked by test/soak/log-stream-check.mjs; what it finds missing is
 * judged against the files on disk at once.
 * @param {SoakContext} ctx
 * @param {{ name: string, lines: number }} options
 */
export function startLogClient(ctx, { name, lines }) {
  const check = createLogStreamCheck();
  const client = runClient(ctx, {
    name,
    path: '/supervisor/logs',
    first: `?lines=${lines}`,
    lastId: () => check.lastId(),
    inLine: () => check.inLine(),
    onConnect: (resumeAfter) => check.connected(resumeAfter),
    onEvent: (id, data) => {
      /** @type {{ line?: string, error?: string }} */
      let body;
      try {
        body = JSON.parse(data);
      } catch {
        ctx.violation('log resume', 'a log event whose data is not JSON', { client: name, data: data.slice(0, 80) });
        return;
      }
      if (typeof body.line !== 'string') return;
      for (const finding of check.line(id, body.line)) judgeLogFinding(ctx, name, finding);
      check.completed((key) => ctx.seenLines.add(key));
    },
  });
  return { ...client, counts: () => ({ ...client.counts(), ...check.counts() }) };
}

/**
 * What a log finding means, judged against the files: missing bytes that are on disk are a violation; missing bytes
 * that no file holds were lost in the rotation window (while following) or rotated out before a resume.
 * @param {SoakContext} ctx
 * @param {string} client
 * @param {import('./log-stream-check.mjs').LogFinding} finding
 */
function judgeLogFinding(ctx, client, finding) {
  if (finding.kind === 'violation') {
    ctx.violation('log resume', finding.what, { client, ...finding.detail });
    return;
  }
  const ks = finding.kind === 'gap' ? finding.ks : [finding.k];
  const onDisk = linesOnDisk(ctx.logDir, ctx.logBackups, finding.writer, ks);
  const there = ks.filter((k) => onDisk.get(k) !== 'absent');
  if (finding.kind === 'gap') {
    if (there.length > 0) {
      const how = finding.atResume ? 'a resume' : 'a following client';
      ctx.violation('log resume', `${how} skipped log lines that are on disk`, { client, writer: finding.writer, skipped: ks, onDisk: there });
    } else if (finding.atResume) ctx.lost.rotatedOut += ks.length;
    else {
      ctx.lost.window += ks.length;
      ctx.lostLines.push({ writer: finding.writer, ks, what: `skipped by ${client} while following` });
    }
    return;
  }
  const whole = onDisk.get(finding.k) === 'complete';
  if (finding.kind === 'torn') {
    if (whole) ctx.violation('log resume', 'a log line stopped short in the stream although it is whole on disk', { client, line: `${finding.writer}:${finding.k}` });
    else {
      ctx.lost.torn += 1;
      ctx.lostLines.push({ writer: finding.writer, ks: [finding.k], what: `cut short for ${client}` });
    }
    return;
  }
  if (whole) {
    ctx.violation('log resume', 'pieces of a log line missing or repeated although it is whole on disk', { client, line: `${finding.writer}:${finding.k}`, missing: finding.missing, repeated: finding.repeated });
  } else if (finding.repeated.length > 0) {
    ctx.violation('log resume', 'pieces of a log line repeated', { client, line: `${finding.writer}:${finding.k}`, repeated: finding.repeated });
  } else {
    ctx.lost.cellsLost += 1;
    ctx.lostLines.push({ writer: finding.writer, ks: [finding.k], what: `received partly by ${client}` });
  }
}

/**
 * A logical client of GET /supervisor/events: ids strictly increasing, no gap unless history.jsonl no longer holds
 * the missing events (it keeps the newest 1,000), each seq the same event as everywhere else.
 * @param {SoakContext} ctx
 * @param {{ name: string }} options
 */
export function startEventsClient(ctx, { name }) {
  const check = createEventStreamCheck(ctx.ledger);
  const client = runClient(ctx, {
    name,
    path: '/supervisor/events',
    first: '',
    lastId: () => check.lastId(),
    onConnect: (resumeAfter) => check.connected(resumeAfter),
    onEvent: (id, data) => {
      for (const finding of check.event(id, data)) {
        if (finding.kind === 'violation') ctx.violation('events seq', finding.what, { client: name, ...finding.detail });
        else if ((oldestHistorySeq(ctx.logDir) ?? Infinity) > finding.to) ctx.lost.eventsTrimmed += finding.to - finding.from + 1;
        else {
          const inFile = historyHolds(ctx.logDir, finding.from, finding.to);
          ctx.violation('events seq', inFile ? 'the events stream skipped events that history.jsonl holds' : 'a gap in event seq', { client: name, from: finding.from, to: finding.to });
        }
      }
    },
  });
  return { ...client, counts: () => ({ ...client.counts(), ...check.counts() }) };
}
