import { randomUUID } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { knownModels, legacyShape, modelAliases } from './real-models.js';

/** A model as the fake knows it; the fields of the current API shape default to null (`lifecycle` to active). */
export interface FakeModel {
  id: string;
  display_name: string;
  created_at: string;
  line?: string | null;
  lifecycle?: 'active' | 'deprecated' | 'retired';
  deprecated_at?: string | null;
  retires_at?: string | null;
  max_input_tokens?: number | null;
  max_tokens?: number | null;
  capabilities?: Record<string, unknown> | null;
}

/**
 * Which Models API the fake plays: `current` (anthropic-version 2026-10-21: every field, the `lifecycle` filter, retired
 * models through retrieve) or `legacy` (an API from before `line` and `lifecycle`: three fields per model, retired
 * models unknown everywhere).
 */
export type FakeShape = 'current' | 'legacy';

const lifecycles = ['active', 'deprecated', 'retired'] as const;

/** One way the fake can misbehave for a request. */
export type FakeFault =
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'hang' }
  | { kind: 'garbage' }
  | { kind: 'huge'; bytes: number }
  | { kind: 'drip'; intervalMs: number }
  | { kind: 'json'; status?: number; body: unknown };

/** What the fake saw of one request (headers included, for auth assertions). */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
}

/** Options of startFakeAnthropic; everything can be changed later through the returned handle. */
export interface FakeAnthropicOptions {
  /** Every model the fake knows (retired ones included); by default test/support/real-models.ts's knownModels. */
  models?: FakeModel[];
  /** Alias → model id, resolved by `GET /v1/models/{alias}`. */
  aliases?: Record<string, string>;
  shape?: FakeShape;
  /** Accepted as `x-api-key` or as `Authorization: Bearer` (how @anthropic-ai/sdk 1.x sends keys). */
  apiKeys?: string[];
  /** Accepted as `Authorization: Bearer` together with `anthropic-beta: oauth-2025-04-20`. */
  oauthTokens?: string[];
  /** Credentials that authenticate but may not list models (403). */
  forbidden?: string[];
  /** Largest page the fake returns whatever `limit` asks (to exercise pagination). */
  maxPageSize?: number;
}

/** A running fake of the Anthropic Models API. */
export interface FakeAnthropic {
  url: string;
  requests: RecordedRequest[];
  options: Required<FakeAnthropicOptions>;
  /** Faults for the next requests, in order, one each. */
  enqueue(...faults: FakeFault[]): void;
  /** A fault for every request until cleared with null. */
  setFault(fault: FakeFault | null): void;
  /** Parks requests (after recording them) until the returned function is called. */
  hold(): () => void;
  /** Resolves once `count` requests have arrived in total. */
  waitForRequests(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const oauthBeta = 'oauth-2025-04-20';

/** Starts a local fake of `GET /v1/models` on 127.0.0.1, port 0: real pagination, both auth schemes, real error bodies. */
export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const settings: Required<FakeAnthropicOptions> = {
    models: options.models ?? knownModels,
    aliases: options.aliases ?? modelAliases,
    shape: options.shape ?? 'current',
    apiKeys: options.apiKeys ?? ['sk-ant-api03-fake-key'],
    oauthTokens: options.oauthTokens ?? ['sk-ant-oat01-fake-token'],
    forbidden: options.forbidden ?? [],
    maxPageSize: options.maxPageSize ?? 1000,
  };
  const requests: RecordedRequest[] = [];
  const queue: FakeFault[] = [];
  let standing: FakeFault | null = null;
  let gate: Promise<void> | null = null;
  const arrivals = new EventEmitter();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: { ...req.headers } });
    arrivals.emit('request', requests.length);
    if (gate) await gate;
    const fault = queue.shift() ?? standing;
    if (fault && applyFault(fault, res)) return;
    const retrieve = /^\/v1\/models\/([^/]+)$/.exec(url.pathname);
    if (req.method !== 'GET' || (url.pathname !== '/v1/models' && !retrieve)) return sendError(res, 404, 'not_found_error', 'Not found');
    const auth = authenticate(req);
    if (auth) return sendError(res, auth.status, auth.type, auth.message);
    if (retrieve) return retrieveModel(decodeURIComponent(retrieve[1] ?? ''), res);
    listModels(url.searchParams, res);
  }

  // A model as this API version describes it.
  function describe(model: FakeModel): Record<string, unknown> {
    if (settings.shape === 'legacy') return { type: 'model', ...legacyShape(model) };
    return {
      type: 'model',
      id: model.id,
      display_name: model.display_name,
      created_at: model.created_at,
      line: model.line ?? null,
      lifecycle: model.lifecycle ?? 'active',
      deprecated_at: model.deprecated_at ?? null,
      retires_at: model.retires_at ?? null,
      max_input_tokens: model.max_input_tokens ?? null,
      max_tokens: model.max_tokens ?? null,
      capabilities: model.capabilities ?? null,
    };
  }

  // `GET /v1/models/{id}`: a model id or an alias; retired models too (the current shape); else 404.
  function retrieveModel(id: string, res: ServerResponse) {
    const target = settings.aliases[id] ?? id;
    const model = settings.models.find((m) => m.id === target);
    const visible = model && (settings.shape === 'current' || (model.lifecycle ?? 'active') !== 'retired');
    if (!model || !visible) return sendError(res, 404, 'not_found_error', `model: ${id}`);
    send(res, 200, describe(model));
  }

  // The `lifecycle` filter as the SDK sends it (`lifecycle[]=active&lifecycle[]=retired`); active and deprecated by
  // default. An API of the legacy shape ignores it. Null: the filter is invalid (the answer is sent).
  function lifecycleFilter(params: URLSearchParams, res: ServerResponse): readonly string[] | null {
    const asked = [...params.getAll('lifecycle[]'), ...params.getAll('lifecycle')];
    if (settings.shape === 'legacy' || asked.length === 0) return ['active', 'deprecated'];
    const wrong = asked.find((value) => !(lifecycles as readonly string[]).includes(value));
    if (wrong !== undefined || asked.length > 3) {
      sendError(res, 400, 'invalid_request_error', `lifecycle: up to 3 of ${lifecycles.join(', ')} (got ${asked.join(',')})`);
      return null;
    }
    return asked;
  }

  // The real API: x-api-key needs anthropic-version; Bearer is an API key (SDK 1.x) or an OAuth token with the beta.
  function authenticate(req: IncomingMessage): { status: number; type: string; message: string } | null {
    const key = header(req, 'x-api-key');
    const bearer = /^Bearer (.+)$/.exec(header(req, 'authorization') ?? '')?.[1] ?? null;
    if (!header(req, 'anthropic-version')) return { status: 400, type: 'invalid_request_error', message: 'anthropic-version: header is required' };
    const presented = key ?? bearer;
    if (presented === null) return { status: 401, type: 'authentication_error', message: 'x-api-key header is required' };
    const isKey = settings.apiKeys.includes(presented);
    const isToken = bearer !== null && settings.oauthTokens.includes(presented);
    if (!isKey && !isToken) return { status: 401, type: 'authentication_error', message: 'invalid x-api-key' };
    if (isToken && !(header(req, 'anthropic-beta') ?? '').split(',').map((s) => s.trim()).includes(oauthBeta)) {
      return { status: 401, type: 'authentication_error', message: 'OAuth authentication is currently not supported.' };
    }
    if (settings.forbidden.includes(presented)) return { status: 403, type: 'permission_error', message: 'Your API key does not have permission to use the specified resource.' };
    return null;
  }

  function listModels(params: URLSearchParams, res: ServerResponse) {
    const limitText = params.get('limit') ?? '20';
    const limit = Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      return sendError(res, 400, 'invalid_request_error', `limit: Input should be less than or equal to 1000 (got ${limitText})`);
    }
    const stages = lifecycleFilter(params, res);
    if (stages === null) return;
    const all = settings.models
      .filter((m) => stages.includes(m.lifecycle ?? 'active'))
      .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at));
    const afterId = params.get('after_id');
    const beforeId = params.get('before_id');
    const size = Math.min(limit, settings.maxPageSize);
    let slice: FakeModel[];
    let hasMore: boolean;
    if (afterId !== null) {
      const at = all.findIndex((m) => m.id === afterId);
      if (at < 0) return sendError(res, 400, 'invalid_request_error', `after_id: unknown id ${afterId}`);
      slice = all.slice(at + 1, at + 1 + size);
      hasMore = at + 1 + size < all.length;
    } else if (beforeId !== null) {
      const at = all.findIndex((m) => m.id === beforeId);
      if (at < 0) return sendError(res, 400, 'invalid_request_error', `before_id: unknown id ${beforeId}`);
      slice = all.slice(Math.max(0, at - size), at);
      hasMore = at - size > 0;
    } else {
      slice = all.slice(0, size);
      hasMore = size < all.length;
    }
    send(res, 200, {
      data: slice.map(describe),
      has_more: hasMore,
      first_id: slice[0]?.id ?? null,
      last_id: slice.at(-1)?.id ?? null,
    });
  }

  // True when the fault answered (or deliberately never answers) the request.
  function applyFault(fault: FakeFault, res: ServerResponse): boolean {
    switch (fault.kind) {
      case 'status': {
        const kinds: Record<number, [string, string]> = {
          400: ['invalid_request_error', 'Bad request'],
          401: ['authentication_error', 'invalid x-api-key'],
          403: ['permission_error', 'Your API key does not have permission to use the specified resource.'],
          404: ['not_found_error', 'Not found'],
          429: ['rate_limit_error', 'Number of requests has exceeded your rate limit.'],
          500: ['api_error', 'Internal server error'],
          503: ['api_error', 'Service unavailable'],
          529: ['overloaded_error', 'Overloaded'],
        };
        const [type, message] = kinds[fault.status] ?? ['api_error', 'Error'];
        if (fault.retryAfter !== undefined) res.setHeader('retry-after', fault.retryAfter);
        sendError(res, fault.status, type, message);
        return true;
      }
      case 'hang':
        return true;
      case 'json':
        send(res, fault.status ?? 200, fault.body);
        return true;
      case 'garbage':
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"data": [{"id": "claude-opus-5", <html>502 Bad Gateway</html>');
        return true;
      case 'huge': {
        res.writeHead(200, { 'content-type': 'application/json' });
        const chunk = ' '.repeat(64 * 1024);
        res.write('{"data": [], "padding": "');
        let left = fault.bytes;
        const pump = () => {
          while (left > 0) {
            left -= chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end('", "has_more": false}');
        };
        res.on('error', () => undefined);
        pump();
        return true;
      }
      case 'drip': {
        res.writeHead(200, { 'content-type': 'application/json' });
        const body = JSON.stringify({ data: [], has_more: false, first_id: null, last_id: null });
        let i = 0;
        const timer = setInterval(() => {
          if (i >= body.length || res.destroyed) {
            clearInterval(timer);
            timers.delete(timer);
            if (!res.destroyed) res.end();
            return;
          }
          res.write(body[i]);
          i += 1;
        }, fault.intervalMs);
        timers.add(timer);
        return true;
      }
    }
  }

  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    options: settings,
    enqueue: (...faults) => void queue.push(...faults),
    setFault: (fault) => {
      standing = fault;
    },
    hold: () => {
      let release!: () => void;
      gate = new Promise<void>((resolve) => {
        release = () => {
          gate = null;
          resolve();
        };
      });
      return release;
    },
    waitForRequests: (count, timeoutMs = 5_000) =>
      new Promise<void>((resolve, reject) => {
        if (requests.length >= count) return resolve();
        const timer = setTimeout(() => {
          arrivals.off('request', check);
          reject(new Error(`fake Anthropic saw ${requests.length} requests, expected ${count} within ${timeoutMs} ms`));
        }, timeoutMs);
        function check(seen: number) {
          if (seen < count) return;
          clearTimeout(timer);
          arrivals.off('request', check);
          resolve();
        }
        arrivals.on('request', check);
      }),
    close: async () => {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' && value !== '' ? value : null;
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${randomUUID().replace(/-/g, '')}` });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, status: number, type: string, message: string) {
  send(res, status, { type: 'error', error: { type, message }, request_id: `req_${randomUUID().replace(/-/g, '')}` });
}
