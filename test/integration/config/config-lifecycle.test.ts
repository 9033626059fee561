import { readFileSync } from 'node:fs';
import { statePath } from '../../../src/actors/state-value.js';
import type { InspectionRecord } from '../../../src/inspect/inspection-hub.js';
import { request } from '../../support/http.js';
import { startHarness, type Harness } from '../../support/supervisor-harness.js';
import { waitFor } from '../../support/wait-for.js';

const put = (h: Harness, body: unknown) =>
  request(`${h.url}/supervisor/config`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('config changes applied to the real server', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('restarts the demo server on the new default_model, which it then reports in /api/health', async () => {
    h = await startHarness({ server: { command: null } });
    await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    const answer = await put(h, { values: { default_model: 'claude-opus-4-6' }, restart: true });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ success: true, updated_keys: ['default_model'], server_restarted: true, config: { default_model: 'claude-opus-4-6' } });
    const health = await request(`http://127.0.0.1:${h.serverPort}/api/health`);
    expect(health.json).toMatchObject({ status: 'ok', version: 'demo-1.0.0', default_model: 'claude-opus-4-6' });
    expect((await h.status()).default_model).toBe('claude-opus-4-6');
  });

  it('does not take a start already under way (launched on the old file) for the restart on the new config', async () => {
    h = await startHarness({ fixture: 'slow-server.mjs', config: { default_model: 'claude-sonnet-4-5' }, server: { env: { SLOW_START_MS: '1000' } } });
    // The fixture prints this line after it has read config.yaml, and listens only a second later.
    await waitFor('the first server to have read its config', () => h!.logLines().some((l) => / starting \(start delay/.test(l)));
    expect((await h.status()).main_server_status).toBe('starting');
    const answer = await put(h, { values: { default_model: 'claude-opus-4-6' }, restart: true });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ server_restarted: true });
    const health = await request(`http://127.0.0.1:${h.serverPort}/api/health`);
    expect(health.json).toMatchObject({ version: 'slow-1', default_model: 'claude-opus-4-6' });
  });

  it('rolls back byte for byte when the server does not come back healthy, and ends running on the old config', async () => {
    h = await startHarness({ fixture: 'picky-server.mjs', config: { default_model: 'claude-sonnet-4-5' }, server: { backoff_ms: 50, restart: 'temporary' } });
    const before = await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    const original = readFileSync(h.configPath);
    const records: InspectionRecord[] = [];
    const unsubscribe = h.sup.system.inspection.subscribe((r) => records.push(r));
    const answer = await put(h, { values: { default_model: 'claude-broken-1' } });
    unsubscribe();
    expect(answer.status).toBe(409);
    expect(answer.json).toMatchObject({ rolled_back: true, code: 'ERR_CONFIG_ROLLED_BACK' });
    expect(answer.json.detail).toMatch(/previous config restored$/);
    expect(readFileSync(h.configPath).equals(original)).toBe(true);
    const after = await h.status();
    expect(after).toMatchObject({ main_server_status: 'running', default_model: 'claude-sonnet-4-5' });
    expect(after.main_server_pid).not.toBe(before.main_server_pid);
    expect(h.logLines()).toContain('picky fixture: cannot start with default_model claude-broken-1');
    // The rollback is its own path in the config machine, visible to the inspector.
    const configStates = records.flatMap((r) => (r.kind === 'snapshot' && r.actor === 'config' ? [statePath(r.value)] : []));
    expect(configStates).toEqual(['writing', 'applying', 'rollingBack.restoring', 'rollingBack.restarting', 'idle']);
  });

  it('never shows a secret in GET /supervisor/config or in the inspection stream', async () => {
    h = await startHarness({ config: { api_key: 'sk-ant-api03-SECRETSECRETSECRET', nested: { db_password: 'hunter2' } } });
    await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    const records: InspectionRecord[] = [];
    const unsubscribe = h.sup.system.inspection.subscribe((r) => records.push(r));
    const read = await request(`${h.url}/supervisor/config`);
    await put(h, { values: { log_level: 'debug' }, restart: false });
    unsubscribe();
    const everything = JSON.stringify([read.json, records, h.sup.system.inspection.snapshots(), await h.status()]);
    expect(read.json.config).toMatchObject({ api_key: '[REDACTED]', nested: { db_password: '[REDACTED]' } });
    expect(everything).not.toContain('SECRETSECRET');
    expect(everything).not.toContain('hunter2');
  });
});
