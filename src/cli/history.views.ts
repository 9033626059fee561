// Pure text views of the history for the terminal (`history`, `events`).
import type { HistoryEvent } from '../client/supervisor-types.js';

/** `1234` ms → `1.2s`; minutes and hours for longer runs. */
export function formatMs(ms: number): string {
  if (ms < 1_000) return `${ms}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${Math.floor(s % 60)}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

function field<T>(event: HistoryEvent, name: string): T | undefined {
  return (event as Record<string, unknown>)[name] as T | undefined;
}

// The columns of one event: pid, code/signal, ran for, reason (each '-' when the event has none).
function columns(event: HistoryEvent): { pid: string; exit: string; ranFor: string; reason: string } {
  const pid = field<number | null>(event, 'pid');
  const code = field<number | null>(event, 'code');
  const signal = field<string | null>(event, 'signal');
  const ranFor = field<number | null>(event, 'ran_for_ms');
  const exit = event.type === 'crashed' || event.type === 'stopped' ? (signal ? signal : code === null || code === undefined ? '-' : `code ${code}`) : '-';
  let reason = '-';
  switch (event.type) {
    case 'crashed':
      reason = `${event.reason}: ${event.message}`;
      break;
    case 'starting':
    case 'stopping':
      reason = event.cause;
      break;
    case 'running':
      reason = `healthy after ${formatMs(event.took_ms)}`;
      break;
    case 'restart_scheduled':
      reason = `in ${formatMs(event.delay_ms)}`;
      break;
    case 'gave_up':
      reason = `${event.crashes} crashes within ${formatMs(event.period_ms)}`;
      break;
    case 'halted':
      reason = `${event.code}: ${event.message}`;
      break;
    case 'config_applied':
      reason = event.keys.join(', ');
      break;
    case 'config_rolled_back':
      reason = `${event.keys.join(', ')}: ${event.reason}`;
      break;
    case 'supervisor_started':
      reason = `version ${event.version}${event.adopted_pid === null ? '' : `, adopted pid ${event.adopted_pid}`}`;
      break;
  }
  return { pid: pid === null || pid === undefined ? '-' : String(pid), exit, ranFor: ranFor === null || ranFor === undefined ? '-' : formatMs(ranFor), reason };
}

/** `history`: one row per event, oldest at the top, with seq (for `--crash N`), time, event, pid, code/signal, ran for, reason. */
export function formatHistory(events: readonly HistoryEvent[]): string {
  if (events.length === 0) return '(no events yet)';
  const header = ['#', 'time', 'event', 'pid', 'code/signal', 'ran for', 'reason'];
  const rows = [...events].reverse().map((event) => {
    const c = columns(event);
    return [String(event.seq), event.at, event.type, c.pid, c.exit, c.ranFor, c.reason];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** `events`: one line per event, e.g. `2026-… #12 crashed pid 4242 SIGKILL ran 5.0s exit: server was killed by SIGKILL`. */
export function formatEventLine(event: HistoryEvent): string {
  const c = columns(event);
  const parts = [event.at, `#${event.seq}`, event.type];
  if (c.pid !== '-') parts.push(`pid ${c.pid}`);
  if (c.exit !== '-') parts.push(c.exit);
  if (c.ranFor !== '-') parts.push(`ran ${c.ranFor}`);
  if (c.reason !== '-') parts.push(c.reason);
  return parts.join(' ');
}

/** `history --crash N`: the crash, then the lines its run wrote last. */
export function formatCrash(event: Extract<HistoryEvent, { type: 'crashed' }>): string {
  const head = `crash #${event.seq} at ${event.at}: ${formatEventLine(event).split(' ').slice(3).join(' ')}`;
  if (event.log_tail.length === 0) return `${head}\n(the server wrote nothing in that run)`;
  return [head, `last ${event.log_tail.length} line${event.log_tail.length === 1 ? '' : 's'} of server.log before it died:`, ...event.log_tail].join('\n');
}
