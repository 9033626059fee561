import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSupervisor, type RunningSupervisor } from '../../../src/supervisor.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../support/fake-anthropic.js';

// node:http rather than fetch: fetch may not set Host or Origin, and the guard is about exactly those.
function send(url: string, method: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the models route of the supervisor app, behind its guard', () => {
  let fake: FakeAnthropic;
  let supervisor: RunningSupervisor;

  beforeAll(async () => {
    fake = await startFakeAnthropic({ apiKeys: ['sk-ant-api03-app-key'] });
    const dir = mkdtempSync(join(tmpdir(), 'models-in-app-'));
    const configPath = join(dir, 'config.yaml');
    writeFileSync(configPath, `default_model: claude-opus-5\napi_key: sk-ant-api03-app-key\nsupervisor:\n  log_dir: ${JSON.stringify(join(dir, 'logs'))}\n  server:\n    autostart: false\n`);
    const env = { ANTHROPIC_BASE_URL: fake.url };
    // The supervisor's own wiring: the model cache is the root's `models` child, its route mounted by the app.
    supervisor = await startSupervisor({ configPath, env, port: 0 });
  });
  afterAll(async () => {
    await supervisor.close();
    await fake.close();
  });

  it('serves GET /supervisor/models and a body-less POST /supervisor/models/refresh', async () => {
    const get = await send(`${supervisor.url}/supervisor/models`, 'GET');
    expect(get).toMatchObject({ status: 200, body: { source: 'anthropic', current_model: 'claude-opus-5', count: 5 } });
    const post = await send(`${supervisor.url}/supervisor/models/refresh`, 'POST');
    expect(post).toMatchObject({ status: 200, body: { source: 'anthropic' } });
    expect(fake.requests).toHaveLength(2);
    // The actor in the system holds the list; neither its inspected context nor its events carry the key.
    expect(supervisor.system.refs.models.getSnapshot().value).toBe('fresh');
    const inspected = JSON.stringify(supervisor.system.inspection.snapshots());
    expect(inspected).toContain('"actor":"models"');
    expect(inspected).not.toContain('sk-ant-api03-app-key');
  });

  it('is refused for a foreign Host or Origin like every other route', async () => {
    expect((await send(`${supervisor.url}/supervisor/models`, 'GET', { host: 'evil.example:3334' })).status).toBe(403);
    expect((await send(`${supervisor.url}/supervisor/models/refresh`, 'POST', { origin: 'http://evil.example' })).status).toBe(403);
    expect(fake.requests).toHaveLength(2);
  });
});
