import { fallbackModels } from '../../../src/models/fallback-models.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../support/fake-anthropic.js';
import { startModelsApp, type ModelsApp } from '../../support/models-app.js';
import { realModels } from '../../support/real-models.js';

const keyA = 'sk-ant-api03-key-alpha-0001';
const keyB = 'sk-ant-api03-key-bravo-0002';
const token = 'sk-ant-oat01-token-charlie-0003';
const badKey = 'sk-ant-api03-not-a-valid-key';
const allSecrets = [keyA, keyB, token, badKey];

const latestIds = ['claude-opus-5', 'claude-sonnet-5', 'claude-fable-5', 'claude-mythos-preview', 'claude-haiku-4-5-20251001', 'claude-2.1'];

describe('GET /supervisor/models and POST /supervisor/models/refresh', () => {
  let fake: FakeAnthropic;
  let app: ModelsApp;
  const apps: ModelsApp[] = [];
  const start = async (options: Omit<Parameters<typeof startModelsApp>[0], 'baseUrl'> = {}) => {
    app = await startModelsApp({ baseUrl: fake.url, ...options });
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    fake = await startFakeAnthropic({ apiKeys: [keyA, keyB], oauthTokens: [token], maxPageSize: 1000 });
  });
  beforeEach(() => {
    fake.requests.length = 0;
    fake.setFault(null);
    fake.options.maxPageSize = 1000;
  });
  afterEach(async () => {
    // Whatever a test did, no key may have reached a response body or the inspector.
    for (const text of [...app.responses, ...app.inspected]) {
      for (const secret of allSecrets) expect(text).not.toContain(secret);
    }
    await Promise.all(apps.splice(0).map((a) => a.close()));
  });
  afterAll(() => fake.close());

  it('fetches every page on a cold request and answers the latest model per family', async () => {
    fake.options.maxPageSize = 4;
    await start({ env: { ANTHROPIC_API_KEY: keyA }, config: { default_model: 'claude-sonnet-5' } });
    const { status, body } = await app.get('/supervisor/models');
    expect(status).toBe(200);
    expect(body).toMatchObject({ count: 6, show_all: false, current_model: 'claude-sonnet-5', is_stale: false, source: 'anthropic', error: null });
    expect((body.models as { id: string }[]).map((m) => m.id)).toEqual(latestIds);
    expect(body.models).toContainEqual({ id: 'claude-2.1', display_name: 'Claude 2.1', created_at: '2023-11-21T00:00:00Z', family: 'claude', is_latest: true });
    expect(new Date(body.cached_at as string).toISOString()).toBe(body.cached_at);
    expect(fake.requests).toHaveLength(Math.ceil(realModels.length / 4));
  });

  it('answers later requests from the cache without asking upstream', async () => {
    await start({ env: { ANTHROPIC_API_KEY: keyA } });
    const first = await app.get('/supervisor/models');
    const second = await app.get('/supervisor/models?show_all=true');
    expect(fake.requests).toHaveLength(1);
    expect(second.body).toMatchObject({ source: 'cache', show_all: true, count: realModels.length, cached_at: first.body.cached_at, is_stale: false });
    const families = (second.body.models as { family: string }[]).map((m) => m.family);
    expect([...new Set(families)]).toEqual(['opus', 'sonnet', 'fable', 'mythos', 'haiku', 'claude']);
  });

  it('shares one upstream call among 50 concurrent cold requests', async () => {
    await start({ env: { ANTHROPIC_API_KEY: keyA } });
    const release = fake.hold();
    const pending = Array.from({ length: 50 }, () => app.get('/supervisor/models'));
    await app.waitForRequestEvents(50);
    await fake.waitForRequests(1);
    release();
    const answers = await Promise.all(pending);
    expect(fake.requests).toHaveLength(1);
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual(answers[0]?.body);
      expect(answer.body.source).toBe('anthropic');
    }
  });

  it('forces a fetch with ?refresh=true and with POST /supervisor/models/refresh', async () => {
    await start({ env: { ANTHROPIC_API_KEY: keyA } });
    await app.get('/supervisor/models');
    expect((await app.get('/supervisor/models?refresh=true')).body.source).toBe('anthropic');
    expect((await app.post('/supervisor/models/refresh?show_all=true')).body).toMatchObject({ source: 'anthropic', show_all: true, count: realModels.length });
    expect(fake.requests).toHaveLength(3);
  });

  it('keeps serving the cached list, stale and with the error, when a refresh fails', async () => {
    await start({ env: { ANTHROPIC_API_KEY: keyA } });
    const warm = await app.get('/supervisor/models');
    fake.setFault({ kind: 'status', status: 529 });
    const failed = await app.post('/supervisor/models/refresh');
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({ source: 'cache', is_stale: true, cached_at: warm.body.cached_at, models: warm.body.models });
    expect(failed.body.error).toMatch(/529 overloaded_error: Overloaded.*after 3 attempts/);
    // Within the error backoff plain requests do not hit the failing upstream again.
    const upstreamCalls = fake.requests.length;
    const later = await app.get('/supervisor/models');
    expect(later.body).toMatchObject({ source: 'cache', is_stale: true, error: failed.body.error });
    expect(fake.requests).toHaveLength(upstreamCalls);
  });

  it('falls back to the built-in list when there is no credential, without calling upstream', async () => {
    await start({ env: {}, config: { default_model: 'opus' } });
    const { status, body } = await app.get('/supervisor/models');
    expect(status).toBe(200);
    expect(body).toMatchObject({ source: 'fallback', is_stale: true, cached_at: null, current_model: 'opus' });
    expect(body.models).toEqual(fallbackModels.filter((m) => m.is_latest));
    expect(body.error).toMatch(/no Anthropic credential/);
    expect(fake.requests).toHaveLength(0);
  });

  it('falls back with the reason when the key is rejected and nothing is cached', async () => {
    await start({ config: { api_key: badKey } });
    const { body } = await app.get('/supervisor/models?show_all=true');
    expect(body).toMatchObject({ source: 'fallback', count: fallbackModels.length, error: 'Anthropic rejected the credential from api_key (401 authentication_error: invalid x-api-key)' });
  });

  it('answers within the fetch timeout when upstream hangs', async () => {
    fake.setFault({ kind: 'hang' });
    await start({ env: { ANTHROPIC_API_KEY: keyA }, timeoutMs: 300 });
    const started = Date.now();
    const { status, body } = await app.get('/supervisor/models');
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(status).toBe(200);
    expect(body).toMatchObject({ source: 'fallback', is_stale: true });
    expect(body.error).toMatch(/did not answer within 300 ms/);
  });

  it('still answers when the request wait bound ends before the fetch does', async () => {
    fake.setFault({ kind: 'hang' });
    await start({ env: { ANTHROPIC_API_KEY: keyA }, timeoutMs: 5_000, waitMs: 200 });
    const { body } = await app.get('/supervisor/models');
    expect(body).toMatchObject({ source: 'fallback', error: expect.stringMatching(/has not answered yet/) });
  });

  it('refetches when the credential changes, and never serves one key\u2019s list under another', async () => {
    await start({ env: { ANTHROPIC_API_KEY: keyA } });
    await app.get('/supervisor/models');
    app.env.ANTHROPIC_API_KEY = keyB;
    const switched = await app.get('/supervisor/models');
    expect(switched.body.source).toBe('anthropic');
    expect(fake.requests.map((r) => r.headers['x-api-key'])).toEqual([keyA, keyB]);
    app.env.ANTHROPIC_API_KEY = badKey;
    const rejected = await app.get('/supervisor/models');
    expect(rejected.body).toMatchObject({ source: 'fallback', error: expect.stringMatching(/rejected/) });
  });

  it('uses a config-file OAuth token when env has none, and follows edits to config.yaml', async () => {
    await start({ config: { claude_code_oauth_token: token, default_model: 'sonnet' } });
    const first = await app.get('/supervisor/models');
    expect(first.body).toMatchObject({ source: 'anthropic', current_model: 'sonnet' });
    expect(fake.requests[0]?.headers).toMatchObject({ authorization: `Bearer ${token}`, 'anthropic-beta': 'oauth-2025-04-20' });
    app.writeConfig({ api_key: keyB, default_model: 'claude-opus-5', supervisor: { models_ttl_ms: 0 } });
    const second = await app.get('/supervisor/models');
    expect(second.body).toMatchObject({ source: 'anthropic', current_model: 'claude-opus-5' });
    expect(fake.requests[1]?.headers['x-api-key']).toBe(keyB);
    // models_ttl_ms: 0 — every request fetches.
    await app.get('/supervisor/models');
    expect(fake.requests).toHaveLength(3);
  });

  it.each([
    ['show_all=yes', 'show_all must be true or false, got "yes"'],
    ['refresh=1', 'refresh must be true or false, got "1"'],
    ['show_all=true&show_all=false', 'show_all must be true or false, got ["true","false"]'],
    ['show_all=TRUE', 'show_all must be true or false, got "TRUE"'],
  ])('refuses ?%s with 400 {detail, code}', async (query, detail) => {
    await start({ env: { ANTHROPIC_API_KEY: keyA } });
    const { status, body } = await app.get(`/supervisor/models?${query}`);
    expect(status).toBe(400);
    expect(body).toEqual({ detail, code: 'ERR_BAD_REQUEST' });
    expect(fake.requests).toHaveLength(0);
  });

  it('answers 405 naming the allowed method for other methods', async () => {
    await start({ env: { ANTHROPIC_API_KEY: keyA } });
    const del = await app.call('DELETE', '/supervisor/models');
    expect(del.status).toBe(405);
    expect(del.headers.get('allow')).toBe('GET');
    expect(del.body).toMatchObject({ code: 'ERR_METHOD_NOT_ALLOWED' });
    const get = await app.get('/supervisor/models/refresh');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(fake.requests).toHaveLength(0);
  });

  it('answers 503 once the cache actor has stopped (shutdown)', async () => {
    await start({ env: { ANTHROPIC_API_KEY: keyA } });
    app.actor.stop();
    const { status, body } = await app.get('/supervisor/models');
    expect(status).toBe(503);
    expect(body).toMatchObject({ code: 'ERR_SHUTTING_DOWN' });
  });
});
