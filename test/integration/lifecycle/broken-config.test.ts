import { jest } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { request } from '../../support/http.js';
import { startHarness, type Harness } from '../../support/supervisor-harness.js';
import { waitFor } from '../../support/wait-for.js';

describe('a config.yaml broken by hand', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('keeps the supervisor up and the server on its last good settings', async () => {
    h = await startHarness({ config: { default_model: 'claude-opus-4-6' } });
    const before = await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    const good = readFileSync(h.configPath, 'utf8');
    writeFileSync(h.configPath, `${good}\nbroken: [unclosed\n`);
    const broken = await h.waitForStatus('config_loaded false', (s) => s.config_loaded === false);
    expect(broken).toMatchObject({ main_server_status: 'running', main_server_port: before.main_server_port });
    const restarted = await h.post('/supervisor/server/restart');
    expect(restarted.status).toBe(200);
    // Still the fixture from the last good file, not the demo server of the defaults.
    expect(restarted.json.status).toMatchObject({ main_server_version: 'fixture-1', main_server_port: h.serverPort });
    expect((await h.post('/supervisor/server/stop')).json.status.main_server_status).toBe('stopped');
  });

  it('does not autostart on a file that does not parse', async () => {
    h = await startHarness();
    await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    const dir = h.dir;
    await h.sup.close();
    writeFileSync(h.configPath, `${readFileSync(h.configPath, 'utf8')}\n: : :\n  - [\n`);
    h = await startHarness({ dir });
    const status = await h.status();
    expect(status).toMatchObject({ config_loaded: false, main_server_status: 'stopped' });
  });

  it('refuses a manual start on a file that has not parsed since the supervisor started, naming where it is broken', async () => {
    h = await startHarness({ server: { autostart: false } });
    const dir = h.dir;
    await h.sup.close();
    writeFileSync(h.configPath, `${readFileSync(h.configPath, 'utf8')}\nbroken: [unclosed\n`);
    h = await startHarness({ dir });
    const started = await h.post('/supervisor/server/start');
    expect(started.status).toBe(500);
    expect(started.json.code).toBe('ERR_CONFIG_INVALID');
    expect(started.json.detail).toMatch(/^Server start failed: .*line \d+, column \d+.*fix the file, then start the server again/);
    // Nothing was spawned: not the demo server of the defaults, not anything else.
    expect(started.json.status).toMatchObject({ main_server_status: 'crashed', main_server_state: 'crashed.halted', main_server_pid: null });
    expect(h.logLines()).toEqual([]);
  });
});

describe('a config.yaml that the YAML library rejects only late', () => {
  const secret = 'sk-ant-api03-secretvalue-latefailure-0123456789';
  const fragments = Array.from({ length: secret.length - 7 }, (_, i) => secret.slice(i, i + 8));
  const leaked = (text: string) => fragments.filter((f) => text.includes(f));
  let h: Harness | undefined;
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  beforeEach(() => {
    rejections.length = 0;
    process.on('unhandledRejection', onRejection);
  });
  afterEach(async () => {
    process.off('unhandledRejection', onRejection);
    jest.restoreAllMocks();
    await h?.close();
    h = undefined;
  });

  it('answers 503 with line and column on config, 200 on status and models, and never shows the value', async () => {
    h = await startHarness({ config: { default_model: 'claude-opus-4-6' } });
    await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    const unexpected = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    writeFileSync(h.configPath, `${readFileSync(h.configPath, 'utf8')}api_key: *${secret}\n`);
    const line = readFileSync(h.configPath, 'utf8').split('\n').length - 1;

    const config = await h.get('/supervisor/config');
    expect({ status: config.status, body: config.json }).toEqual({
      status: 503,
      body: {
        code: 'ERR_CONFIG_INVALID',
        line,
        column: 10,
        detail: `${h.configPath} is not valid YAML at line ${line}, column 10: an alias (*name) refers to no anchor (&name) defined before it; quote the value if it is meant as text`,
      },
    });
    const status = await h.get('/supervisor/status');
    expect(status.json).toMatchObject({ config_loaded: false, main_server_status: 'running', default_model: null });
    const models = await h.get('/supervisor/models');
    expect(models.status).toBe(200);
    const put = await request(`${h.url}/supervisor/config`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ values: { log_level: 'debug' }, restart: false }) });
    expect({ status: put.status, code: put.json.code }).toEqual({ status: 503, code: 'ERR_CONFIG_INVALID' });
    expect(leaked([config.text, status.text, models.text, put.text].join('\n'))).toEqual([]);
    expect(unexpected).not.toHaveBeenCalled();
    expect(rejections).toEqual([]);
  });

  it('keeps probing the running server on its last good settings, tick after tick, while the file is broken', async () => {
    // 100 ms between probes in the good file; the default would be 2000 ms.
    h = await startHarness({ server: { health_interval_ms: 100, env: { FIXTURE_LOG_HEALTH: '1' } } });
    const before = await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    writeFileSync(h.configPath, `api_key: *${secret}\n${readFileSync(h.configPath, 'utf8')}`);
    await h.waitForStatus('config_loaded false', (s) => s.config_loaded === false);
    const probes = () => h?.logLines().filter((l) => l === 'health check answered').length ?? 0;
    const seen = probes();
    // Five probes on the broken file within 4 s: at the default interval they would take 10 s.
    await waitFor('five more health probes', () => probes() >= seen + 5, { timeoutMs: 4_000 });
    expect(await h.status()).toMatchObject({ main_server_status: 'running', main_server_healthy: true, main_server_pid: before.main_server_pid, restart_count: 0 });
    expect(rejections).toEqual([]);
  });
});
