// The history panel's rows (time, what happened, signal or exit code, how long it ran), derived purely from the
// history events (docs/api.md, History).
import type { HistoryEvent } from './api.js';
import { formatDuration, formatMs, formatWhen, toEpochMs } from './format.js';

export interface HistoryRow {
  seq: number;
  /** ISO time, for a <time> element. */
  at: string;
  when: string;
  title: string;
  tone: 'bad' | 'ok' | 'warn' | 'info';
  /** "SIGKILL", "exit code 3"; null when the event has neither. */
  exit: string | null;
  /** "ran for 5m"; null when unknown. */
  ranFor: string | null;
  /** A crash's last log lines (redacted by the supervisor); null for other events. */
  tail: string[] | null;
}

const startCause: Record<string, string> = {
  autostart: 'at supervisor start',
  manual: 'by hand',
  crash_restart: 'after a crash',
  config_apply: 'for a config change',
};

const stopCause: Record<string, string> = {
  manual: 'by hand',
  restart: 'for a restart',
  config_apply: 'for a config change',
  start_timeout: 'start took too long',
  liveness: 'it stopped answering its health check',
  shutdown: 'supervisor shutting down',
};

const crashReason: Record<string, string> = {
  exit: '',
  liveness: 'stopped answering its health check: ',
  start_timeout: 'not healthy in time: ',
  spawn_failed: 'could not start: ',
};

/** "SIGKILL" or "exit code 3" from an exit's code and signal; null when neither is known. */
export function exitText(code: number | null, signal: string | null): string | null {
  if (signal) return signal;
  return code === null ? null : `exit code ${code}`;
}

function describe(event: HistoryEvent): Pick<HistoryRow, 'title' | 'tone' | 'exit' | 'ranFor' | 'tail'> {
  const plain = { exit: null, ranFor: null, tail: null };
  switch (event.type) {
    case 'supervisor_started':
      return { ...plain, tone: 'info', title: event.adopted_pid ? `Supervisor ${event.version} started, kept the running server (pid ${event.adopted_pid})` : `Supervisor ${event.version} started` };
    case 'supervisor_stopped':
      return { ...plain, tone: 'info', title: 'Supervisor stopped' };
    case 'starting':
      return { ...plain, tone: 'info', title: `Starting (pid ${event.pid}) ${startCause[event.cause] ?? event.cause}` };
    case 'running':
      return { ...plain, tone: 'ok', title: `Running (pid ${event.pid}), ready in ${formatMs(event.took_ms)}` };
    case 'crashed':
      return {
        tone: 'bad',
        title: `Crashed: ${crashReason[event.reason] ?? ''}${event.message}`,
        exit: exitText(event.code, event.signal),
        ranFor: event.ran_for_ms === null ? null : `ran for ${formatMs(event.ran_for_ms)}`,
        tail: event.log_tail,
      };
    case 'restart_scheduled':
      return { ...plain, tone: 'warn', title: event.delay_ms === 0 ? 'Restarting at once' : `Restart in ${formatMs(event.delay_ms)}` };
    case 'gave_up':
      return { ...plain, tone: 'bad', title: `Crash loop: ${event.crashes} crashes within ${formatDuration(event.period_ms / 1000)}, automatic restarts off` };
    case 'halted':
      return { ...plain, tone: 'bad', title: `Halted: ${event.message}` };
    case 'stopping':
      return { ...plain, tone: 'info', title: `Stopping (${stopCause[event.cause] ?? event.cause})` };
    case 'stopped':
      return { ...plain, tone: 'info', title: `Stopped (pid ${event.pid})`, exit: exitText(event.code, event.signal) };
    case 'config_applied':
      return { ...plain, tone: 'ok', title: `Config applied: ${event.keys.join(', ')}` };
    case 'config_rolled_back':
      return { ...plain, tone: 'warn', title: `Config rolled back (${event.keys.join(', ')}): ${event.reason}` };
    default:
      return { ...plain, tone: 'info', title: (event as { type: string }).type };
  }
}

/** One row per event, newest first as given. */
export function historyRows(events: readonly HistoryEvent[], now: number): HistoryRow[] {
  return events.map((event) => ({
    seq: event.seq,
    at: event.at,
    when: formatWhen(toEpochMs(event.at) ?? now, now),
    ...describe(event),
  }));
}
