import Anthropic from '@anthropic-ai/sdk';
import { startFakeAnthropic, type FakeAnthropic } from '../../support/fake-anthropic.js';
import { realModels } from '../../support/real-models.js';

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

  it('pages backwards with before_id like the real API', async () => {
    const client = new Anthropic({ apiKey: 'sk-ant-api03-fake-key', baseURL: fake.url, maxRetries: 0 });
    const page = await client.models.list({ before_id: realModels[7]?.id, limit: 3 });
    expect(page.data.map((m) => m.id)).toEqual(realModels.slice(4, 7).map((m) => m.id));
    expect(page.has_more).toBe(true);
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
