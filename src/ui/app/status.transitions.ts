// How the Settings page's picture of the server changes: status answers, history events, lifecycle commands,
// toasts. Pure (context, event) → context functions for the store.
//
// Status answers and events are ordered by history seq: a status says `history_seq`, the newest event it already
// reflects; an event with a higher seq happened after it. So whichever arrives last, the page shows the newest.
import type { HistoryEvent, ServerCommand, ServerCommandResult, SupervisorStatus } from './api.js';
import { formatDuration, formatMs, toEpochMs } from './format.js';
import { topState, type Connection, type Outcome, type SettingsContext, type Toast } from './settings.context.js';

/** The recent history the page keeps (and asks for). */
export const historyLimit = 50;
/** Toasts shown at once; older ones make room. */
const maxToasts = 4;

const commandProgress: Record<ServerCommand, string> = {
  start: 'Starting the server…',
  stop: 'Stopping the server…',
  restart: 'Restarting the server…',
};

/** The state path an event leaves the server in; null for events that do not move it. */
export function stateAfterEvent(event: HistoryEvent): string | null {
  switch (event.type) {
    case 'starting':
    case 'running':
    case 'stopping':
    case 'stopped':
    case 'crashed':
      return event.type;
    case 'restart_scheduled':
      return 'crashed.backoff';
    case 'gave_up':
      return 'crashed.exhausted';
    case 'halted':
      return 'crashed.halted';
    default:
      return null;
  }
}

function connectionOf(ctx: SettingsContext): Connection {
  if (ctx.statusReachable === false) return 'unreachable';
  if (ctx.statusReachable === true && ctx.eventsOpen) return 'live';
  return ctx.connection === 'unreachable' ? 'unreachable' : 'connecting';
}

// A finished outcome clears once a newer fact moved the server to another top-level state.
function stillTrue(outcome: Outcome | null, seq: number, state: string | null): Outcome | null {
  if (!outcome || outcome.kind === 'progress' || outcome.seq === null || outcome.seq === undefined) return outcome;
  return seq > outcome.seq && topState(state) !== topState(outcome.state ?? null) ? null : outcome;
}

// Pins an outcome waiting for its status (seq null) to this status.
function pinned(outcome: Outcome | null, status: SupervisorStatus): Outcome | null {
  return outcome && outcome.seq === null ? { ...outcome, seq: status.history_seq, state: status.main_server_state } : outcome;
}

function withOutcomesChecked(ctx: SettingsContext, seq: number, state: string | null): SettingsContext {
  return {
    ...ctx,
    commandOutcome: stillTrue(ctx.commandOutcome, seq, state),
    modelOutcome: stillTrue(ctx.modelOutcome, seq, state),
    configOutcome: stillTrue(ctx.configOutcome, seq, state),
  };
}

// Takes a status answer: its state wins unless an event newer than it was already seen.
function withStatus(ctx: SettingsContext, status: SupervisorStatus, at: number): SettingsContext {
  const newer = status.history_seq >= ctx.stateSeq;
  const next: SettingsContext = {
    ...ctx,
    status,
    statusAt: at,
    statusError: null,
    statusReachable: true,
    lastContactAt: at,
    commandOutcome: pinned(ctx.commandOutcome, status),
    modelOutcome: pinned(ctx.modelOutcome, status),
    configOutcome: pinned(ctx.configOutcome, status),
  };
  if (newer) {
    next.serverState = status.main_server_state;
    next.stateSeq = status.history_seq;
    next.nextRestartAt = toEpochMs(status.next_restart_at);
  }
  next.connection = connectionOf(next);
  return newer ? withOutcomesChecked(next, status.history_seq, status.main_server_state) : next;
}

// A notice like one already up (a crash loop's crashes) replaces it with a count rather than stacking up.
function addToast(ctx: SettingsContext, toast: Omit<Toast, 'id' | 'count'>): SettingsContext {
  const id = ctx.toastSeq + 1;
  const same = ctx.toasts.find((t) => t.message === toast.message && t.tone === toast.tone);
  const next: Toast = { ...toast, id, count: (same?.count ?? 0) + 1 };
  return { ...ctx, toastSeq: id, toasts: [...ctx.toasts.filter((t) => t !== same), next].slice(-maxToasts) };
}

// What an event from the stream tells the user, as a toast; null for the events that need none.
function toastFor(ctx: SettingsContext, event: HistoryEvent): Omit<Toast, 'id' | 'count'> | null {
  switch (event.type) {
    case 'crashed':
      return { tone: 'bad', message: 'The server crashed', detail: event.message };
    case 'gave_up':
      return {
        tone: 'bad',
        message: 'Crash loop — automatic restarts are off',
        detail: `${event.crashes} crashes within ${formatDuration(event.period_ms / 1000)}. Fix the cause, then press Start.`,
      };
    case 'halted':
      return { tone: 'bad', message: 'The server is halted', detail: event.message };
    case 'running':
      return ctx.awaitingRecovery ? { tone: 'ok', message: 'The server is back up', detail: `pid ${event.pid}, ready in ${formatMs(event.took_ms)}` } : null;
    default:
      return null;
  }
}

function mergeHistory(current: HistoryEvent[], incoming: HistoryEvent[]): HistoryEvent[] {
  const bySeq = new Map(current.map((event) => [event.seq, event]));
  for (const event of incoming) bySeq.set(event.seq, event);
  return [...bySeq.values()].sort((a, b) => b.seq - a.seq).slice(0, historyLimit);
}

/** The transitions of connection, status, history, toasts and commands. */
export const statusTransitions = {
  eventsOpened: (ctx: SettingsContext): SettingsContext => {
    // A (re)connection may be to another supervisor whose history numbering started afresh (a new log folder): the
    // next status wins whatever its seq, and events order against it from there.
    const next = { ...ctx, eventsOpen: true, stateSeq: 0 };
    return { ...next, connection: connectionOf(next) };
  },
  eventsLost: (ctx: SettingsContext): SettingsContext => ({ ...ctx, eventsOpen: false, connection: 'unreachable' }),

  statusLoaded: (ctx: SettingsContext, event: { status: SupervisorStatus; at: number }): SettingsContext =>
    withStatus(ctx, event.status, event.at),
  statusFailed: (ctx: SettingsContext, event: { message: string; unreachable: boolean }): SettingsContext => {
    if (!event.unreachable) return { ...ctx, statusError: event.message };
    const next = { ...ctx, statusReachable: false, statusError: event.message };
    return { ...next, connection: connectionOf(next) };
  },

  historyLoaded: (ctx: SettingsContext, event: { events: HistoryEvent[] }): SettingsContext => ({
    ...ctx,
    history: mergeHistory(ctx.history, event.events),
    historyLoaded: true,
  }),

  /** An event from /supervisor/events: it happened just now (or while the stream was reconnecting). */
  eventReceived: (ctx: SettingsContext, { event }: { event: HistoryEvent }): SettingsContext => {
    let next = ctx;
    // Seen already (the history was read again after a reconnection): no second toast.
    if (!ctx.history.some((known) => known.seq === event.seq)) {
      next = { ...ctx, history: mergeHistory(ctx.history, [event]) };
      const toast = toastFor(ctx, event);
      if (toast) next = addToast(next, toast);
      if (event.type === 'crashed' || event.type === 'gave_up' || event.type === 'halted') next.awaitingRecovery = true;
      if (event.type === 'running' || event.type === 'stopped') next.awaitingRecovery = false;
    }
    const state = stateAfterEvent(event);
    if (state === null || event.seq <= ctx.stateSeq) return next;
    next = {
      ...next,
      serverState: state,
      stateSeq: event.seq,
      nextRestartAt: event.type === 'restart_scheduled' ? (toEpochMs(event.at) ?? Date.now()) + event.delay_ms : null,
    };
    return withOutcomesChecked(next, event.seq, state);
  },

  toastDismissed: (ctx: SettingsContext, event: { id: number }): SettingsContext => ({
    ...ctx,
    toasts: ctx.toasts.filter((toast) => toast.id !== event.id),
  }),

  commandStarted: (ctx: SettingsContext, event: { command: ServerCommand }): SettingsContext => ({
    ...ctx,
    pendingCommand: event.command,
    commandOutcome: { kind: 'progress', message: commandProgress[event.command] },
  }),
  commandSucceeded: (ctx: SettingsContext, event: { command: ServerCommand; result: ServerCommandResult; at: number }): SettingsContext => {
    const status = event.result.status;
    const pid = status.main_server_pid;
    const message = typeof pid === 'number' && event.command !== 'stop' ? `${event.result.message} (pid ${pid}).` : `${event.result.message}.`;
    const next = withStatus({ ...ctx, commandOutcome: null }, status, event.at);
    return { ...next, pendingCommand: null, commandOutcome: { kind: 'success', message, seq: status.history_seq, state: status.main_server_state } };
  },
  commandFailed: (
    ctx: SettingsContext,
    event: { command: ServerCommand; message: string; status: SupervisorStatus | null; at: number },
  ): SettingsContext => {
    const next = event.status ? withStatus({ ...ctx, commandOutcome: null }, event.status, event.at) : ctx;
    const seq = event.status?.history_seq ?? next.stateSeq;
    const state = event.status?.main_server_state ?? next.serverState;
    return { ...next, pendingCommand: null, commandOutcome: { kind: 'error', message: event.message, seq, state } };
  },
};
