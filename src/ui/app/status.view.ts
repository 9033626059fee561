// What the server card shows, derived purely from the store's context: a badge that never says more than is known,
// the uptime or restart countdown, a note saying what a bad state means and what to do, and which buttons work.
import type { ServerCommand } from './api.js';
import { formatClock, formatDuration, formatUptime } from './format.js';
import { topState, type SettingsContext } from './settings.context.js';

export type BadgeTone = 'ok' | 'busy' | 'idle' | 'warn' | 'bad' | 'unknown';

/** Whether the page shows what the supervisor said last rather than what it says now. */
export function isStale(ctx: SettingsContext): boolean {
  return ctx.connection === 'unreachable';
}

/** Running, but its latest health probe failed (from a status at least as new as the state shown). */
export function isUnhealthy(ctx: SettingsContext): boolean {
  const status = ctx.status;
  return (
    topState(ctx.serverState) === 'running' &&
    status !== null &&
    status.history_seq >= ctx.stateSeq &&
    topState(status.main_server_state) === 'running' &&
    status.main_server_health === 'unhealthy'
  );
}

/** The status badge: its text and colour. Unreachable: Unknown, whatever was known before. */
export function statusBadge(ctx: SettingsContext): { text: string; tone: BadgeTone } {
  if (isStale(ctx)) return { text: 'Unknown', tone: 'unknown' };
  const path = ctx.serverState;
  if (path === null) return { text: 'Loading…', tone: 'unknown' };
  if (path === 'crashed.exhausted') return { text: 'Crash loop — auto-restart off', tone: 'bad' };
  if (path === 'crashed.halted') return { text: 'Halted', tone: 'bad' };
  switch (topState(path)) {
    case 'running':
      return isUnhealthy(ctx) ? { text: 'Unhealthy', tone: 'warn' } : { text: 'Running', tone: 'ok' };
    case 'starting':
      return { text: 'Starting', tone: 'busy' };
    case 'stopping':
      return { text: 'Stopping', tone: 'busy' };
    case 'stopped':
      return { text: 'Stopped', tone: 'idle' };
    case 'crashed':
      return { text: 'Crashed', tone: 'bad' };
    default:
      return { text: path, tone: 'unknown' };
  }
}

/** Seconds until `at`, rounded up: a countdown reads 3s until the last of those 3 seconds is over. */
export function secondsUntil(at: number, now: number): number {
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * "Up 5m" while running (counting on from the last answer; frozen at it while the supervisor is unreachable),
 * "Restarting in 3s" before an automatic restart, else null.
 */
export function uptimeText(ctx: SettingsContext, now: number): string | null {
  const status = ctx.status;
  const state = topState(ctx.serverState);
  if (state === 'crashed' && ctx.serverState === 'crashed.backoff' && ctx.nextRestartAt !== null && !isStale(ctx)) {
    const left = secondsUntil(ctx.nextRestartAt, now);
    return left > 0 ? `Restarting in ${formatDuration(left)}` : 'Restarting…';
  }
  if (!status || state !== 'running' || topState(status.main_server_state) !== 'running') return null;
  const base = status.main_server_uptime_seconds;
  if (typeof base !== 'number') return null;
  // Frozen while unreachable: the last known uptime, not a guess that keeps counting.
  const elapsed = isStale(ctx) || ctx.statusAt === null ? 0 : Math.max(0, (now - ctx.statusAt) / 1000);
  return formatUptime(base + elapsed);
}

/** A note under the badge: what a bad or unknown state means and what to do; null when all is well. */
export function stateNote(ctx: SettingsContext): { tone: 'warn' | 'bad' | 'unknown'; text: string } | null {
  if (isStale(ctx)) {
    const when = ctx.lastContactAt === null ? '' : ` since ${formatClock(ctx.lastContactAt).slice(0, 8)}`;
    return {
      tone: 'unknown',
      text: ctx.status
        ? `No answer from the supervisor${when}. Below is what it said last, greyed: it may no longer be true.`
        : 'No answer from the supervisor yet.',
    };
  }
  const status = ctx.status;
  const lastError = status?.last_error ?? null;
  if (ctx.serverState === 'crashed.exhausted') {
    const gaveUp = ctx.history.find((event) => event.type === 'gave_up');
    // The give-up event says it plainly; until it has arrived, in general words (last_error repeats the numbers raw).
    const why = gaveUp?.type === 'gave_up' ? `It crashed ${gaveUp.crashes} times within ${formatDuration(gaveUp.period_ms / 1000)}` : 'It crashed too often in a short time';
    return { tone: 'bad', text: `${why}, so automatic restarts are off. See the history below for why, fix the cause, then press Start.` };
  }
  if (ctx.serverState === 'crashed.halted') {
    const halted = ctx.history.find((event) => event.type === 'halted');
    const reason = lastError ?? (halted?.type === 'halted' ? halted.message : 'the restart policy says not to restart it');
    return { tone: 'bad', text: `Not restarted automatically: ${reason.replace(/\.$/, '')}. Press Start once the cause is fixed.` };
  }
  if (isUnhealthy(ctx)) {
    return { tone: 'warn', text: 'The server process is running but does not answer its health check. If it keeps failing, the supervisor restarts it.' };
  }
  if (topState(ctx.serverState) === 'crashed') {
    const crash = status?.last_crash;
    return { tone: 'bad', text: crash ? `Crashed: ${crash.message}.` : lastError ? `Crashed: ${lastError}` : 'Crashed.' };
  }
  return null;
}

const allowedIn: Record<ServerCommand, readonly string[]> = {
  start: ['stopped', 'crashed'],
  stop: ['starting', 'running', 'crashed'],
  restart: ['running', 'crashed'],
};

/** Which lifecycle buttons work: none while busy or unreachable, else those that make sense now. */
export function commandEnabled(ctx: SettingsContext): Record<ServerCommand, boolean> {
  const idle = ctx.connection === 'live' && ctx.pendingCommand === null && ctx.applying === null && !ctx.configApplying;
  const state = topState(ctx.serverState);
  const ok = (command: ServerCommand): boolean => idle && state !== null && allowedIn[command].includes(state);
  return { start: ok('start'), stop: ok('stop'), restart: ok('restart') };
}
