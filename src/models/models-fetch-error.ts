import { SupervisorError } from '../errors.js';

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

const secretPattern = /sk-ant-[A-Za-z0-9_-]+/g;

/** Makes upstream text safe to show: the given secrets and anything shaped like an Anthropic key are redacted, and it is cut short. */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('[REDACTED]');
  out = out.replace(secretPattern, '[REDACTED]').replace(/\s+/g, ' ').trim();
  return out.length > 200 ? `${out.slice(0, 200)}…` : out;
}
