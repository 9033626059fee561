import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { isAlive } from '../../src/lifecycle/process-group.js';
import { runCli, servedUrl, type CliProcess } from '../support/built-cli.js';
import { freePort } from '../support/free-port.js';
import { request } from '../support/http.js';
import { openSse } from '../support/sse-client.js';
import { fixture } from '../support/supervisor-harness.js';
import { waitFor } from '../support/wait-for.js';

// An API key pasted by hand without quotes: YAML reads `*…` as an alias, which the library rejects only when it
// converts the document, with a message that quotes the alias, i.e. the key.
const secret = 'sk-ant-api03-secretvalue-e2e-Q7xWm2pLk9Rt4vZb8Nc3';
const fragments = Array.from({ length: secret.length - 7 }, (_, i) => secret.slice(i, i + 8));
const leaks = (text: string) => fragments.filter((f) => text.includes(f));

describe('the built daemon on a config.yaml the YAML library rejects late', () => {
  let dir: string;
  let configPath: string;
  let cli: CliProcess | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'psup-e2e-broken-'));
    configPath = join(dir, 'config.yaml');
  });
  afterEach(async () => {
    if (cli && cli.child.exitCode === null) {
      cli.child.kill('SIGTERM');
      await cli.exited;
    }
    cli = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  // Every answer the daemon gives about itself, its config, models, logs and actors, as text.
  async function everything(url: string): Promise<string> {
    const answers = await Promise.all(['/supervisor/status', '/supervisor/config', '/supervisor/models', '/supervisor/logs?lines=100&follow=false'].map((p) => request(`${url}${p}`)));
    const inspect = await openSse(`${url}/supervisor/inspect`);
    try {
      // One snapshot per actor on connect (supervisor, server, config, models).
      await waitFor('the inspection snapshots', () => inspect.events.filter((e) => e.event === 'snapshot').length >= 4);
      return [...answers.map((a) => `${a.status} ${a.text}`), inspect.raw].join('\n');
    } finally {
      inspect.close();
    }
  }

  it('starts on it and stays up, says where the problem is, and never prints or answers the value', async () => {
    writeFileSync(
      configPath,
      `port: ${await freePort()}\napi_key: *${secret}\n${stringify({ supervisor: { log_dir: join(dir, 'logs'), server: { command: [process.execPath, fixture('healthy-server.mjs')] } } })}`,
    );
    // The file gives no settings, so the defaults apply: the log folder under XDG_STATE_HOME. A server.log over the
    // default 10 MiB there shows the rotation timer, which reads the settings, ticking on the broken file.
    const logDir = join(dir, 'state', 'parachute', 'logs');
    mkdirSync(logDir, { recursive: true });
    writeFileSync(join(logDir, 'server.log'), 'an old line\n');
    truncateSync(join(logDir, 'server.log'), 11 * 1024 * 1024);
    cli = runCli(['serve', '--port', '0', '--config', configPath], { XDG_STATE_HOME: join(dir, 'state') });
    const url = await servedUrl(cli);

    const status = (await request(`${url}/supervisor/status`)).json;
    expect(status).toMatchObject({ config_loaded: false, main_server_status: 'stopped', main_server_pid: null });
    const config = await request(`${url}/supervisor/config`);
    expect({ status: config.status, body: config.json }).toEqual({
      status: 503,
      body: {
        code: 'ERR_CONFIG_INVALID',
        line: 2,
        column: 10,
        detail: `${configPath} is not valid YAML at line 2, column 10: an alias (*name) refers to no anchor (&name) defined before it; quote the value if it is meant as text`,
      },
    });
    expect((await request(`${url}/supervisor/models`)).status).toBe(200);
    await waitFor('a rotation of server.log on the default settings', () => existsSync(join(logDir, 'server.log.1')), { timeoutMs: 15_000 });

    expect(leaks(await everything(url))).toEqual([]);
    expect(cli.child.exitCode).toBeNull();
    expect(cli.stderr()).toContain(
      `config not loaded: ${configPath} is not valid YAML at line 2, column 10: an alias (*name) refers to no anchor (&name) defined before it; quote the value if it is meant as text; the server was not started`,
    );
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(leaks(cli.stdout() + cli.stderr())).toEqual([]);
  });

  it('keeps the running server on its last good settings through health-probe ticks while the file is broken', async () => {
    const server = { command: [process.execPath, fixture('healthy-server.mjs')], health_interval_ms: 100, env: { FIXTURE_LOG_HEALTH: '1' } };
    const good = stringify({ port: await freePort(), api_key: secret, supervisor: { log_dir: join(dir, 'logs'), server } });
    writeFileSync(configPath, good);
    cli = runCli(['serve', '--port', '0', '--config', configPath]);
    const url = await servedUrl(cli);
    const before = await waitFor('running', async () => {
      const s = (await request(`${url}/supervisor/status`)).json;
      return s.main_server_status === 'running' && s.main_server_healthy ? s : undefined;
    });

    // The quotes go missing in a hand edit: the key becomes an alias.
    writeFileSync(configPath, good.replace(`api_key: ${secret}`, `api_key: *${secret}`));
    await waitFor('config_loaded false', async () => (await request(`${url}/supervisor/status`)).json.config_loaded === false);
    const probes = () => readFileSync(join(dir, 'logs', 'server.log'), 'utf8').split('\n').filter((l) => l === 'health check answered').length;
    const seen = probes();
    // Each probe reads the probe timing from config.yaml first. Five of them within 4 s: at the default interval
    // (2 s, what a broken file would give if the last good settings were not kept) they would take 10 s.
    await waitFor('five more health probes', () => probes() >= seen + 5, { timeoutMs: 4_000 });

    const status = (await request(`${url}/supervisor/status`)).json;
    expect(status).toMatchObject({ main_server_status: 'running', main_server_healthy: true, main_server_pid: before.main_server_pid, restart_count: 0, config_loaded: false });
    expect(cli.child.exitCode).toBeNull();
    expect(leaks(await everything(url))).toEqual([]);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(isAlive(before.main_server_pid)).toBe(false);
    expect(leaks(cli.stdout() + cli.stderr())).toEqual([]);
  });
});
