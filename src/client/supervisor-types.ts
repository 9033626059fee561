// Response shapes of the supervisor's HTTP API (docs/api.md), field names exactly as on the wire.
// No runtime code and no node-only imports: shared by the CLI, the web UI bundle and the tests.

/** The lifecycle states of the main server. */
export type MainServerStatus = 'stopped' | 'starting' | 'running' | 'stopping' | 'crashed';

/** A moment as the supervisor reports it: an ISO 8601 string or epoch milliseconds. */
export type Timestamp = string | number;

/** How the main server last ended. */
export interface LastExit {
  code: number | null;
  signal: string | null;
  at: Timestamp | null;
}

/** `GET /supervisor/status` (§4.1). */
export interface SupervisorStatus {
  supervisor_uptime_seconds: number;
  supervisor_version: string;
  main_server_healthy: boolean;
  main_server_status: MainServerStatus;
  main_server_uptime_seconds: number | null;
  main_server_version: string | null;
  main_server_port: number | null;
  config_loaded: boolean;
  main_server_pid: number | null;
  restart_count: number;
  last_exit: LastExit | null;
  last_error: string | null;
  next_restart_at: Timestamp | null;
  cpu_percent: number | null;
  memory_bytes: number | null;
  default_model: string | null;
}

/** `GET /supervisor/health` (§4.6): the supervisor itself answers. */
export interface HealthResponse {
  status: 'ok';
}

/** The three lifecycle commands of §4.2. */
export type ServerAction = 'start' | 'stop' | 'restart';

/** `POST /supervisor/server/{start|stop|restart}` once the requested state is reached (200). */
export interface ServerCommandResponse {
  success: boolean;
  message: string;
  status: SupervisorStatus;
}

/** `POST /supervisor/server/{action}?wait=false` (202): accepted, not yet done. */
export interface ServerCommandAccepted {
  success: boolean;
  message?: string;
  status?: SupervisorStatus;
}

/** `GET /supervisor/config` (§4.4): the whole file, secrets redacted. */
export interface ConfigResponse {
  config: Record<string, unknown>;
}

/** A value that `PUT /supervisor/config` accepts for an editable key. */
export type ConfigValue = string | number | boolean;

/** `PUT /supervisor/config` answer. */
export interface ConfigUpdateResponse {
  success: boolean;
  updated_keys: string[];
  server_restarted: boolean;
  config: Record<string, unknown>;
}

/** One model of `GET /supervisor/models` (§4.5). */
export interface ModelInfo {
  id: string;
  display_name: string;
  /** ISO 8601. */
  created_at: string;
  family: string;
  is_latest: boolean;
}

/** Where a model list came from. */
export type ModelsSource = 'anthropic' | 'cache' | 'fallback';

/** `GET /supervisor/models` and `POST /supervisor/models/refresh`. */
export interface ModelsResponse {
  models: ModelInfo[];
  count: number;
  show_all: boolean;
  current_model: string | null;
  cached_at: Timestamp | null;
  is_stale: boolean;
  source: ModelsSource;
  error: string | null;
}

/** The error body every failing request carries (extra fields such as `rolled_back` are kept). */
export interface ErrorResponse {
  detail: string;
  code?: string;
  [extra: string]: unknown;
}

/** One event of the log stream (§4.3): a log line, or the reason there are none. */
export type LogEvent =
  | { kind: 'line'; id: string | null; line: string }
  | { kind: 'error'; id: string | null; error: string };

/** One event of `GET /supervisor/inspect` (§4.6). */
export interface InspectionEvent {
  /** The SSE event name: `snapshot` or `event`. */
  event: string;
  id: string | null;
  data: unknown;
}
