import { readFileSync, writeFileSync } from 'node:fs';
import { startHarness, type Harness } from '../../support/supervisor-harness.js';

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
});
