// The browser's view of the supervisor HTTP API (docs/api.md), with its field names, over the shared typed client.
import { SupervisorClient, SupervisorHttpError, defaultSupervisorPort } from '../../client/supervisor-client.js';

import type {
  ConfigUpdateResponse,
  MainServerStatus,
  ModelInfo,
  ModelsResponse,
  ServerAction,
  ServerCommandResponse,
  SupervisorStatus,
} from '../../client/supervisor-types.js';

export type { ModelInfo, ModelsResponse, SupervisorStatus };
/** The lifecycle states of the main server (docs/api.md, Status). */
export type ServerStatusName = MainServerStatus;
export const serverStatusNames: readonly ServerStatusName[] = ['stopped', 'starting', 'running', 'stopping', 'crashed'];
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
}

/** URLs of the two event streams the pages open with EventSource. */
export const streamUrls = {
  inspect: '/supervisor/inspect',
  logs: (lines: number, follow: boolean): string => `/supervisor/logs?lines=${lines}&follow=${follow}`,
};

// The page talks to its own origin through the project's one typed client; its errors become ApiErrors.
const client = new SupervisorClient({ baseUrl: globalThis.location?.origin ?? `http://127.0.0.1:${defaultSupervisorPort}` });

async function call<T>(run: () => Promise<unknown>): Promise<T> {
  try {
    return (await run()) as T;
  } catch (error) {
    if (error instanceof SupervisorHttpError) throw new ApiError(error.detail, error.status, error.code, error.body);
    throw new ApiError(`Supervisor unreachable (${error instanceof Error ? error.message : String(error)})`, 0, null, null);
  }
}

/** The calls the web UI makes, against the page's own origin. */
export const api = {
  getStatus: (): Promise<SupervisorStatus> => call(() => client.status()),
  serverCommand: (command: ServerCommand): Promise<ServerCommandResult> => call(() => client.serverCommand(command)),
  getModels: (showAll: boolean): Promise<ModelsResponse> => call(() => client.models({ showAll })),
  setDefaultModel: (id: string): Promise<ConfigUpdateResult> => call(() => client.updateConfig({ default_model: id }, { restart: true })),
  getMachines: (): Promise<MachinesResponse> => call(() => client.machines()),
};

export type SupervisorApi = typeof api;
