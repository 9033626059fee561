import { sonnet37Retired, sonnet45Deprecated } from '../../support/model-fixtures.js';
import { fallbackModels } from '../../../src/models/fallback-models.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../support/fake-anthropic.js';
import { startModelsApp, type ModelsApp } from '../../support/models-app.js';
import { realModels } from '../../support/real-models.js';

const keyA = 'sk-ant-api03-key-alpha-0001';
const keyB = 'sk-ant-api03-key-bravo-0002';
const token = 'sk-ant-oat01-token-charlie-0003';
const badKey = 'sk-ant-api03-not-a-valid-key';
const allSecrets = [keyA, keyB, token, badKey];

const latestIds = ['claude-opus-5', 'claude-sonnet-5', 'claude-fable-5', 'claude-mythos-preview', 'claude-haiku-4-5-20251001'];
const listCalls = (fake: FakeAnthropic) => fake.requests.filter((r) => r.path === '/v1/models');
const lookupCalls = (fake: FakeAnthropic) => fake.requests.filter((r) => r.path.startsWith('/v1/models/'));

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
    expect(body).toMatchObject({ count: 5, show_all: false, current_model: 'claude-sonnet-5', is_stale: false, source: 'anthropic', error: null, warnings: [] });
    expect((body.models as { id: string }[]).map((m) => m.id)).toEqual(latestIds);
    expect(body.models).toContainEqual({ ...realModels.find((m) => m.id === 'claude-fable-5'), family: 'fable', is_latest: true, is_current: false });
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
    expect([...new Set(families)]).toEqual(['opus', 'sonnet', 'fable', 'mythos', 'haiku']);
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
    expect(body).toMatchObject({ source: 'fallback', is_stale: true, cached_at: null, current_model: 'opus', current_model_info: { resolved_id: 'claude-opus-5-5', lifecycle: null } });
    expect(body.models).toEqual(fallbackModels.filter((m) => m.is_latest).map((m) => ({ ...m, is_current: m.id === 'claude-opus-5-5' })));
    expect(body.warnings).toEqual(['This is the built-in list of models: it cannot tell which models are deprecated or retired, so their lifecycle is null']);
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
    expect(fake.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${keyA}`, `Bearer ${keyB}`]);
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
    expect(fake.requests[1]?.headers.authorization).toBe(`Bearer ${keyB}`);
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

  describe('the current model, in the current API shape', () => {
    it('flags a deprecated current model, keeps it in the default view, and names its replacement', async () => {
      await start({ env: { ANTHROPIC_API_KEY: keyA }, config: { default_model: 'claude-sonnet-4-5-20250929' } });
      const { body } = await app.get('/supervisor/models');
      expect((body.models as { id: string; is_current: boolean }[]).filter((m) => m.is_current).map((m) => m.id)).toEqual(['claude-sonnet-4-5-20250929']);
      expect(body.current_model_info).toEqual(sonnet45Deprecated());
      expect(body.warnings).toEqual(['claude-sonnet-4-5-20250929 is deprecated and retires on 2027-02-05; Claude Sonnet 5 (claude-sonnet-5) replaces it']);
      // A listed model needs no lookup.
      expect(lookupCalls(fake)).toHaveLength(0);
    });

    it('finds a retired current model through GET /v1/models/{id}, never lists it, and caches the answer', async () => {
      await start({ env: { ANTHROPIC_API_KEY: keyA }, config: { default_model: 'claude-3-7-sonnet-20250219' } });
      const { body } = await app.get('/supervisor/models?show_all=true');
      expect((body.models as { id: string }[]).map((m) => m.id)).not.toContain('claude-3-7-sonnet-20250219');
      expect((body.models as { is_current: boolean }[]).some((m) => m.is_current)).toBe(false);
      expect(body.current_model_info).toEqual(sonnet37Retired());
      expect(body.warnings).toEqual(['claude-3-7-sonnet-20250219 is retired, so requests naming it fail; Claude Sonnet 5 (claude-sonnet-5) replaces it']);
      expect(lookupCalls(fake).map((r) => r.path)).toEqual(['/v1/models/claude-3-7-sonnet-20250219']);
      expect(lookupCalls(fake)[0]?.headers.authorization).toBe(`Bearer ${keyA}`);
      await app.get('/supervisor/models');
      expect(lookupCalls(fake)).toHaveLength(1);
      expect(listCalls(fake)).toHaveLength(1);
    });

    it('says "unknown" for an id the API does not know (404), with the latest model of its line to use instead', async () => {
      await start({ env: { ANTHROPIC_API_KEY: keyA }, config: { default_model: 'claude-sonnet-9' } });
      const { body } = await app.get('/supervisor/models');
      expect(body.current_model_info).toEqual({ id: 'claude-sonnet-9', resolved_id: null, display_name: null, lifecycle: 'unknown', retires_at: null, replacement: 'claude-sonnet-5' });
      expect(body.warnings).toEqual(['The Anthropic API does not know the model claude-sonnet-9; use Claude Sonnet 5 (claude-sonnet-5) instead']);
    });

    it('resolves an alias to the model it names, which it marks current', async () => {
      await start({ env: { ANTHROPIC_API_KEY: keyA }, config: { default_model: 'claude-opus-4-5' } });
      const { body } = await app.get('/supervisor/models');
      expect(body.current_model_info).toMatchObject({ id: 'claude-opus-4-5', resolved_id: 'claude-opus-4-5-20251101', lifecycle: 'active', replacement: null });
      expect((body.models as { id: string; is_current: boolean }[]).filter((m) => m.is_current).map((m) => m.id)).toEqual(['claude-opus-4-5-20251101']);
      expect(body.warnings).toEqual([]);
    });

    it('resolves opus|sonnet|haiku locally, without a lookup', async () => {
      await start({ env: { ANTHROPIC_API_KEY: keyA }, config: { default_model: 'haiku' } });
      const { body } = await app.get('/supervisor/models');
      expect(body.current_model_info).toMatchObject({ id: 'haiku', resolved_id: 'claude-haiku-4-5-20251001', lifecycle: 'active' });
      expect(lookupCalls(fake)).toHaveLength(0);
    });

    it('keeps what a lookup said when a refresh fails, and asks again once the refresh works', async () => {
      await start({ env: { ANTHROPIC_API_KEY: keyA }, config: { default_model: 'claude-3-7-sonnet-20250219' } });
      await app.get('/supervisor/models');
      fake.setFault({ kind: 'status', status: 529 });
      const failed = await app.post('/supervisor/models/refresh');
      expect(failed.body).toMatchObject({ source: 'cache', is_stale: true, current_model_info: { lifecycle: 'retired' } });
      fake.setFault(null);
      const before = lookupCalls(fake).length;
      const refreshed = await app.post('/supervisor/models/refresh');
      expect(refreshed.body).toMatchObject({ source: 'anthropic', current_model_info: { lifecycle: 'retired' } });
      expect(lookupCalls(fake).length - before).toBe(1);
    });

    it('shares one lookup among concurrent requests', async () => {
      await start({ env: { ANTHROPIC_API_KEY: keyA }, config: { default_model: 'claude-3-5-haiku-20241022' } });
      await app.get('/supervisor/models');
      await app.post('/supervisor/models/refresh');
      const before = lookupCalls(fake).length;
      const release = fake.hold();
      const pending = Array.from({ length: 20 }, () => app.get('/supervisor/models?refresh=true'));
      await app.waitForRequestEvents(22);
      release();
      const answers = await Promise.all(pending);
      expect(lookupCalls(fake).length - before).toBe(1);
      for (const answer of answers) expect(answer.body.current_model_info).toMatchObject({ lifecycle: 'retired' });
    });

    it('does not look up the current model when the list itself could not be fetched', async () => {
      fake.setFault({ kind: 'status', status: 503 });
      await start({ env: { ANTHROPIC_API_KEY: keyA }, config: { default_model: 'claude-3-7-sonnet-20250219' } });
      const { body } = await app.get('/supervisor/models');
      expect(body).toMatchObject({ source: 'fallback', current_model_info: { lifecycle: null } });
      expect(lookupCalls(fake)).toHaveLength(0);
    });

    it('says the current model could not be checked when its lookup fails', async () => {
      await start({ env: { ANTHROPIC_API_KEY: keyA }, config: { default_model: 'claude-3-7-sonnet-20250219' } });
      fake.enqueue({ kind: 'json', body: { data: realModels, has_more: false } }, { kind: 'status', status: 401 });
      const { body } = await app.get('/supervisor/models');
      expect(lookupCalls(fake)).toHaveLength(1);
      expect(body.current_model_info).toMatchObject({ lifecycle: null });
      expect(body.warnings).toEqual([
        'claude-3-7-sonnet-20250219 is not in the model list and the Anthropic API could not be asked about it (Anthropic rejected the credential from ANTHROPIC_API_KEY (401 authentication_error: invalid x-api-key))',
      ]);
    });
  });

  describe('the current model, in the older API shape (no line, lifecycle, limits or capabilities)', () => {
    let legacy: FakeAnthropic;
    beforeAll(async () => {
      legacy = await startFakeAnthropic({ apiKeys: [keyA], shape: 'legacy' });
    });
    afterAll(() => legacy.close());

    it('serves the list with those fields null and families parsed from the ids, and says lifecycles are not known', async () => {
      app = await startModelsApp({ baseUrl: legacy.url, env: { ANTHROPIC_API_KEY: keyA }, config: { default_model: 'claude-sonnet-4-5-20250929' } });
      apps.push(app);
      const { body } = await app.get('/supervisor/models');
      const models = body.models as Record<string, unknown>[];
      expect(models.map((m) => m.id)).toEqual(latestIds.slice(0, 2).concat('claude-sonnet-4-5-20250929', latestIds.slice(2)));
      for (const m of models) expect(m).toMatchObject({ line: null, lifecycle: null, deprecated_at: null, retires_at: null, max_input_tokens: null, max_tokens: null, capabilities: null });
      expect(body.current_model_info).toEqual({
        id: 'claude-sonnet-4-5-20250929',
        resolved_id: 'claude-sonnet-4-5-20250929',
        display_name: 'Claude Sonnet 4.5',
        lifecycle: null,
        retires_at: null,
        replacement: null,
      });
      expect(body.warnings).toEqual(['The Anthropic Models API did not say which models are deprecated or retired (an older API version), so their lifecycle is null']);
    });

    it('resolves an alias, and calls a model it does not know (a retired one, there) unknown', async () => {
      app = await startModelsApp({ baseUrl: legacy.url, env: { ANTHROPIC_API_KEY: keyA }, config: { default_model: 'claude-opus-4-5' } });
      apps.push(app);
      expect((await app.get('/supervisor/models')).body.current_model_info).toMatchObject({ resolved_id: 'claude-opus-4-5-20251101', lifecycle: null });
      app.writeConfig({ default_model: 'claude-3-7-sonnet-20250219' });
      expect((await app.get('/supervisor/models')).body.current_model_info).toMatchObject({ lifecycle: 'unknown', replacement: 'claude-sonnet-5' });
    });
  });
});
