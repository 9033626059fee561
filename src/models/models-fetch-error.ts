import { SupervisorError } from '../errors.js';
import { createLineRedactor } from '../redact/redact-line.js';

/** Why fetching the model list failed; the sub-code of ERR_MODELS_FETCH. */
export type ModelsFetchReason =
  | 'no_credential'
  | 'bad_credential'
  | 'forbidden'
  | 'rate_limited'
  | 'upstream_error'
  | 'rejected'
  | 'unreachable'
  | 'timeout'
  | 'bad_response'
  | 'aborted';

/**
 * A failed model-list fetch: code ERR_MODELS_FETCH, a `reason`, the upstream status if any, and `at`. It never
 * carries the axios error as `cause`: that holds the request headers, and so the key.
 */
export class ModelsFetchError extends SupervisorError {
  readonly reason: ModelsFetchReason;
  readonly upstreamStatus: number | null;
  readonly at: number;

  constructor(reason: ModelsFetchReason, message: string, options: { at: number; upstreamStatus?: number | null }) {
    const upstreamStatus = options.upstreamStatus ?? null;
    super('ERR_MODELS_FETCH', message, { extra: { reason, upstream_status: upstreamStatus } });
    this.name = 'ModelsFetchError';
    this.reason = reason;
    this.upstreamStatus = upstreamStatus;
    this.at = options.at;
  }
}

/**
 * Makes upstream text safe to show: the given secrets and every token shape the log redactor knows are redacted (the
 * same redactor as the log stream), and it is cut short.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  const out = createLineRedactor(secrets)(text).replace(/\s+/g, ' ').trim();
  return out.length > 200 ? `${out.slice(0, 200)}…` : out;
}
