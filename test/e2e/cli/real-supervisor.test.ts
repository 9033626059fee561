// Every client subcommand of the built CLI against a real supervisor (itself the built CLI) and a real server.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { runCli, servedUrl, type CliProcess } from '../../support/built-cli.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../support/fake-anthropic.js';
import { freePort } from '../../support/free-port.js';
import { fixture } from '../../support/supervisor-harness.js';

async function cli(args: string[], url: string) {
  const run = runCli(args, { SUPERVISOR_URL: url, SUPERVISOR_TOKEN: '' });
  const code = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

describe('built CLI against a real supervisor', () => {
  let dir: string;
  let configPath: string;
  let serve: CliProcess;
  let url: string;
  let anthropic: FakeAnthropic;

  beforeAll(async () => {
    anthropic = await startFakeAnthropic({ apiKeys: ['sk-ant-api03-e2e-key'] });
    dir = mkdtempSync(join(tmpdir(), 'psup-cli-e2e-'));
    configPath = join(dir, 'config.yaml');
    const config = {
      port: await freePort(),
      default_model: 'claude-sonnet-4-5',
      api_key: 'sk-ant-api03-e2e-key',
      supervisor: { log_dir: join(dir, 'logs'), server: { command: [process.execPath, fixture('healthy-server.mjs')], stop_timeout_ms: 2000 } },
    };
    writeFileSync(configPath, stringify(config));
    serve = runCli(['serve', '--port', '0', '--config', configPath], { ANTHROPIC_BASE_URL: anthropic.url });
    url = await servedUrl(serve);
  });
  afterAll(async () => {
    serve.child.kill('SIGTERM');
    await serve.exited;
    await anthropic.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('server restart|stop|start wait for the state and exit 0; status shows it', async () => {
    const restart = await cli(['server', 'restart'], url);
    expect(restart).toMatchObject({ code: 0 });
    expect(restart.stdout).toMatch(/running/);
    const json = JSON.parse((await cli(['status', '--json'], url)).stdout);
    expect(json).toMatchObject({ main_server_status: 'running', main_server_healthy: true, default_model: 'claude-sonnet-4-5' });
    expect((await cli(['server', 'stop'], url)).code).toBe(0);
    expect((await cli(['status'], url)).stdout).toMatch(/stopped/);
    expect((await cli(['server', 'start'], url)).code).toBe(0);
    const status = await cli(['status'], url);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/running/);
  });

  it('logs -n prints the last lines of server.log', async () => {
    const logs = await cli(['logs', '-n', '5'], url);
    expect(logs.code).toBe(0);
    const printed = logs.stdout.trim().split('\n');
    expect(printed.length).toBeLessThanOrEqual(5);
    expect(logs.stdout).toMatch(/server started pid \d+/);
  });

  it('models lists the fake Anthropic models, marks the current one, and refreshes', async () => {
    const models = await cli(['models', '--json'], url);
    expect(models.code).toBe(0);
    const body = JSON.parse(models.stdout);
    // `status` above may already have filled the cache (it asks the models route when status cannot tell the lifecycle).
    expect(body).toMatchObject({ source: expect.stringMatching(/^(anthropic|cache)$/), is_stale: false, current_model: 'claude-sonnet-4-5' });
    expect(anthropic.requests.some((r) => r.path === '/v1/models')).toBe(true);
    expect((await cli(['models', '--all'], url)).code).toBe(0);
    const before = anthropic.requests.length;
    expect((await cli(['models', '--refresh'], url)).code).toBe(0);
    expect(anthropic.requests.length).toBeGreaterThan(before);
    expect(models.stdout).not.toContain('sk-ant-api03-e2e-key');
  });

  it('models and status say the current model (an alias) is deprecated and what replaces it; a retired model is refused', async () => {
    const models = await cli(['models'], url);
    expect(models.stdout).toMatch(/^\* claude-sonnet-4-5-20250929 +Claude Sonnet 4\.5 +2025-09-29 +1M context +deprecated, retires 2027-02-05$/m);
    expect(models.stdout).toContain(
      'warning: claude-sonnet-4-5 (claude-sonnet-4-5-20250929) is deprecated and retires on 2027-02-05; Claude Sonnet 5 (claude-sonnet-5) replaces it',
    );
    const status = await cli(['status'], url);
    expect(status.stdout).toMatch(/^model: +claude-sonnet-4-5 → claude-sonnet-4-5-20250929 \(deprecated, retires 2027-02-05; claude-sonnet-5 replaces it\)$/m);
    const before = readFileSync(configPath);
    const refused = await cli(['config', 'set', 'default_model', 'claude-3-7-sonnet-20250219', '--no-restart'], url);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('claude-3-7-sonnet-20250219 is retired, so the main server could not use it; use Claude Sonnet 5 (claude-sonnet-5) instead');
    expect(refused.stderr).toContain('ERR_MODEL_RETIRED');
    expect(readFileSync(configPath).equals(before)).toBe(true);
  });

  it('config get shows redacted values; config set writes an editable key and refuses a protected one (exit 1)', async () => {
    const all = await cli(['config', 'get', '--json'], url);
    expect(all.code).toBe(0);
    expect(JSON.parse(all.stdout)).toMatchObject({ api_key: '[REDACTED]', default_model: 'claude-sonnet-4-5' });
    expect(all.stdout).not.toContain('sk-ant-api03-e2e-key');
    expect((await cli(['config', 'set', 'log_level', 'debug', '--no-restart'], url)).code).toBe(0);
    expect(readFileSync(configPath, 'utf8')).toMatch(/^log_level: debug$/m);
    expect((await cli(['config', 'get', 'log_level'], url)).stdout.trim()).toBe('debug');
    const before = readFileSync(configPath);
    const refused = await cli(['config', 'set', 'port', '1'], url);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/port/);
    expect(readFileSync(configPath).equals(before)).toBe(true);
  });

  it('exits 2 on usage errors and 3 when no supervisor answers', async () => {
    expect((await cli(['config', 'set', 'log_level'], url)).code).toBe(2);
    expect((await cli(['logs', '-n', 'many'], url)).code).toBe(2);
    expect((await cli(['status'], `http://127.0.0.1:${await freePort()}`)).code).toBe(3);
  });
});
