import Anthropic from '@anthropic-ai/sdk';
import { startFakeAnthropic, type FakeAnthropic } from '../../support/fake-anthropic.js';
import { anthropicVersion } from '../../../src/models/anthropic-client.js';
import { realModels, retiredModels } from '../../support/real-models.js';

// The official SDK is the reference client: if it pages through the fake, the fake speaks the real protocol.
describe('fake Anthropic Models API, as the official SDK sees it', () => {
  let fake: FakeAnthropic;
  beforeAll(async () => {
    fake = await startFakeAnthropic({ maxPageSize: 5 });
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.requests.length = 0;
  });

  it('lists every model across pages with an API key (sent as Authorization: Bearer by SDK 1.x)', async () => {
    const client = new Anthropic({ apiKey: 'sk-ant-api03-fake-key', baseURL: fake.url, maxRetries: 0 });
    const ids: string[] = [];
    for await (const model of client.models.list({ limit: 5 })) ids.push(model.id);
    expect(ids).toEqual(realModels.map((m) => m.id));
    expect(fake.requests).toHaveLength(Math.ceil(realModels.length / 5));
    expect(fake.requests[1]?.query).toEqual({ limit: '5', after_id: realModels[4]?.id });
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer sk-ant-api03-fake-key');
    expect(fake.requests[0]?.headers['anthropic-version']).toEqual(expect.any(String));
  });

  it('sends the anthropic-version our client sends (so the constant follows the installed SDK)', async () => {
    const client = new Anthropic({ apiKey: 'sk-ant-api03-fake-key', baseURL: fake.url, maxRetries: 0 });
    await client.models.list({ limit: 1 });
    expect(fake.requests[0]?.headers['anthropic-version']).toBe(anthropicVersion);
  });

  it('describes models in the current shape the SDK types (line, lifecycle, limits, capabilities)', async () => {
    const client = new Anthropic({ apiKey: 'sk-ant-api03-fake-key', baseURL: fake.url, maxRetries: 0 });
    const page = await client.models.list({ limit: 1 });
    const model = page.data[0];
    expect(model).toEqual({ type: 'model', ...realModels[0] });
    expect(model?.capabilities?.thinking.types.adaptive.supported).toBe(true);
  });

  it('filters by lifecycle as the SDK sends it (lifecycle[]=…), retired models only when asked for', async () => {
    const client = new Anthropic({ apiKey: 'sk-ant-api03-fake-key', baseURL: fake.url, maxRetries: 0 });
    const retired: string[] = [];
    for await (const model of client.models.list({ lifecycle: ['retired'], limit: 5 })) retired.push(model.id);
    expect(retired).toEqual(retiredModels.map((m) => m.id));
    expect(fake.requests[0]?.query).toMatchObject({ 'lifecycle[]': 'retired' });
    const deprecated = await client.models.list({ lifecycle: ['deprecated'], limit: 100 });
    expect(deprecated.data.every((m) => m.lifecycle === 'deprecated')).toBe(true);
    expect(deprecated.data.length).toBeGreaterThan(0);
  });

  it('answers retrieve for a retired model, resolves an alias, and 404s an unknown id', async () => {
    const client = new Anthropic({ apiKey: 'sk-ant-api03-fake-key', baseURL: fake.url, maxRetries: 0 });
    expect(await client.models.retrieve('claude-3-5-haiku-20241022')).toMatchObject({ id: 'claude-3-5-haiku-20241022', lifecycle: 'retired' });
    expect(await client.models.retrieve('claude-opus-4-5')).toMatchObject({ id: 'claude-opus-4-5-20251101', lifecycle: 'active' });
    await expect(client.models.retrieve('claude-nope-1')).rejects.toBeInstanceOf(Anthropic.NotFoundError);
  });

  it('pages backwards with before_id like the real API', async () => {
    const client = new Anthropic({ apiKey: 'sk-ant-api03-fake-key', baseURL: fake.url, maxRetries: 0 });
    const page = await client.models.list({ before_id: realModels[7]?.id, limit: 3 });
    expect(page.data.map((m) => m.id)).toEqual(realModels.slice(4, 7).map((m) => m.id));
    expect(page.has_more).toBe(true);
  });

  it('accepts an API key as x-api-key too (the scheme of the API docs and of older clients)', async () => {
    const client = new Anthropic({ apiKey: null, baseURL: fake.url, maxRetries: 0, defaultHeaders: { 'x-api-key': 'sk-ant-api03-fake-key' } });
    const page = await client.models.list({ limit: 2 });
    expect(page.data).toHaveLength(2);
    expect(fake.requests[0]?.headers['x-api-key']).toBe('sk-ant-api03-fake-key');
    expect(fake.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('accepts an OAuth token only with the oauth beta header', async () => {
    const withBeta = new Anthropic({ authToken: 'sk-ant-oat01-fake-token', baseURL: fake.url, maxRetries: 0, defaultHeaders: { 'anthropic-beta': 'oauth-2025-04-20' } });
    const page = await withBeta.models.list({ limit: 1000 });
    expect(page.data).toHaveLength(5);
    const withoutBeta = new Anthropic({ authToken: 'sk-ant-oat01-fake-token', baseURL: fake.url, maxRetries: 0 });
    await expect(withoutBeta.models.list()).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
  });

  it('answers a bad key with the real error body, which the SDK maps to AuthenticationError', async () => {
    const client = new Anthropic({ apiKey: 'sk-ant-api03-wrong', baseURL: fake.url, maxRetries: 0 });
    const error = await client.models.list().then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((error as InstanceType<typeof Anthropic.AuthenticationError>).error).toMatchObject({ type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } });
  });

  it('sends 429 with retry-after, which the SDK maps to RateLimitError', async () => {
    fake.enqueue({ kind: 'status', status: 429, retryAfter: '7' });
    const client = new Anthropic({ apiKey: 'sk-ant-api03-fake-key', baseURL: fake.url, maxRetries: 0 });
    const error = await client.models.list().then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect((error as InstanceType<typeof Anthropic.RateLimitError>).headers.get('retry-after')).toBe('7');
  });

  it('answers 529 overloaded, which the SDK retries', async () => {
    fake.enqueue({ kind: 'status', status: 529, retryAfter: '0' });
    const client = new Anthropic({ apiKey: 'sk-ant-api03-fake-key', baseURL: fake.url, maxRetries: 1 });
    const page = await client.models.list({ limit: 2 });
    expect(page.data).toHaveLength(2);
    expect(fake.requests).toHaveLength(2);
  });
});
