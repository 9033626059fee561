import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { isAlive } from '../../src/lifecycle/process-group.js';
import { runCli, servedUrl } from '../support/built-cli.js';
import { freePort } from '../support/free-port.js';
import { request } from '../support/http.js';
import { fixture } from '../support/supervisor-harness.js';
import { waitFor } from '../support/wait-for.js';

describe('parachute-supervisor serve (built CLI)', () => {
  let dir: string;
  let configPath: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'psup-e2e-'));
    configPath = join(dir, 'config.yaml');
    const config = { port: await freePort(), supervisor: { log_dir: join(dir, 'logs'), server: { command: [process.execPath, fixture('healthy-server.mjs')] } } };
    writeFileSync(configPath, stringify(config));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the server, and on SIGTERM stops it and exits 0', async () => {
    const cli = runCli(['serve', '--port', '0', '--config', configPath]);
    const url = await servedUrl(cli);
    const status = await waitFor('running', async () => {
      const s = (await request(`${url}/supervisor/status`)).json;
      return s.main_server_status === 'running' ? s : undefined;
    });
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(isAlive(status.main_server_pid)).toBe(false);
    expect(cli.stdout()).toMatch(/server running \(pid \d+\)/);
    expect(cli.stdout()).toContain('SIGTERM received: shutting down');
  });

  it('takes its port from SUPERVISOR_PORT and its config from PARACHUTE_CONFIG', async () => {
    const port = await freePort();
    const cli = runCli(['serve'], { SUPERVISOR_PORT: String(port), PARACHUTE_CONFIG: configPath });
    expect(await servedUrl(cli)).toBe(`http://127.0.0.1:${port}`);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
  });

  it('exits 1 with a clear message when its own port is taken, touching no server', async () => {
    const first = runCli(['serve', '--port', '0', '--config', configPath]);
    const url = await servedUrl(first);
    const second = runCli(['serve', '--port', new URL(url).port, '--config', configPath]);
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toContain(`port ${new URL(url).port} on 127.0.0.1 is already in use (is another supervisor running?)`);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  });

  it('exits 2 on a usage error', async () => {
    const cli = runCli(['serve', '--port', 'eighty']);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toContain('--port must be an integer from 0 to 65535, got "eighty"');
    const unknown = runCli(['serve', '--bogus']);
    expect(await unknown.exited).toBe(2);
  });
});
