import type { AxiosResponse, AxiosStatic } from 'axios';
import { lazyRequire } from '../lazy-require.js';
import type { AnthropicCredential } from './credentials.js';
import type { UpstreamModel } from './model-catalogue.js';
import { ModelsFetchError, redactSecrets, type ModelsFetchReason } from './models-fetch-error.js';
import { retryAfterMs } from './retry-after.js';

/** Defaults of the Models API client, in the words of docs/api.md (Models). */
export const anthropicClientDefaults = {
  /** `ANTHROPIC_BASE_URL` when unset. */
  baseUrl: 'https://api.anthropic.com',
  /** The whole listing (every page, every retry) must finish within this. */
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

/** How to list models: the credential, and knobs tests and callers may change. */
export interface ListModelsOptions {
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

/** The headers that authenticate a Models API request: `x-api-key`, or `Authorization: Bearer` plus the OAuth beta. */
export function authHeaders(credential: AnthropicCredential): Record<string, string> {
  const base = { 'anthropic-version': '2023-06-01', accept: 'application/json', 'user-agent': 'parachute-supervisor' };
  if (credential.kind === 'oauth_token') {
    return { ...base, authorization: `Bearer ${credential.secret}`, 'anthropic-beta': 'oauth-2025-04-20' };
  }
  return { ...base, 'x-api-key': credential.secret };
}

/**
 * Lists every model the credential can see: `GET {base}/v1/models?limit=1000`, then `after_id=last_id` while
 * `has_more`. One deadline covers all pages and retries; 429/5xx/529 are retried (twice, honouring retry-after when
 * it fits in the deadline), 401/403 never. Failures are ModelsFetchError with a reason and a message that never
 * contains the credential.
 */
export async function listAnthropicModels(options: ListModelsOptions): Promise<UpstreamModel[]> {
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

  // One controller ends everything: our deadline or the caller's signal, whichever comes first.
  const controller = new AbortController();
  const deadline = now() + settings.timeoutMs;
  const timer = setTimeout(() => controller.abort(), settings.timeoutMs);
  const onCallerAbort = () => controller.abort();
  options.signal?.addEventListener('abort', onCallerAbort, { once: true });
  if (options.signal?.aborted) controller.abort();
  const interrupted = () =>
    options.signal?.aborted
      ? fail('aborted', 'the model list request was cancelled')
      : fail('timeout', `the Anthropic Models API did not answer within ${settings.timeoutMs} ms (${origin})`);

  const context: PageContext = { settings, origin, controller, deadline, now, fail, interrupted };
  try {
    const models: UpstreamModel[] = [];
    const cursors = new Set<string>();
    let afterId: string | null = null;
    for (let page = 0; page < settings.maxPages; page += 1) {
      const body = await fetchPage(context, afterId);
      models.push(...body.models);
      if (!body.hasMore) return models;
      if (body.lastId === null || cursors.has(body.lastId)) {
        throw fail('bad_response', `the Anthropic Models API said has_more without a new last_id (${origin})`);
      }
      cursors.add(body.lastId);
      afterId = body.lastId;
    }
    throw fail('bad_response', `the Anthropic Models API kept paging past ${settings.maxPages} pages (${origin})`);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onCallerAbort);
  }
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

interface PageContext {
  settings: Settings;
  origin: string;
  controller: AbortController;
  deadline: number;
  now: () => number;
  fail: (reason: ModelsFetchReason, message: string, status?: number | null) => ModelsFetchError;
  interrupted: () => ModelsFetchError;
}

interface Page {
  models: UpstreamModel[];
  hasMore: boolean;
  lastId: string | null;
}

// One page, with retries. Each failed attempt becomes a ModelsFetchError; it is thrown when retrying is not allowed
// or would not fit in the deadline.
async function fetchPage(context: PageContext, afterId: string | null): Promise<Page> {
  const { settings, controller } = context;
  for (let attempt = 0; ; attempt += 1) {
    const outcome = await attemptPage(context, afterId);
    if (!('error' in outcome)) return outcome;
    const { error, retryable, waitMs } = outcome;
    const wait = waitMs ?? settings.retryBaseMs * 2 ** attempt;
    if (!retryable || attempt >= settings.maxRetries || context.now() + wait >= context.deadline) {
      throw attempt > 0 ? withAttempts(error, attempt + 1) : error;
    }
    try {
      await settings.sleep(wait, controller.signal);
    } catch {
      throw context.interrupted();
    }
  }
}

type Attempt = Page | { error: ModelsFetchError; retryable: boolean; waitMs: number | null };

// axios is loaded on the first fetch, not at boot.
const loadAxios = lazyRequire<AxiosStatic>('axios');

async function attemptPage(context: PageContext, afterId: string | null): Promise<Attempt> {
  const { settings, controller, origin, fail } = context;
  let response: AxiosResponse<string>;
  try {
    const axios = loadAxios();
    response = await axios.request<string>({
      method: 'GET',
      baseURL: settings.baseUrl,
      url: '/v1/models',
      params: afterId === null ? { limit: settings.pageLimit } : { limit: settings.pageLimit, after_id: afterId },
      headers: authHeaders(settings.credential),
      signal: controller.signal,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      maxContentLength: settings.maxBodyBytes,
      // A redirect could carry x-api-key to another host (follow-redirects only strips Authorization).
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
  if (response.status === 200) return parsePage(response.data, context);
  return { ...statusError(response, context), waitMs: retryAfterMs(response.headers as Record<string, unknown>, context.now()) };
}

function statusError(response: AxiosResponse<string>, context: PageContext): { error: ModelsFetchError; retryable: boolean } {
  const { status } = response;
  const { fail, origin, settings } = context;
  const upstream = upstreamError(response.data, settings.credential.secret);
  const detail = `${status}${upstream ? ` ${upstream}` : ''}`;
  const from = `the credential from ${settings.credential.source}`;
  if (status === 401) return { error: fail('bad_credential', `Anthropic rejected ${from} (${detail})`, status), retryable: false };
  if (status === 403) return { error: fail('forbidden', `${from} has no access to the Anthropic Models API (${detail})`, status), retryable: false };
  if (status === 429) return { error: fail('rate_limited', `Anthropic is rate-limiting model list requests (${detail})`, status), retryable: true };
  if (status >= 500) return { error: fail('upstream_error', `the Anthropic API is failing (${detail}) at ${origin}`, status), retryable: true };
  return { error: fail('rejected', `the Anthropic Models API refused the request (${detail}) at ${origin}`, status), retryable: false };
}

// `{type: "error", error: {type, message}}` → "authentication_error: invalid x-api-key", redacted and short.
function upstreamError(body: unknown, secret: string): string | null {
  if (typeof body !== 'string') return null;
  try {
    const parsed = JSON.parse(body) as { error?: { type?: unknown; message?: unknown } };
    const type = typeof parsed.error?.type === 'string' ? parsed.error.type : null;
    const message = typeof parsed.error?.message === 'string' ? parsed.error.message : null;
    const text = [type, message].filter((part) => part !== null).join(': ');
    return text ? redactSecrets(text, [secret]) : null;
  } catch {
    return null;
  }
}

function parsePage(body: string, context: PageContext): Attempt {
  const garbage = (why: string): Attempt => ({
    error: context.fail('bad_response', `the Anthropic Models API sent an unreadable list (${why}) from ${context.origin}`, 200),
    retryable: false,
    waitMs: null,
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return garbage('not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as { data?: unknown }).data)) {
    return garbage('no "data" array');
  }
  const page = parsed as { data: unknown[]; has_more?: unknown; last_id?: unknown };
  return {
    models: page.data.flatMap(toUpstreamModel),
    hasMore: page.has_more === true,
    lastId: typeof page.last_id === 'string' && page.last_id !== '' ? page.last_id : null,
  };
}

// One odd entry never fails the list: an entry without an id is skipped, missing fields get neutral values.
function toUpstreamModel(entry: unknown): UpstreamModel[] {
  if (typeof entry !== 'object' || entry === null) return [];
  const { id, display_name, created_at } = entry as Record<string, unknown>;
  if (typeof id !== 'string' || id === '') return [];
  return [{
    id,
    display_name: typeof display_name === 'string' && display_name !== '' ? display_name : id,
    created_at: typeof created_at === 'string' ? created_at : '',
  }];
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
