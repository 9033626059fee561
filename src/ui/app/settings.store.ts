// Client state of the Settings page: one @xstate/store store with pure transitions.
// Effects (fetch, EventSource) live in settings.page.ts and report back as events.
import { createStore } from '@xstate/store';
import {
  serverStatusNames,
  type ModelsResponse,
  type ServerCommand,
  type ServerCommandResult,
  type ConfigUpdateResult,
  type ServerStatusName,
  type SupervisorStatus,
} from './api.js';
import { topLevelState, type StateValue } from './inspection.js';

/** Whether the page hears the supervisor's inspection stream. */
export type Connection = 'connecting' | 'live' | 'unreachable';

/** The visible result of an action: in progress, done, failed, or failed and rolled back. */
export interface Outcome {
  kind: 'progress' | 'success' | 'error' | 'rollback';
  message: string;
  /** The supervisor's own words, shown smaller under the message. */
  detail?: string;
}

/** One line of the log viewer; `seq` orders lines for incremental rendering. */
export interface LogLine {
  seq: number;
  text: string;
  kind: 'line' | 'error';
}

export type LogStreamState = 'connecting' | 'open' | 'down' | 'off';

export interface SettingsContext {
  connection: Connection;
  /** The last GET /supervisor/status answer (or the one inside a command answer). */
  status: SupervisorStatus | null;
  /** When `status` arrived (ms epoch), to let uptime keep counting between answers. */
  statusAt: number | null;
  statusError: string | null;
  /** The lifecycle state the badge shows: the newest of the inspection stream and the status answers. */
  serverState: ServerStatusName | null;
  /** How many `server` snapshots have arrived; a status answer requested before the latest one is stale. */
  snapshotSeq: number;
  pendingCommand: ServerCommand | null;
  commandOutcome: Outcome | null;
  models: ModelsResponse | null;
  showAll: boolean;
  modelsLoading: boolean;
  modelsError: string | null;
  /** The model picked in the dropdown but not applied yet; null = the dropdown shows the current model. */
  selectedModel: string | null;
  /** The model being applied (PUT in flight). */
  applying: string | null;
  modelOutcome: Outcome | null;
  logLines: LogLine[];
  logSeq: number;
  live: boolean;
  logStream: LogStreamState;
}

/** The log viewer keeps this many lines; older ones scroll away. */
export const maxLogLines = 1000;

export const initialSettingsContext: SettingsContext = {
  connection: 'connecting',
  status: null,
  statusAt: null,
  statusError: null,
  serverState: null,
  snapshotSeq: 0,
  pendingCommand: null,
  commandOutcome: null,
  models: null,
  showAll: false,
  modelsLoading: false,
  modelsError: null,
  selectedModel: null,
  applying: null,
  modelOutcome: null,
  logLines: [],
  logSeq: 0,
  live: true,
  logStream: 'connecting',
};

const commandProgress: Record<ServerCommand, string> = {
  start: 'Starting the server…',
  stop: 'Stopping the server…',
  restart: 'Restarting the server…',
};

function asServerState(state: string | null): ServerStatusName | null {
  return serverStatusNames.find((name) => name === state) ?? null;
}

// Takes a status answer; its lifecycle state wins only if no newer inspection snapshot arrived meanwhile.
function withStatus(ctx: SettingsContext, status: SupervisorStatus, requestedAtSeq: number, at: number): SettingsContext {
  const fresh = requestedAtSeq >= ctx.snapshotSeq;
  return {
    ...ctx,
    status,
    statusAt: at,
    statusError: null,
    serverState: fresh ? (asServerState(status.main_server_status) ?? ctx.serverState) : ctx.serverState,
  };
}

function appendLog(ctx: SettingsContext, text: string, kind: LogLine['kind']): SettingsContext {
  const seq = ctx.logSeq + 1;
  const lines = [...ctx.logLines, { seq, text, kind }];
  return { ...ctx, logSeq: seq, logLines: lines.length > maxLogLines ? lines.slice(-maxLogLines) : lines };
}

/** The page's transitions, pure: (context, event) → context. Exported for tests and for reuse. */
export const settingsTransitions = {
  inspectionOpened: (ctx: SettingsContext): SettingsContext => ({ ...ctx, connection: 'live' }),
  inspectionLost: (ctx: SettingsContext): SettingsContext => ({ ...ctx, connection: 'unreachable' }),

  serverObserved: (ctx: SettingsContext, event: { value: StateValue }): SettingsContext => ({
    ...ctx,
    snapshotSeq: ctx.snapshotSeq + 1,
    serverState: asServerState(topLevelState(event.value)) ?? ctx.serverState,
  }),

  statusLoaded: (
    ctx: SettingsContext,
    event: { status: SupervisorStatus; requestedAtSeq: number; at: number },
  ): SettingsContext => withStatus(ctx, event.status, event.requestedAtSeq, event.at),
  statusFailed: (ctx: SettingsContext, event: { message: string }): SettingsContext => ({
    ...ctx,
    statusError: event.message,
  }),

  commandStarted: (ctx: SettingsContext, event: { command: ServerCommand }): SettingsContext => ({
    ...ctx,
    pendingCommand: event.command,
    commandOutcome: { kind: 'progress', message: commandProgress[event.command] },
  }),
  commandSucceeded: (
    ctx: SettingsContext,
    event: { command: ServerCommand; result: ServerCommandResult; requestedAtSeq: number; at: number },
  ): SettingsContext => {
    const pid = event.result.status?.main_server_pid;
    const message = typeof pid === 'number' ? `${event.result.message} (pid ${pid}).` : `${event.result.message}.`;
    const next = event.result.status ? withStatus(ctx, event.result.status, event.requestedAtSeq, event.at) : ctx;
    return { ...next, pendingCommand: null, commandOutcome: { kind: 'success', message } };
  },
  commandFailed: (ctx: SettingsContext, event: { command: ServerCommand; message: string }): SettingsContext => ({
    ...ctx,
    pendingCommand: null,
    commandOutcome: { kind: 'error', message: event.message },
  }),

  modelsRequested: (ctx: SettingsContext, event: { showAll: boolean }): SettingsContext => ({
    ...ctx,
    showAll: event.showAll,
    modelsLoading: true,
  }),
  modelsLoaded: (ctx: SettingsContext, event: { models: ModelsResponse }): SettingsContext =>
    // An answer for the other "show all" setting arrived after the toggle flipped again: drop it.
    event.models.show_all !== ctx.showAll
      ? ctx
      : { ...ctx, models: event.models, modelsLoading: false, modelsError: null },
  modelsFailed: (ctx: SettingsContext, event: { message: string }): SettingsContext => ({
    ...ctx,
    modelsLoading: false,
    modelsError: event.message,
  }),

  modelSelected: (ctx: SettingsContext, event: { id: string }): SettingsContext => ({
    ...ctx,
    selectedModel: event.id === currentModel(ctx) ? null : event.id,
  }),
  applyStarted: (ctx: SettingsContext, event: { id: string }): SettingsContext => ({
    ...ctx,
    applying: event.id,
    modelOutcome: { kind: 'progress', message: `Applying ${event.id} and restarting the server…` },
  }),
  applySucceeded: (ctx: SettingsContext, event: { id: string; result: ConfigUpdateResult }): SettingsContext => ({
    ...ctx,
    applying: null,
    selectedModel: null,
    models: ctx.models ? { ...ctx.models, current_model: event.id } : ctx.models,
    status: ctx.status ? { ...ctx.status, default_model: event.id } : ctx.status,
    modelOutcome: {
      kind: 'success',
      message: event.result.server_restarted
        ? `Default model is now ${event.id}; the server restarted on it.`
        : `Default model is now ${event.id}.`,
    },
  }),
  applyFailed: (
    ctx: SettingsContext,
    event: { id: string; message: string; rolledBack: boolean },
  ): SettingsContext => ({
    ...ctx,
    applying: null,
    selectedModel: null,
    modelOutcome: event.rolledBack
      ? {
          kind: 'rollback',
          message: `Rolled back: the server did not come up with ${event.id}, so the previous model is back in use.`,
          detail: event.message,
        }
      : { kind: 'error', message: `Could not apply ${event.id}.`, detail: event.message },
  }),

  liveToggled: (ctx: SettingsContext, event: { live: boolean }): SettingsContext => ({
    ...ctx,
    live: event.live,
    logStream: event.live ? 'connecting' : 'off',
  }),
  logOpened: (ctx: SettingsContext): SettingsContext => ({ ...ctx, logStream: 'open' }),
  logDown: (ctx: SettingsContext): SettingsContext => ({ ...ctx, logStream: ctx.live ? 'down' : 'off' }),
  logCleared: (ctx: SettingsContext): SettingsContext => ({ ...ctx, logLines: [] }),
  logLine: (ctx: SettingsContext, event: { text: string }): SettingsContext => appendLog(ctx, event.text, 'line'),
  logError: (ctx: SettingsContext, event: { message: string }): SettingsContext =>
    appendLog(ctx, event.message, 'error'),
};

/** The model the supervisor uses now: the models answer's `current_model`, else status's `default_model`. */
export function currentModel(ctx: SettingsContext): string | null {
  return ctx.models?.current_model ?? ctx.status?.default_model ?? null;
}

/** A fresh store for the Settings page. */
export function createSettingsStore(context: Partial<SettingsContext> = {}) {
  return createStore({ context: { ...initialSettingsContext, ...context }, on: settingsTransitions });
}

export type SettingsStore = ReturnType<typeof createSettingsStore>;
