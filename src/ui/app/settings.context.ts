// What the Settings page knows, in one plain object: the store's context. Transitions live in *.transitions.ts,
// what the page shows is derived from it in *.view.ts. Log lines are not here: they live in the log view's own
// buffer, so a burst of lines costs no copy of the page state per line (see log-view.ts).
import type { HistoryEvent, ModelsResponse, ServerCommand, SupervisorStatus } from './api.js';
import type { EditableValues } from './config-form.view.js';

/** Whether the page hears the supervisor: its event stream is open and its status answers. */
export type Connection = 'connecting' | 'live' | 'unreachable';

/** The visible result of an action: in progress, done, failed, or failed and rolled back. */
export interface Outcome {
  kind: 'progress' | 'success' | 'error' | 'rollback';
  message: string;
  /** The supervisor's own words, shown smaller under the message. */
  detail?: string;
  /**
   * The history seq the outcome is about (a status' `history_seq`); the message clears once a later fact moves the
   * server to another state. Null: taken from the next status answer.
   */
  seq?: number | null;
  /** The server's top-level state the outcome left it in. */
  state?: string | null;
}

/** A notice in the corner about something that happened to the server (from /supervisor/events). */
export interface Toast {
  id: number;
  tone: 'bad' | 'ok';
  message: string;
  detail: string;
  /** How many times it happened while the notice was up (a crash loop's crashes make one notice). */
  count: number;
}

export type LogStreamState = 'connecting' | 'open' | 'down' | 'off';

/** The lowest level of log line shown. */
export type LogLevelFilter = 'all' | 'info' | 'warn' | 'error';

export interface SettingsContext {
  connection: Connection;
  /** The history event stream is open. */
  eventsOpen: boolean;
  /** The latest status request got an answer (null: none asked yet). */
  statusReachable: boolean | null;
  /** When the supervisor last answered a status request (ms epoch), for "last heard from at …". */
  lastContactAt: number | null;

  /** The last GET /supervisor/status answer (or the one inside a command answer). */
  status: SupervisorStatus | null;
  /** When `status` arrived (ms epoch), to let uptime count on between answers. */
  statusAt: number | null;
  statusError: string | null;
  /** The server's state path (`running`, `crashed.backoff`, …) from the newest of the status answers and the events. */
  serverState: string | null;
  /** The history seq `serverState` reflects: an event with a higher seq is newer, a status with a lower one older. */
  stateSeq: number;
  /** When the scheduled automatic restart happens (ms epoch), while crashed.backoff. */
  nextRestartAt: number | null;
  /** The recent history, newest first (GET /supervisor/history, then /supervisor/events). */
  history: HistoryEvent[];
  historyLoaded: boolean;
  /** A crash was announced and the server is not back yet: the next `running` says it is. */
  awaitingRecovery: boolean;
  toasts: Toast[];
  toastSeq: number;

  pendingCommand: ServerCommand | null;
  commandOutcome: Outcome | null;

  models: ModelsResponse | null;
  showAll: boolean;
  modelsLoading: boolean;
  modelsRefreshing: boolean;
  modelsError: string | null;
  /** The model picked in the dropdown but not applied yet; null = the dropdown shows the current model. */
  selectedModel: string | null;
  /** The model being applied (PUT in flight). */
  applying: string | null;
  modelOutcome: Outcome | null;

  /** The other editable settings as config.yaml has them (null until read). */
  config: EditableValues | null;
  configError: string | null;
  /** Edits not applied yet. */
  draft: EditableValues;
  configApplying: boolean;
  configOutcome: Outcome | null;

  /** "Stream live": the log stream is wanted. */
  live: boolean;
  logStream: LogStreamState;
  /** The view is frozen; lines are still received and kept. */
  logPaused: boolean;
  logWrap: boolean;
  logLocalTime: boolean;
  logFilterText: string;
  logLevel: LogLevelFilter;
}

export const initialSettingsContext: SettingsContext = {
  connection: 'connecting',
  eventsOpen: false,
  statusReachable: null,
  lastContactAt: null,
  status: null,
  statusAt: null,
  statusError: null,
  serverState: null,
  stateSeq: 0,
  nextRestartAt: null,
  history: [],
  historyLoaded: false,
  awaitingRecovery: false,
  toasts: [],
  toastSeq: 0,
  pendingCommand: null,
  commandOutcome: null,
  models: null,
  showAll: false,
  // The page asks for the list as it opens: "Loading models…", never "No models", until the answer.
  modelsLoading: true,
  modelsRefreshing: false,
  modelsError: null,
  selectedModel: null,
  applying: null,
  modelOutcome: null,
  config: null,
  configError: null,
  draft: {},
  configApplying: false,
  configOutcome: null,
  live: true,
  logStream: 'connecting',
  logPaused: false,
  logWrap: true,
  logLocalTime: false,
  logFilterText: '',
  logLevel: 'all',
};

/** The top-level lifecycle state of a state path: `crashed.backoff` → `crashed`. */
export function topState(path: string | null): string | null {
  return path === null ? null : (path.split('.')[0] ?? null);
}

/** The model the supervisor uses now: the models answer's `current_model`, else status's `default_model`. */
export function currentModel(ctx: SettingsContext): string | null {
  return ctx.models?.current_model ?? ctx.status?.default_model ?? null;
}
