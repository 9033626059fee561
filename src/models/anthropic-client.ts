import type { AxiosResponse, AxiosStatic } from 'axios';
import { lazyRequire } from '../lazy-require.js';
import type { AnthropicCredential } from './credentials.js';
import { ModelsFetchError, redactSecrets, type ModelsFetchReason } from './models-fetch-error.js';
import { retryAfterMs } from './retry-after.js';
import { toUpstreamModel, type UpstreamModel } from './upstream-model.js';

/** Defaults of the Models API client, in the words of docs/api.md (Models). */
export const anthropicClientDefaults = {
  /** `ANTHROPIC_BASE_URL` when unset. */
  baseUrl: 'https://api.anthropic.com',
  /** The whole listing (every page, every retry), or one lookup, must finish within this. */
  timeoutMs: 10_000,
  /** Retries of one page after 429, 5xx/529 or a dropped connection; 401/403 are never retried. */
  maxRetries: 2,
  /** First backoff when the server sends no retry-after; doubles per retry. */
  retryBaseMs: 500,
  /** A larger body is refused as garbage rather than buffered. */
  maxBodyBytes: 8 * 1024 * 1024,
  /** Page size asked for (the API's maximum). */
  pageLimit: 1000,
  /** A listing that needs more pages than this is treated as a broken cursor. */
  maxPages: 100,
} as const;

/** The Models API version we speak: the one the official SDK (`@anthropic-ai/sdk` 1.12) sends. */
export const anthropicVersion = '2026-10-21';

/** How to call the Models API: the credential, and knobs tests and callers may change. */
export interface ModelsCallOptions {
  credential: AnthropicCredential;
  baseUrl?: string;
  timeoutMs?: number;
  maxRetries?: number;
  retryBaseMs?: number;
  maxBodyBytes?: number;
  signal?: AbortSignal;
  /** Waits between retries; must reject when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
}

/** How to list models. */
export type ListModelsOptions = ModelsCallOptions;

/** How to ask about one model: `GET /v1/models/{modelId}`. */
export interface RetrieveModelOptions extends ModelsCallOptions {
  modelId: string;
}

/**
 * The headers of every Models API request, as the official SDK 1.x sends them: `anthropic-version`, and the
 * credential as `Authorization: Bearer` (an API key too); an OAuth token adds the OAuth beta.
 */
export function authHeaders(credential: AnthropicCredential): Record<string, string> {
  const headers: Record<string, string> = {
    'anthropic-version': anthropicVersion,
    accept: 'application/json',
    'user-agent': 'parachute-supervisor',
    authorization: `Bearer ${credential.secret}`,
  };
  if (credential.kind === 'oauth_token') headers['anthropic-beta'] = 'oauth-2025-04-20';
  return headers;
}

/**
 * Lists every model the credential can see: `GET {base}/v1/models?limit=1000`, then `after_id=last_id` while
 * `has_more`. No `lifecycle` filter is sent: the API's default (active and deprecated models) is what we serve, and an
 * older API would not know the parameter. One deadline covers all pages and retries; 429/5xx/529 are retried (twice,
 * honouring retry-after when it fits in the deadline), 401/403 never. Failures are ModelsFetchError with a reason and
 * a message that never contains the credential.
 */
export async function listAnthropicModels(options: ListModelsOptions): Promise<UpstreamModel[]> {
  return withCall(options, 'the model list request', async (context) => {
    const models: UpstreamModel[] = [];
    const cursors = new Set<string>();
    let afterId: string | null = null;
    for (let page = 0; page < context.settings.maxPages; page += 1) {
      const params: Record<string, string | number> = afterId === null ? { limit: context.settings.pageLimit } : { limit: context.settings.pageLimit, after_id: afterId };
      const body = await withRetries(context, () => attempt(context, '/v1/models', params, (text) => parsePage(text, context)));
      models.push(...body.models);
      if (!body.hasMore) return models;
      if (body.lastId === null || cursors.has(body.lastId)) {
        throw context.fail('bad_response', `the Anthropic Models API said has_more without a new last_id (${context.origin})`);
      }
      cursors.add(body.lastId);
      afterId = body.lastId;
    }
    throw context.fail('bad_response', `the Anthropic Models API kept paging past ${context.settings.maxPages} pages (${context.origin})`);
  });
}

/**
 * Asks about one model: `GET {base}/v1/models/{id}`. Resolves with the model the id names (an alias resolves to its
 * model, whose `id` then differs), or null when the API answers 404 `not_found_error` (it does not know the id).
 * Retired models are answered like any other. Same deadline, retries and errors as the list; a 404 that is not the
 * API's own error body (a proxy, a gateway without the route) is an error, never "not found".
 */
export async function retrieveAnthropicModel(options: RetrieveModelOptions): Promise<UpstreamModel | null> {
  return withCall(options, 'the model lookup', (context) =>
    withRetries(context, () =>
      attempt<UpstreamModel | null>(context, `/v1/models/${encodeURIComponent(options.modelId)}`, {}, (text) => parseModel(text, context), { value: null }),
    ),
  );
}

interface Settings {
  credential: AnthropicCredential;
  baseUrl: string;
  timeoutMs: number;
  maxRetries: number;
  retryBaseMs: number;
  maxBodyBytes: number;
  pageLimit: number;
  maxPages: number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

interface CallContext {
  settings: Settings;
  origin: string;
  controller: AbortController;
  deadline: number;
  now: () => number;
  fail: (reason: ModelsFetchReason, message: string, status?: number | null) => ModelsFetchError;
  interrupted: () => ModelsFetchError;
}

// One call (a whole listing, or one lookup): one controller ends everything, our deadline or the caller's signal,
// whichever comes first; the timer and the listener are released however the call ends.
async function withCall<T>(options: ModelsCallOptions, what: string, run: (context: CallContext) => Promise<T>): Promise<T> {
  const d = anthropicClientDefaults;
  const settings: Settings = {
    credential: options.credential,
    baseUrl: (options.baseUrl ?? d.baseUrl).replace(/\/+$/, ''),
    timeoutMs: options.timeoutMs ?? d.timeoutMs,
    maxRetries: options.maxRetries ?? d.maxRetries,
    retryBaseMs: options.retryBaseMs ?? d.retryBaseMs,
    maxBodyBytes: options.maxBodyBytes ?? d.maxBodyBytes,
    pageLimit: d.pageLimit,
    maxPages: d.maxPages,
    sleep: options.sleep ?? abortableSleep,
  };
  const now = options.now ?? Date.now;
  const origin = safeOrigin(settings.baseUrl);
  const fail = (reason: ModelsFetchReason, message: string, upstreamStatus: number | null = null) =>
    new ModelsFetchError(reason, message, { at: now(), upstreamStatus });
  const controller = new AbortController();
  const deadline = now() + settings.timeoutMs;
  const timer = setTimeout(() => controller.abort(), settings.timeoutMs);
  const onCallerAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  if (options.signal?.aborted) controller.abort();
  const interrupted = () =>
    options.signal?.aborted
      ? fail('aborted', `${what} was cancelled`)
      : fail('timeout', `the Anthropic Models API did not answer within ${settings.timeoutMs} ms (${origin})`);
  try {
    return await run({ settings, origin, controller, deadline, now, fail, interrupted });
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onCallerAbort);
  }
}

interface Page {
  models: UpstreamModel[];
  hasMore: boolean;
  lastId: string | null;
}

type Attempt<T> = { value: T } | { error: ModelsFetchError; retryable: boolean; waitMs: number | null };

// One request, with retries. Each failed attempt becomes a ModelsFetchError; it is thrown when retrying is not
// allowed or would not fit in the deadline.
async function withRetries<T>(context: CallContext, once: () => Promise<Attempt<T>>): Promise<T> {
  const { settings, controller } = context;
  for (let tries = 0; ; tries += 1) {
    const outcome = await once();
    if ('value' in outcome) return outcome.value;
    const { error, retryable, waitMs } = outcome;
    const wait = waitMs ?? settings.retryBaseMs * 2 ** tries;
    if (!retryable || tries >= settings.maxRetries || context.now() + wait >= context.deadline) {
      throw tries > 0 ? withAttempts(error, tries + 1) : error;
    }
    try {
      await settings.sleep(wait, controller.signal);
    } catch {
      throw context.interrupted();
    }
  }
}

// axios is loaded on the first fetch, not at boot.
const loadAxios = lazyRequire<AxiosStatic>('axios');

// One GET; a 200 body goes to `parse`. With `notFound`, the API's own 404 (`not_found_error`) is that answer.
async function attempt<T>(
  context: CallContext,
  url: string,
  params: Record<string, string | number>,
  parse: (body: string) => Attempt<T>,
  notFound?: { value: T },
): Promise<Attempt<T>> {
  const { settings, controller, origin, fail } = context;
  let response: AxiosResponse<string>;
  try {
    const axios = loadAxios();
    response = await axios.request<string>({
      method: 'GET',
      baseURL: settings.baseUrl,
      url,
      params,
      headers: authHeaders(settings.credential),
      signal: controller.signal,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      maxContentLength: settings.maxBodyBytes,
      // A redirect could carry the credential to another host: none is followed.
      maxRedirects: 0,
    });
  } catch (error) {
    // Never keep or print the axios error: its config holds our headers. Only its code is used.
    if (controller.signal.aborted) throw context.interrupted();
    const code = typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : 'ERR_NETWORK';
    if (code === 'ERR_BAD_RESPONSE' && /maxContentLength/.test(String((error as Error).message))) {
      return { error: fail('bad_response', `the Anthropic Models API sent a body larger than ${settings.maxBodyBytes} bytes (${origin})`), retryable: false, waitMs: null };
    }
    return { error: fail('unreachable', `cannot reach the Anthropic API at ${origin} (${code})`), retryable: true, waitMs: null };
  }
  if (response.status === 200) return parse(response.data);
  if (notFound && response.status === 404 && upstreamErrorType(response.data) === 'not_found_error') return notFound;
  return { ...statusError(response, context), waitMs: retryAfterMs(response.headers as Record<string, unknown>, context.now()) };
}

function statusError(response: AxiosResponse<string>, context: CallContext): { error: ModelsFetchError; retryable: boolean } {
  const { status } = response;
  const { fail, origin, settings } = context;
  const upstream = upstreamError(response.data, settings.credential.secret);
  const detail = `${status}${upstream ? ` ${upstream}` : ''}`;
  const from = `the credential from ${settings.credential.source}`;
  if (status === 401) return { error: fail('bad_credential', `Anthropic rejected ${from} (${detail})`, status), retryable: false };
  if (status === 403) return { error: fail('forbidden', `${from} has no access to the Anthropic Models API (${detail})`, status), retryable: false };
  if (status === 429) return { error: fail('rate_limited', `Anthropic is rate-limiting Models API requests (${detail})`, status), retryable: true };
  if (status >= 500) return { error: fail('upstream_error', `the Anthropic API is failing (${detail}) at ${origin}`, status), retryable: true };
  return { error: fail('rejected', `the Anthropic Models API refused the request (${detail}) at ${origin}`, status), retryable: false };
}

// `{type: "error", error: {type, message}}` → "authentication_error: invalid x-api-key", redacted and short.
function upstreamError(body: unknown, secret: string): string | null {
  const parsed = errorBodyOf(body);
  const text = [parsed.type, parsed.message].filter((part) => part !== null).join(': ');
  return text ? redactSecrets(text, [secret]) : null;
}

function upstreamErrorType(body: unknown): string | null {
  return errorBodyOf(body).type;
}

function errorBodyOf(body: unknown): { type: string | null; message: string | null } {
  if (typeof body !== 'string') return { type: null, message: null };
  try {
    const parsed = JSON.parse(body) as { error?: { type?: unknown; message?: unknown } };
    return {
      type: typeof parsed.error?.type === 'string' ? parsed.error.type : null,
      message: typeof parsed.error?.message === 'string' ? parsed.error.message : null,
    };
  } catch {
    return { type: null, message: null };
  }
}

function parseJson(body: string, context: CallContext, what: string): { value: unknown } | { error: ModelsFetchError; retryable: false; waitMs: null } {
  try {
    return { value: JSON.parse(body) as unknown };
  } catch {
    return garbage(context, what, 'not JSON');
  }
}

function garbage(context: CallContext, what: string, why: string): { error: ModelsFetchError; retryable: false; waitMs: null } {
  return { error: context.fail('bad_response', `the Anthropic Models API sent an unreadable ${what} (${why}) from ${context.origin}`, 200), retryable: false, waitMs: null };
}

function parsePage(body: string, context: CallContext): Attempt<Page> {
  const parsed = parseJson(body, context, 'list');
  if ('error' in parsed) return parsed;
  const page = parsed.value as { data?: unknown; has_more?: unknown; last_id?: unknown } | null;
  if (typeof page !== 'object' || page === null || !Array.isArray(page.data)) return garbage(context, 'list', 'no "data" array');
  return {
    value: {
      // One odd entry never fails the list: an entry without an id is skipped, missing fields get neutral values.
      models: page.data.flatMap((entry) => toUpstreamModel(entry) ?? []),
      hasMore: page.has_more === true,
      lastId: typeof page.last_id === 'string' && page.last_id !== '' ? page.last_id : null,
    },
  };
}

function parseModel(body: string, context: CallContext): Attempt<UpstreamModel> {
  const parsed = parseJson(body, context, 'model');
  if ('error' in parsed) return parsed;
  const model = toUpstreamModel(parsed.value);
  return model ? { value: model } : garbage(context, 'model', 'no "id"');
}

function withAttempts(error: ModelsFetchError, attempts: number): ModelsFetchError {
  return new ModelsFetchError(error.reason, `${error.message} after ${attempts} attempts`, { at: error.at, upstreamStatus: error.upstreamStatus });
}

// The origin only: a base URL may carry user:password, which must not reach a message.
function safeOrigin(baseUrl: string): string {
  try {
    return new URL(baseUrl).origin;
  } catch {
    return 'an invalid ANTHROPIC_BASE_URL';
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new Error('aborted'));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
