import type { ConfigApplyAnswer, ConfigApplyFailure } from '../actors/actor-requests.js';
import { errorBody, errorStatus, SupervisorError, type ErrorCode } from '../errors.js';
import { REDACTED, redactConfig } from '../redact/redact-config.js';

/** Body of GET /supervisor/config: the whole file, secrets redacted. */
export function configView(config: Record<string, unknown>): { config: Record<string, unknown> } {
  return { config: redactConfig(config) };
}

/** Body of a successful PUT /supervisor/config. */
export function configUpdatedView(answer: Extract<ConfigApplyAnswer, { ok: true }>) {
  return {
    success: true as const,
    updated_keys: answer.updatedKeys,
    server_restarted: answer.serverRestarted,
    config: redactConfig(answer.config),
  };
}

/** Status and `{detail, code, ...extra}` body of an error; a credential in the message is cut out. */
export function errorView(error: SupervisorError): { status: number; body: Record<string, unknown> } {
  const body = errorBody(error);
  return { status: error.status, body: { ...body, detail: scrub(String(body.detail)) } };
}

/** The SupervisorError a failed change answer stands for (an unknown code becomes ERR_INTERNAL). */
export function failureError(failure: ConfigApplyFailure): SupervisorError {
  const code: ErrorCode = isErrorCode(failure.code) ? failure.code : 'ERR_INTERNAL';
  return new SupervisorError(code, failure.message, { extra: failure.extra });
}

function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(errorStatus, code);
}

// Messages quote reasons from elsewhere (restart failures, file errors); no Anthropic credential may ride along.
function scrub(text: string): string {
  return text.replace(/sk-ant-[^\s"'`,;)\]}]*/gi, REDACTED);
}
