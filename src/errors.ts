/** Every error the supervisor reports, as coded data mapped to an HTTP status in one place. */
export const errorStatus = {
  ERR_BAD_REQUEST: 400,
  ERR_INVALID_JSON: 400,
  ERR_INVALID_VALUE: 400,
  ERR_UNKNOWN_KEY: 400,
  ERR_MODEL_RETIRED: 400,
  ERR_MODEL_UNKNOWN: 400,
  ERR_UNAUTHORIZED: 401,
  ERR_FORBIDDEN_HOST: 403,
  ERR_FORBIDDEN_ORIGIN: 403,
  ERR_KEY_NOT_EDITABLE: 403,
  ERR_NOT_FOUND: 404,
  ERR_METHOD_NOT_ALLOWED: 405,
  ERR_CONFLICT: 409,
  ERR_CONFIG_ROLLED_BACK: 409,
  ERR_PAYLOAD_TOO_LARGE: 413,
  ERR_UNSUPPORTED_MEDIA_TYPE: 415,
  ERR_SPAWN_FAILED: 500,
  ERR_COMMAND_NOT_FOUND: 500,
  ERR_NOT_EXECUTABLE: 500,
  ERR_START_FAILED: 500,
  ERR_START_TIMEOUT: 500,
  ERR_PORT_IN_USE: 500,
  ERR_SOCKET_NOT_INHERITED: 500,
  ERR_CRASH_LOOP: 500,
  ERR_SERVER_EXITED: 500,
  ERR_HEALTH_FAILED: 500,
  ERR_STOP_FAILED: 500,
  ERR_COMMAND_TIMEOUT: 500,
  ERR_CONFIG_INVALID: 503,
  ERR_CONFIG_WRITE: 500,
  ERR_TOKEN_FILE: 500,
  ERR_LOG_UNAVAILABLE: 500,
  ERR_MODELS_FETCH: 502,
  ERR_SHUTTING_DOWN: 503,
  ERR_INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/** A JSON-safe record of an error, as kept in machine context and shown in status. */
export interface ErrorRecord {
  code: ErrorCode;
  message: string;
  at: number;
}

/** An error that carries its code (and so its HTTP status); the original error stays as `cause`. */
export class SupervisorError extends Error {
  readonly code: ErrorCode;
  readonly extra: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; extra?: Record<string, unknown> } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SupervisorError';
    this.code = code;
    this.extra = options.extra ?? {};
  }

  get status(): number {
    return errorStatus[this.code];
  }
}

/** Turns anything thrown into a SupervisorError, keeping the original as `cause`. */
export function toSupervisorError(error: unknown, fallback: ErrorCode = 'ERR_INTERNAL'): SupervisorError {
  if (error instanceof SupervisorError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new SupervisorError(fallback, message, { cause: error });
}

/** The JSON body every error response carries: `{detail, code, ...extra}`. */
export function errorBody(error: SupervisorError): Record<string, unknown> {
  return { detail: error.message, code: error.code, ...error.extra };
}
