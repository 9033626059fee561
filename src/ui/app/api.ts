// The browser's view of the supervisor HTTP API (docs/api.md), with its field names, over the shared typed client.
import { SupervisorClient, SupervisorHttpError, defaultSupervisorPort } from '../../client/supervisor-client.js';

import type {
  ConfigResponse,
  ConfigUpdateResponse,
  ConfigValue,
  CurrentModelInfo,
  HistoryEvent,
  HistoryList,
  LogEvent,
  MetricsHistory,
  ModelInfo,
  ModelsResponse,
  ServerAction,
  ServerCommandResponse,
  SupervisorStatus,
} from '../../client/supervisor-types.js';

export type { ConfigValue, CurrentModelInfo, HistoryEvent, LogEvent, MetricsHistory, ModelInfo, ModelsResponse, SupervisorStatus };
export type ServerCommand = ServerAction;
export type ServerCommandResult = ServerCommandResponse;
export type ConfigUpdateResult = ConfigUpdateResponse;

/** GET /supervisor/machines: each actor's machine definition, as `machine.toJSON()`. */
export interface MachinesResponse {
  machines: Record<string, unknown>;
}

/** An error answer of the API (`{detail, code}`), or a network failure (status 0). */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    message: string,
    readonly status: number,
    readonly code: string | null,
    readonly body: Record<string, unknown> | null,
  ) {
    super(message);
  }

  /** A 409 of PUT /supervisor/config whose previous config was restored. */
  get rolledBack(): boolean {
    return this.body?.['rolled_back'] === true;
  }

  /** The supervisor did not answer at all. */
  get unreachable(): boolean {
    return this.status === 0;
  }

  /** The status a failed lifecycle command carries (docs/api.md, Server commands), if any. */
  get serverStatus(): SupervisorStatus | null {
    const status = this.body?.['status'];
    return typeof status === 'object' && status !== null ? (status as SupervisorStatus) : null;
  }
}

/** URLs of the event streams the Inspector opens with EventSource. */
export const streamUrls = {
  inspect: '/supervisor/inspect',
};

// The page talks to its own origin through the project's one typed client; its errors become ApiErrors.
const client = new SupervisorClient({ baseUrl: globalThis.location?.origin ?? `http://127.0.0.1:${defaultSupervisorPort}` });

function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof SupervisorHttpError) return new ApiError(error.detail, error.status, error.code, error.body);
  return new ApiError(`Supervisor unreachable (${error instanceof Error ? error.message : String(error)})`, 0, null, null);
}

async function call<T>(run: () => Promise<unknown>): Promise<T> {
  try {
    return (await run()) as T;
  } catch (error) {
    throw toApiError(error);
  }
}

/** Where a followed stream starts and how it tells it is open. */
export interface StreamOptions {
  lastEventId: string | null;
  signal: AbortSignal;
  onOpen(): void;
}

/** The calls the web UI makes, against the page's own origin. */
export const api = {
  getStatus: (): Promise<SupervisorStatus> => call(() => client.status()),
  serverCommand: (command: ServerCommand): Promise<ServerCommandResult> => call(() => client.serverCommand(command)),
  getModels: (showAll: boolean): Promise<ModelsResponse> => call(() => client.models({ showAll })),
  refreshModels: (showAll: boolean): Promise<ModelsResponse> => call(() => client.refreshModels({ showAll })),
  setDefaultModel: (id: string): Promise<ConfigUpdateResult> => call(() => client.updateConfig({ default_model: id }, { restart: true })),
  getConfig: (): Promise<ConfigResponse> => call(() => client.getConfig()),
  updateConfig: (values: Record<string, ConfigValue>): Promise<ConfigUpdateResult> => call(() => client.updateConfig(values, { restart: true })),
  getHistory: (limit: number): Promise<HistoryList> => call(() => client.history({ limit })),
  getMetricsHistory: (windowSeconds: number): Promise<MetricsHistory> => call(() => client.metricsHistory({ windowSeconds })),
  getMachines: (): Promise<MachinesResponse> => call(() => client.machines()),
  /** The server log from `lines` back (or right after `lastEventId`), then as it grows; ends when the connection does. */
  logs: (lines: number, options: StreamOptions): AsyncIterable<LogEvent> =>
    client.logs({ lines, lastEventId: options.lastEventId ?? undefined, signal: options.signal, onOpen: options.onOpen, reconnect: false }),
  /** The history's events as they happen (after `lastEventId`, a seq, when given); ends when the connection does. */
  events: (options: StreamOptions): AsyncIterable<HistoryEvent> =>
    client.events({ lastEventId: options.lastEventId ?? undefined, signal: options.signal, onOpen: options.onOpen, reconnect: false }),
};

export type SupervisorApi = typeof api;
