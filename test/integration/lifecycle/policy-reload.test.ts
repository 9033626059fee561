import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { freePort } from '../../support/free-port.js';
import { request } from '../../support/http.js';
import { startHarness, type Harness } from '../../support/supervisor-harness.js';

// config.yaml edited by hand: the next start, manual or automatic, must run, probe and report the new port.
function setPort(h: Harness, port: number): void {
  const config = parse(readFileSync(h.configPath, 'utf8')) as Record<string, unknown>;
  writeFileSync(h.configPath, stringify({ ...config, port }), { mode: 0o600 });
}

const answersHealth = async (port: number) =>
  (await request(`http://127.0.0.1:${port}/api/health`).catch(() => ({ status: 0 }))).status === 200;

describe('the policy is read from config.yaml at every start', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('runs a manual restart and an automatic restart after a crash on the port config.yaml names at that moment', async () => {
    h = await startHarness({ server: { stable_ms: 60_000 } });
    const first = await h.waitForStatus('running', (s) => s.main_server_status === 'running');

    const second = await freePort();
    setPort(h, second);
    const restarted = await h.post('/supervisor/server/restart');
    expect(restarted.status).toBe(200);
    expect(restarted.json.status).toMatchObject({ main_server_status: 'running', main_server_port: second });
    expect(await answersHealth(second)).toBe(true);
    expect(await answersHealth(h.serverPort)).toBe(false);

    const third = await freePort();
    setPort(h, third);
    process.kill(restarted.json.status.main_server_pid, 'SIGKILL');
    const recovered = await h.waitForStatus(
      'running again after the crash',
      (s) => s.main_server_status === 'running' && s.main_server_pid !== restarted.json.status.main_server_pid,
    );
    expect(recovered).toMatchObject({ main_server_port: third, restart_count: 1 });
    expect(await answersHealth(third)).toBe(true);
    expect(first.main_server_port).toBe(h.serverPort);
  });
});
