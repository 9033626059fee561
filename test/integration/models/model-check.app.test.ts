import { sonnet45Deprecated } from '../../support/model-fixtures.js';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { request } from '../../support/http.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../support/fake-anthropic.js';
import { startHarness, type Harness } from '../../support/supervisor-harness.js';

const key = 'sk-ant-api03-model-check-key';
const lookups = (fake: FakeAnthropic) => fake.requests.filter((r) => r.path.startsWith('/v1/models/'));

// PUT /supervisor/config through the real supervisor app, its default_model judged by the real model cache against a
// real fake of the Models API; and status, which only ever reads what that cache holds.
describe('default_model checked against the Models API', () => {
  let fake: FakeAnthropic;
  let h: Harness | null = null;
  beforeAll(async () => {
    fake = await startFakeAnthropic({ apiKeys: [key] });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.requests.length = 0;
    fake.setFault(null);
  });
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  const start = async (options: { env?: NodeJS.ProcessEnv; config?: Record<string, unknown>; modelCheckWaitMs?: number } = {}) => {
    h = await startHarness({
      config: { default_model: 'claude-sonnet-5', ...options.config },
      env: { ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_API_KEY: key, CLAUDE_CODE_OAUTH_TOKEN: '', ...options.env },
      server: { autostart: false },
      modelCheckWaitMs: options.modelCheckWaitMs,
    });
    return h;
  };
  const put = (harness: Harness, model: string) =>
    request(`${harness.url}/supervisor/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ values: { default_model: model }, restart: false }),
    });

  it('refuses a retired model with 400 ERR_MODEL_RETIRED naming the replacement, and writes nothing', async () => {
    const harness = await start();
    const before = readFileSync(harness.configPath, 'utf8');
    const answer = await put(harness, 'claude-3-7-sonnet-20250219');
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({
      detail: 'claude-3-7-sonnet-20250219 is retired, so the main server could not use it; use Claude Sonnet 5 (claude-sonnet-5) instead; nothing was written',
      code: 'ERR_MODEL_RETIRED',
      key: 'default_model',
      value: 'claude-3-7-sonnet-20250219',
      replacement: 'claude-sonnet-5',
    });
    expect(readFileSync(harness.configPath, 'utf8')).toBe(before);
    expect(lookups(fake).map((r) => r.path)).toEqual(['/v1/models/claude-3-7-sonnet-20250219']);
  });

  it('refuses an alias of a retired model, and an id the API does not know (ERR_MODEL_UNKNOWN)', async () => {
    const harness = await start();
    const before = readFileSync(harness.configPath, 'utf8');
    const alias = await put(harness, 'claude-3-5-haiku-latest[1m]');
    expect(alias.status).toBe(400);
    expect(alias.json).toMatchObject({ code: 'ERR_MODEL_RETIRED', replacement: 'claude-haiku-4-5-20251001' });
    expect(alias.json.detail).toMatch(/^claude-3-5-haiku-latest\[1m\] \(claude-3-5-haiku-20241022\) is retired/);
    const unknown = await put(harness, 'claude-sonnet-9');
    expect(unknown.status).toBe(400);
    expect(unknown.json).toEqual({
      detail: 'The Anthropic API does not know the model claude-sonnet-9; use Claude Sonnet 5 (claude-sonnet-5) instead; nothing was written',
      code: 'ERR_MODEL_UNKNOWN',
      key: 'default_model',
      value: 'claude-sonnet-9',
      replacement: 'claude-sonnet-5',
    });
    expect(readFileSync(harness.configPath, 'utf8')).toBe(before);
  });

  it('accepts a listed model (a deprecated one too) and an alias of a live one, asking nothing more once the list is cached', async () => {
    const harness = await start();
    await request(`${harness.url}/supervisor/models`);
    const deprecated = await put(harness, 'claude-sonnet-4-5-20250929');
    expect(deprecated.status).toBe(200);
    expect(deprecated.json).toMatchObject({ success: true, updated_keys: ['default_model'], config: { default_model: 'claude-sonnet-4-5-20250929' } });
    expect(lookups(fake)).toHaveLength(0);
    const alias = await put(harness, 'claude-opus-4-5');
    expect(alias.status).toBe(200);
    expect(lookups(fake).map((r) => r.path)).toEqual(['/v1/models/claude-opus-4-5']);
  });

  it('always accepts opus, sonnet and haiku, without asking the API', async () => {
    fake.setFault({ kind: 'status', status: 500 });
    const harness = await start();
    for (const model of ['opus', 'sonnet[1m]', 'haiku']) expect((await put(harness, model)).status).toBe(200);
    expect(fake.requests).toHaveLength(0);
  });

  it('applies only the pattern without a credential: nothing is asked, a retired id is written', async () => {
    const harness = await start({ env: { ANTHROPIC_API_KEY: '' } });
    const answer = await put(harness, 'claude-3-7-sonnet-20250219');
    expect(answer.status).toBe(200);
    expect(readFileSync(harness.configPath, 'utf8')).toMatch(/^default_model: claude-3-7-sonnet-20250219$/m);
    expect(fake.requests).toHaveLength(0);
  });

  it('keeps offline edits working: an unreachable API leaves only the pattern, and the failure is remembered', async () => {
    const closed = createServer().listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const harness = await start({ env: { ANTHROPIC_BASE_URL: `http://127.0.0.1:${port}` } });
    const first = await put(harness, 'claude-3-7-sonnet-20250219');
    expect(first.status).toBe(200);
    const started = Date.now();
    expect((await put(harness, 'claude-3-7-sonnet-20250219[1m]')).status).toBe(200);
    // Within the error backoff the failed lookup is not repeated: the second edit does not wait for retries again.
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(harness.sup.system.refs.models.getSnapshot().context.lookups).toEqual([
      expect.objectContaining({ modelId: 'claude-3-7-sonnet-20250219', outcome: null, pending: null, error: expect.objectContaining({ reason: 'unreachable' }) }),
    ]);
  });

  it('never hangs on a dead upstream: past its bound the edit goes through on the pattern alone', async () => {
    fake.setFault({ kind: 'hang' });
    const harness = await start({ modelCheckWaitMs: 300 });
    const started = Date.now();
    const answer = await put(harness, 'claude-3-7-sonnet-20250219');
    expect(answer.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(3_000);
    fake.setFault(null);
  });

  it('a refused edit with restart still restarts nothing', async () => {
    const harness = await start();
    const answer = await request(`${harness.url}/supervisor/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ values: { default_model: 'claude-3-haiku-20240307', log_level: 'debug' }, restart: true }),
    });
    expect(answer.status).toBe(400);
    expect(answer.json.code).toBe('ERR_MODEL_RETIRED');
    expect(readFileSync(harness.configPath, 'utf8')).not.toMatch(/log_level/);
    expect((await harness.status()).main_server_status).toBe('stopped');
  });

  describe('status', () => {
    it('says what the model cache knows of default_model, and never asks the API itself', async () => {
      const harness = await start({ config: { default_model: 'claude-sonnet-4-5-20250929' } });
      const cold = await harness.status();
      expect(cold.default_model_info).toEqual({ id: 'claude-sonnet-4-5-20250929', resolved_id: null, display_name: null, lifecycle: null, retires_at: null, replacement: null });
      expect(fake.requests).toHaveLength(0);
      await request(`${harness.url}/supervisor/models`);
      const warm = await harness.status();
      expect(warm.default_model_info).toEqual(sonnet45Deprecated());
    });

    it('says a retired default_model is retired once it was looked up, still without asking on its own', async () => {
      const harness = await start({ config: { default_model: 'claude-3-7-sonnet-20250219' } });
      await request(`${harness.url}/supervisor/models`);
      expect((await harness.status()).default_model_info).toMatchObject({ lifecycle: 'retired', replacement: 'claude-sonnet-5' });
      const calls = fake.requests.length;
      for (let i = 0; i < 5; i += 1) await harness.status();
      expect(fake.requests).toHaveLength(calls);
    });
  });
});
