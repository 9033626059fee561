import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { errorBody } from '../../../src/errors.js';
import { anthropicVersion, listAnthropicModels, retrieveAnthropicModel, type ListModelsOptions } from '../../../src/models/anthropic-client.js';
import type { AnthropicCredential } from '../../../src/models/credentials.js';
import { ModelsFetchError } from '../../../src/models/models-fetch-error.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../support/fake-anthropic.js';
import { legacyShape, realModels } from '../../support/real-models.js';

const apiKey: AnthropicCredential = { kind: 'api_key', secret: 'sk-ant-api03-fake-key', source: 'ANTHROPIC_API_KEY' };
const oauth: AnthropicCredential = { kind: 'oauth_token', secret: 'sk-ant-oat01-fake-token', source: 'CLAUDE_CODE_OAUTH_TOKEN' };
const wrongKey: AnthropicCredential = { kind: 'api_key', secret: 'sk-ant-api03-wrong-secret-value', source: 'api_key' };

describe('listAnthropicModels against the fake Models API', () => {
  let fake: FakeAnthropic;
  let waits: number[];
  beforeAll(async () => {
    fake = await startFakeAnthropic({ maxPageSize: 4, forbidden: ['sk-ant-api03-no-access'], apiKeys: ['sk-ant-api03-fake-key', 'sk-ant-api03-no-access'] });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.requests.length = 0;
    fake.setFault(null);
    waits = [];
  });

  // Retries wait through this recorder, so a test sees the delays without sleeping them.
  const list = (overrides: Partial<ListModelsOptions> = {}) =>
    listAnthropicModels({
      credential: apiKey,
      baseUrl: fake.url,
      sleep: async (ms) => void waits.push(ms),
      ...overrides,
    });
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected the listing to fail');
      },
      (error: unknown) => {
        expect(error).toBeInstanceOf(ModelsFetchError);
        return error as ModelsFetchError;
      },
    );

  it('follows has_more/last_id through every page, sending the key as the SDK does: Authorization: Bearer, anthropic-version 2026-10-21', async () => {
    const models = await list();
    expect(models.map((m) => m.id)).toEqual(realModels.map((m) => m.id));
    expect(fake.requests.map((r) => r.query)).toEqual([
      { limit: '1000' },
      { limit: '1000', after_id: realModels[3]?.id },
      { limit: '1000', after_id: realModels[7]?.id },
      { limit: '1000', after_id: realModels[11]?.id },
    ]);
    expect(fake.requests[0]?.headers).toMatchObject({ authorization: `Bearer ${apiKey.secret}`, 'anthropic-version': '2026-10-21' });
    expect(fake.requests[0]?.headers['x-api-key']).toBeUndefined();
    expect(fake.requests[0]?.headers['anthropic-beta']).toBeUndefined();
  });

  it('sends an OAuth token as Authorization: Bearer with the oauth beta, and no x-api-key', async () => {
    const models = await list({ credential: oauth });
    expect(models).toHaveLength(realModels.length);
    expect(fake.requests[0]?.headers).toMatchObject({ authorization: `Bearer ${oauth.secret}`, 'anthropic-beta': 'oauth-2025-04-20', 'anthropic-version': anthropicVersion });
    expect(fake.requests[0]?.headers['x-api-key']).toBeUndefined();
  });

  it('reads every field of the current API shape, and asks for no lifecycle filter (active and deprecated are the default)', async () => {
    const models = await list();
    expect(models).toEqual(realModels);
    expect(fake.requests.every((r) => !Object.keys(r.query).some((key) => key.startsWith('lifecycle')))).toBe(true);
  });

  it('reports a rejected key as bad_credential, at once, naming where the key came from but not the key', async () => {
    const error = await failure(list({ credential: wrongKey }));
    expect(error).toMatchObject({ code: 'ERR_MODELS_FETCH', reason: 'bad_credential', upstreamStatus: 401 });
    expect(error.message).toBe('Anthropic rejected the credential from api_key (401 authentication_error: invalid x-api-key)');
    expect(fake.requests).toHaveLength(1);
  });

  it('reports a key without access as forbidden, without retrying', async () => {
    const error = await failure(list({ credential: { ...apiKey, secret: 'sk-ant-api03-no-access' } }));
    expect(error).toMatchObject({ reason: 'forbidden', upstreamStatus: 403 });
    expect(fake.requests).toHaveLength(1);
  });

  it('retries a 429 after the retry-after it was given, then succeeds', async () => {
    fake.enqueue({ kind: 'status', status: 429, retryAfter: '2' });
    const models = await list();
    expect(models).toHaveLength(realModels.length);
    expect(waits).toEqual([2_000]);
  });

  it('gives up on 429 after two retries, as rate_limited', async () => {
    fake.setFault({ kind: 'status', status: 429, retryAfter: '1' });
    const error = await failure(list());
    expect(error.reason).toBe('rate_limited');
    expect(error.message).toMatch(/429 rate_limit_error.*after 3 attempts$/);
    expect(fake.requests).toHaveLength(3);
    expect(waits).toEqual([1_000, 1_000]);
  });

  it('does not wait for a retry-after longer than the deadline', async () => {
    fake.setFault({ kind: 'status', status: 429, retryAfter: '60' });
    const error = await failure(list({ timeoutMs: 5_000 }));
    expect(error.reason).toBe('rate_limited');
    expect(fake.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it.each([500, 503, 529])('retries %i with exponential backoff, then reports upstream_error', async (status) => {
    fake.setFault({ kind: 'status', status });
    const error = await failure(list({ retryBaseMs: 100 }));
    expect(error).toMatchObject({ reason: 'upstream_error', upstreamStatus: status });
    expect(fake.requests).toHaveLength(3);
    expect(waits).toEqual([100, 200]);
  });

  it('recovers when a 529 clears on a later page', async () => {
    fake.enqueue({ kind: 'json', body: { data: realModels.slice(0, 2), has_more: true, first_id: realModels[0]?.id, last_id: realModels[1]?.id } }, { kind: 'status', status: 529 });
    const models = await list({ retryBaseMs: 1 });
    expect(models.map((m) => m.id)).toEqual(realModels.map((m) => m.id));
    expect(fake.requests.map((r) => r.query.after_id)).toEqual([undefined, realModels[1]?.id, realModels[1]?.id, realModels[5]?.id, realModels[9]?.id]);
  });

  it('answers a hanging upstream within the timeout, as timeout', async () => {
    fake.setFault({ kind: 'hang' });
    const started = Date.now();
    const error = await failure(list({ timeoutMs: 300 }));
    expect(error.reason).toBe('timeout');
    expect(error.message).toMatch(/did not answer within 300 ms/);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('cuts off a body that drips in too slowly, as timeout', async () => {
    fake.setFault({ kind: 'drip', intervalMs: 50 });
    const error = await failure(list({ timeoutMs: 300 }));
    expect(error.reason).toBe('timeout');
  });

  it('refuses a body that is not JSON, without retrying', async () => {
    fake.setFault({ kind: 'garbage' });
    const error = await failure(list());
    expect(error).toMatchObject({ reason: 'bad_response', message: expect.stringContaining('not JSON') });
    expect(fake.requests).toHaveLength(1);
  });

  it('refuses JSON without a data array', async () => {
    fake.setFault({ kind: 'json', body: { models: [] } });
    expect((await failure(list())).message).toMatch(/no "data" array/);
  });

  it('refuses a huge body instead of buffering it', async () => {
    fake.setFault({ kind: 'huge', bytes: 4 * 1024 * 1024 });
    const error = await failure(list({ maxBodyBytes: 256 * 1024 }));
    expect(error).toMatchObject({ reason: 'bad_response', message: expect.stringContaining('larger than 262144 bytes') });
  });

  it('stops on a cursor that does not move', async () => {
    fake.setFault({ kind: 'json', body: { data: [], has_more: true, first_id: null, last_id: null } });
    expect((await failure(list())).message).toMatch(/has_more without a new last_id/);
  });

  it('skips entries without an id and fills missing fields instead of failing the list', async () => {
    fake.setFault({ kind: 'json', body: { data: [{ id: 'claude-opus-5' }, { display_name: 'no id' }, 42, null, { id: 'x-odd', display_name: 'Odd', created_at: '2026-01-01T00:00:00Z' }], has_more: false } });
    const nulls = { line: null, lifecycle: null, deprecated_at: null, retires_at: null, max_input_tokens: null, max_tokens: null, capabilities: null };
    expect(await list()).toEqual([
      { id: 'claude-opus-5', display_name: 'claude-opus-5', created_at: '', ...nulls },
      { id: 'x-odd', display_name: 'Odd', created_at: '2026-01-01T00:00:00Z', ...nulls },
    ]);
  });

  it('turns malformed new fields into null, one by one, and keeps the model', async () => {
    const odd = {
      id: 'claude-opus-9',
      display_name: 'Claude Opus 9',
      created_at: '2027-01-01T00:00:00Z',
      line: 'not a line!',
      lifecycle: 'sunsetting',
      deprecated_at: 'yesterday',
      retires_at: 20270101,
      max_input_tokens: 1.5,
      max_tokens: -1,
      capabilities: ['not', 'an', 'object'],
    };
    fake.setFault({ kind: 'json', body: { data: [odd, { ...odd, id: 'claude-opus-10', line: 'OPUS', lifecycle: 'deprecated', max_tokens: 64_000 }], has_more: false } });
    const [first, second] = await list();
    expect(first).toEqual({ id: 'claude-opus-9', display_name: 'Claude Opus 9', created_at: '2027-01-01T00:00:00Z', line: null, lifecycle: null, deprecated_at: null, retires_at: null, max_input_tokens: null, max_tokens: null, capabilities: null });
    expect(second).toMatchObject({ line: 'opus', lifecycle: 'deprecated', max_tokens: 64_000 });
  });

  it('honours an abort signal', async () => {
    fake.setFault({ kind: 'hang' });
    const controller = new AbortController();
    const pending = failure(list({ signal: controller.signal }));
    await fake.waitForRequests(1);
    controller.abort();
    expect((await pending).reason).toBe('aborted');
  });

  it('reports a closed port as unreachable after retrying', async () => {
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const error = await failure(list({ baseUrl: `http://127.0.0.1:${port}`, retryBaseMs: 1 }));
    expect(error.reason).toBe('unreachable');
    expect(error.message).toMatch(/ECONNREFUSED.*after 3 attempts/);
  });

  it('never lets the key into an error, its JSON body or its inspected form', async () => {
    const faults = [
      { kind: 'status', status: 401 },
      { kind: 'status', status: 429, retryAfter: '0' },
      { kind: 'status', status: 529 },
      { kind: 'garbage' },
      { kind: 'hang' },
    ] as const;
    for (const fault of faults) {
      fake.setFault(fault);
      for (const credential of [apiKey, oauth]) {
        const error = await failure(list({ credential, timeoutMs: 200, retryBaseMs: 1 }));
        const everything = [error.message, JSON.stringify(errorBody(error)), inspect(error, { depth: 20, showHidden: true }), String(error.stack)].join('\n');
        expect(everything).not.toContain(credential.secret);
        expect(everything).not.toContain('sk-ant-');
      }
    }
  });
});

describe('retrieveAnthropicModel against the fake Models API', () => {
  let fake: FakeAnthropic;
  let legacy: FakeAnthropic;
  beforeAll(async () => {
    fake = await startFakeAnthropic();
    legacy = await startFakeAnthropic({ shape: 'legacy' });
  });
  afterAll(async () => {
    await fake.close();
    await legacy.close();
  });
  beforeEach(() => {
    fake.requests.length = 0;
    fake.setFault(null);
  });

  const retrieve = (modelId: string, baseUrl = fake.url) => retrieveAnthropicModel({ credential: apiKey, baseUrl, modelId, retryBaseMs: 1 });

  it('answers a listed model with all its fields, through GET /v1/models/{id} with the same headers as the list', async () => {
    expect(await retrieve('claude-opus-5')).toEqual(realModels[0]);
    expect(fake.requests).toEqual([expect.objectContaining({ method: 'GET', path: '/v1/models/claude-opus-5', query: {} })]);
    expect(fake.requests[0]?.headers).toMatchObject({ authorization: `Bearer ${apiKey.secret}`, 'anthropic-version': anthropicVersion });
  });

  it('answers a retired model, which the list never shows, with lifecycle retired', async () => {
    expect(await retrieve('claude-3-7-sonnet-20250219')).toMatchObject({ id: 'claude-3-7-sonnet-20250219', lifecycle: 'retired', retires_at: '2026-02-19T00:00:00Z', line: 'sonnet' });
  });

  it('resolves an alias to the model it names', async () => {
    expect(await retrieve('claude-sonnet-4-5')).toMatchObject({ id: 'claude-sonnet-4-5-20250929', lifecycle: 'deprecated' });
  });

  it('answers null for an id the API does not know (404 not_found_error)', async () => {
    expect(await retrieve('claude-sonnet-9')).toBeNull();
    expect(fake.requests).toHaveLength(1);
  });

  it('treats a 404 that is not the API\u2019s own answer (a proxy, a route missing) as an error, never as "not found"', async () => {
    fake.setFault({ kind: 'json', status: 404, body: { message: 'no route' } });
    await expect(retrieve('claude-opus-5')).rejects.toMatchObject({ reason: 'rejected', upstreamStatus: 404 });
  });

  it('escapes the id into one path segment', async () => {
    expect(await retrieve('claude-opus-5/../../v1/models')).toBeNull();
    expect(fake.requests[0]?.path).toBe('/v1/models/claude-opus-5%2F..%2F..%2Fv1%2Fmodels');
  });

  it('retries a 529 like the list, then answers', async () => {
    fake.enqueue({ kind: 'status', status: 529 });
    expect(await retrieve('claude-opus-5')).toMatchObject({ id: 'claude-opus-5' });
    expect(fake.requests).toHaveLength(2);
  });

  it('fails within its timeout when the API hangs, as timeout', async () => {
    fake.setFault({ kind: 'hang' });
    await expect(retrieveAnthropicModel({ credential: apiKey, baseUrl: fake.url, modelId: 'claude-opus-5', timeoutMs: 300 })).rejects.toMatchObject({ reason: 'timeout' });
  });

  it('fails with the credential error, never leaking the key', async () => {
    const error = await retrieveAnthropicModel({ credential: wrongKey, baseUrl: fake.url, modelId: 'claude-opus-5' }).catch((e: unknown) => e as ModelsFetchError);
    expect(error).toMatchObject({ reason: 'bad_credential' });
    expect(String((error as Error).message)).not.toContain(wrongKey.secret);
  });

  it('lists an API of the older shape (no line, lifecycle, limits or capabilities) with those fields null', async () => {
    const models = await listAnthropicModels({ credential: apiKey, baseUrl: legacy.url });
    expect(models.map((m) => m.id)).toEqual(realModels.map((m) => m.id));
    expect(models.every((m) => m.line === null && m.lifecycle === null && m.max_input_tokens === null && m.capabilities === null)).toBe(true);
  });

  it('reads an answer of the older API shape with its new fields null; a retired model is unknown there', async () => {
    expect(await retrieve('claude-opus-5', legacy.url)).toEqual({ ...legacyShape(realModels[0]!), line: null, lifecycle: null, deprecated_at: null, retires_at: null, max_input_tokens: null, max_tokens: null, capabilities: null });
    expect(await retrieve('claude-3-7-sonnet-20250219', legacy.url)).toBeNull();
  });
});
