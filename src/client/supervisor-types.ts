// Response shapes of the supervisor's HTTP API, field names exactly as on the wire. The wire shapes are the types
// openapi-typescript generates from docs/openapi.yaml (supervisor-api.generated.ts, `npm run openapi:types`), so
// they cannot drift from the contract; only the client's own shapes (errors it parses, stream events) are written
// here. No runtime code and no node-only imports: shared by the CLI, the web UI bundle and the tests.
import type { components } from './supervisor-api.generated.js';

type Schemas = components['schemas'];

/** The lifecycle states of the main server. */
export type MainServerStatus = Schemas['MainServerStatus'];

/** A moment as `formatTimestamp` takes it: an ISO 8601 string (what the supervisor sends) or epoch milliseconds. */
export type Timestamp = string | number;

/** How the main server last ended. */
export type LastExit = Schemas['LastExit'];

/** `GET /supervisor/status` (docs/api.md, Status). */
export type SupervisorStatus = Schemas['SupervisorStatus'];

/** `GET /supervisor/health`: the supervisor itself answers. */
export type HealthResponse = Schemas['Health'];

/** The three lifecycle commands (docs/api.md, Server commands). */
export type ServerAction = Schemas['ServerAction'];

/** `POST /supervisor/server/{start|stop|restart}` once the requested state is reached (200). */
export type ServerCommandResponse = Schemas['ServerCommandDone'];

/** `POST /supervisor/server/{action}?wait=false` (202): accepted, not yet done. */
export type ServerCommandAccepted = Schemas['ServerCommandAccepted'];

/** `GET /supervisor/config` (docs/api.md, Config): the whole file, secrets redacted. */
export type ConfigResponse = Schemas['ConfigView'];

/** A value the client sends for a key of `PUT /supervisor/config` (the supervisor checks each key's type). */
export type ConfigValue = string | number | boolean;

/** `PUT /supervisor/config` answer. */
export type ConfigUpdateResponse = Schemas['ConfigUpdated'];

/** One model of `GET /supervisor/models` (docs/api.md, Models). */
export type ModelInfo = Schemas['ModelInfo'];

/** A model's lifecycle stage as the Models API gives it. */
export type ModelLifecycle = Schemas['ModelLifecycle'];

/** What is known of `default_model`: `current_model_info` of the models answer, `default_model_info` of status. */
export type CurrentModelInfo = Schemas['CurrentModelInfo'];

/** Where a model list came from. */
export type ModelsSource = Schemas['ModelsSource'];

/** `GET /supervisor/models` and `POST /supervisor/models/refresh`. */
export type ModelsResponse = Schemas['ModelsList'];

/** `GET /supervisor/machines`: each actor's machine definition, as `machine.toJSON()`. */
export type MachinesResponse = Schemas['Machines'];

/**
 * An error body as the client reads it: `detail` and, from the supervisor, `code` and extra fields such as
 * `rolled_back` (every error body of docs/openapi.yaml fits; a proxy's error may carry no code).
 */
export interface ErrorResponse {
  detail: string;
  code?: string;
  [extra: string]: unknown;
}

/** One event of the log stream (docs/api.md, Logs): a log line, or the reason there are none. */
export type LogEvent =
  | { kind: 'line'; id: string | null; line: Schemas['LogLine']['line'] }
  | { kind: 'error'; id: string | null; error: Schemas['LogError']['error'] };

/** One event of `GET /supervisor/inspect` (docs/api.md, Inspection), as the client passes it on. */
export interface InspectionEvent {
  /** The SSE event name: `snapshot` or `event`. */
  event: string;
  id: string | null;
  /** A `snapshot` event's data is an InspectionSnapshot, an `event` event's an InspectionEventData (unchecked). */
  data: unknown;
}

/** The data of a `snapshot` event of `GET /supervisor/inspect`. */
export type InspectionSnapshot = Schemas['InspectionSnapshot'];

/** The data of an `event` event of `GET /supervisor/inspect`. */
export type InspectionEventData = Schemas['InspectionEvent'];

/** One event of the history (docs/api.md, History): `GET /supervisor/history`'s items and `/supervisor/events`' data. */
export type HistoryEvent = Schemas['HistoryEvent'];

/** `GET /supervisor/history`: the newest events, newest first. */
export type HistoryList = Schemas['HistoryList'];

/** `GET /supervisor/metrics/history`: the server's CPU and memory samples. */
export type MetricsHistory = Schemas['MetricsHistory'];
