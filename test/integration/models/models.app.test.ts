import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createActor } from 'xstate';
import { modelCacheMachine } from '../../../machines/model-cache.machine.js';
import { readConfig } from '../../../src/config/config-file.js';
import { createModelsRouter } from '../../../src/http/models.routes.js';
import { createFetchModelsLogic } from '../../../src/models/fetch-models.logic.js';
import { createModelsConfig } from '../../../src/models/models-config.js';
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

describe('models routes mounted in the supervisor app, behind its guard', () => {
  let fake: FakeAnthropic;
  let supervisor: RunningSupervisor;
  let stopModels: () => void = () => undefined;

  beforeAll(async () => {
    fake = await startFakeAnthropic({ apiKeys: ['sk-ant-api03-app-key'] });
    const dir = mkdtempSync(join(tmpdir(), 'models-in-app-'));
    const configPath = join(dir, 'config.yaml');
    writeFileSync(configPath, `default_model: claude-opus-5\napi_key: sk-ant-api03-app-key\nsupervisor:\n  log_dir: ${JSON.stringify(join(dir, 'logs'))}\n  server:\n    autostart: false\n`);
    const env = { ANTHROPIC_BASE_URL: fake.url };
    supervisor = await startSupervisor({
      configPath,
      env,
      port: 0,
      routers: () => {
        const config = createModelsConfig(() => readConfig(configPath).data, env);
        const models = createActor(
          modelCacheMachine.provide({ actors: { fetchModels: createFetchModelsLogic({ credential: config.credential, baseUrl: config.baseUrl }) } }),
          { input: {} },
        ).start();
        stopModels = () => models.stop();
        return [createModelsRouter({ models, currentModel: config.currentModel, credentialId: config.credentialId, ttlMs: config.ttlMs })];
      },
    });
  });
  afterAll(async () => {
    stopModels();
    await supervisor.close();
    await fake.close();
  });

  it('serves GET /supervisor/models and a body-less POST /supervisor/models/refresh', async () => {
    const get = await send(`${supervisor.url}/supervisor/models`, 'GET');
    expect(get).toMatchObject({ status: 200, body: { source: 'anthropic', current_model: 'claude-opus-5', count: 6 } });
    const post = await send(`${supervisor.url}/supervisor/models/refresh`, 'POST');
    expect(post).toMatchObject({ status: 200, body: { source: 'anthropic' } });
    expect(fake.requests).toHaveLength(2);
  });

  it('is refused for a foreign Host or Origin like every other route', async () => {
    expect((await send(`${supervisor.url}/supervisor/models`, 'GET', { host: 'evil.example:3334' })).status).toBe(403);
    expect((await send(`${supervisor.url}/supervisor/models/refresh`, 'POST', { origin: 'http://evil.example' })).status).toBe(403);
    expect(fake.requests).toHaveLength(2);
  });
});
