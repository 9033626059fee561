import { sonnet45Deprecated } from '../../support/model-fixtures.js';
import { closedPort, fakeStatus, startFakeSupervisor, type FakeSupervisor } from '../../support/fake-supervisor.js';
import { runCommand } from '../../support/cli-harness.js';

describe('client subcommands against a fake supervisor', () => {
  let fake: FakeSupervisor;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    fake = await startFakeSupervisor();
    env = { SUPERVISOR_URL: fake.url };
  });
  afterEach(() => fake.close());

  describe('status', () => {
    it('prints a readable summary', async () => {
      const run = await runCommand(['status'], { env });
      expect(run.code).toBe(0);
      expect(run.out).toContain(`up 1h 2m 5s, version 0.1.0, ${fake.url}`);
      expect(run.out).toMatch(/^supervisor: +up/);
      expect(run.out).toMatch(/server: +running, healthy/);
      expect(run.out).toMatch(/uptime: +2m 5s/);
      expect(run.out).toMatch(/pid: +4242/);
      expect(run.out).toMatch(/restarts: +2/);
      expect(run.out).toMatch(/last exit: +code 1 at 2026-11-24T02:00:00.000Z/);
      expect(run.out).toMatch(/model: +claude-sonnet-4-5-20250929/);
    });

    it('says when the model is deprecated or retired and what replaces it', async () => {
      const run = await runCommand(['status'], { env });
      expect(run.out).toMatch(/^model: +claude-sonnet-4-5-20250929 \(deprecated, retires 2027-02-05; claude-sonnet-5 replaces it\)$/m);
      expect(fake.requests.map((r) => r.path)).toEqual(['/supervisor/status']);
    });

    it('asks the models route, briefly, when status does not know the model\u2019s lifecycle yet', async () => {
      fake.state.status = fakeStatus({ default_model_info: sonnet45Deprecated({ resolved_id: null, display_name: null, lifecycle: null, retires_at: null, replacement: null }) });
      fake.state.modelInfo = sonnet45Deprecated({ lifecycle: 'retired' });
      const run = await runCommand(['status'], { env });
      expect(run.code).toBe(0);
      expect(run.out).toMatch(/^model: +claude-sonnet-4-5-20250929 \(retired: requests naming it fail; claude-sonnet-5 replaces it\)$/m);
      expect(fake.requests.map((r) => r.path)).toEqual(['/supervisor/status', '/supervisor/models']);
    });

    it('still answers when the models route fails, with what status knows', async () => {
      fake.state.status = fakeStatus({ default_model_info: null });
      fake.failNext('GET', '/supervisor/models', 500, { detail: 'x', code: 'ERR_INTERNAL' });
      const run = await runCommand(['status'], { env });
      expect(run.code).toBe(0);
      expect(run.out).toMatch(/^model: +claude-sonnet-4-5-20250929$/m);
    });

    it('never waits on a slow models route longer than its bound', async () => {
      fake.state.status = fakeStatus({ default_model_info: null });
      fake.state.modelsHang = true;
      const started = Date.now();
      const run = await runCommand(['status'], { env, deps: { modelInfoWaitMs: 200 } });
      expect(run.code).toBe(0);
      expect(run.out).toMatch(/^model: +claude-sonnet-4-5-20250929$/m);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(fake.requests.map((r) => r.path)).toEqual(['/supervisor/status', '/supervisor/models']);
    });

    it('prints the raw object with --json', async () => {
      const run = await runCommand(['status', '--json'], { env });
      expect(JSON.parse(run.out)).toEqual(fakeStatus());
    });

    it('prefers --url over SUPERVISOR_URL and sends SUPERVISOR_TOKEN', async () => {
      const guarded = await startFakeSupervisor({ token: 'tok' });
      try {
        const run = await runCommand(['status', '--url', guarded.url], { env: { ...env, SUPERVISOR_TOKEN: 'tok' } });
        expect(run.code).toBe(0);
        expect(guarded.requests.map((r) => r.path)).toEqual(['/supervisor/status']);
      } finally {
        await guarded.close();
      }
    });

    it('finds the supervisor through SUPERVISOR_PORT', async () => {
      const run = await runCommand(['status'], { env: { SUPERVISOR_PORT: String(fake.port) } });
      expect(run.code).toBe(0);
    });

    it('exits 3 with a hint when nothing listens', async () => {
      const port = await closedPort();
      const run = await runCommand(['status'], { env: { SUPERVISOR_URL: `http://127.0.0.1:${port}` } });
      expect(run.code).toBe(3);
      expect(run.err).toContain(`cannot reach the supervisor at http://127.0.0.1:${port}: connection refused`);
      expect(run.err).toContain("parachute-supervisor start");
    });

    it('exits 1 when the supervisor answers 500', async () => {
      fake.failNext('GET', '/supervisor/status', 500, { detail: 'boom', code: 'ERR_INTERNAL' });
      const run = await runCommand(['status'], { env });
      expect(run.code).toBe(1);
      expect(run.err).toContain('boom [ERR_INTERNAL]');
    });

    it('exits 2 on an unknown option or a malformed --url', async () => {
      expect((await runCommand(['status', '--bogus'], { env })).code).toBe(2);
      const run = await runCommand(['status', '--url', 'localhost:3334'], { env });
      expect(run.code).toBe(2);
      expect(run.err).toContain('invalid supervisor URL "localhost:3334"');
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('server', () => {
    it('shows the states it passes through until the command is done', async () => {
      fake.state.status = fakeStatus({ main_server_status: 'stopped', main_server_state: 'stopped', main_server_pid: null });
      fake.holdCommands();
      // The command is held until the progress shows "starting"; without progress output this test would hang and fail.
      const run = await runCommand(['server', 'start'], { env, onOut: (line) => line.startsWith('  starting') && fake.releaseCommands() });
      expect(run.code).toBe(0);
      expect(run.lines[0]).toBe('Starting the main server...');
      expect(run.lines).toContain('  starting, port 3333');
      expect(run.lines.at(-1)).toBe('Server started: running, pid 4001, port 3333');
    });

    it.each(['stop', 'restart'])('%s answers with the final state', async (action) => {
      const run = await runCommand(['server', action], { env });
      expect(run.code).toBe(0);
      expect(fake.requests.some((r) => r.method === 'POST' && r.path === `/supervisor/server/${action}`)).toBe(true);
      expect(run.lines.at(-1)).toMatch(action === 'stop' ? /^Server stopped: stopped/ : /^Server restarted: running/);
    });

    it('returns at once with --no-wait', async () => {
      fake.holdCommands();
      const run = await runCommand(['server', 'restart', '--no-wait'], { env });
      expect(run.code).toBe(0);
      expect(run.out).toContain('Server restart requested');
    });

    it('exits 1 with the reason when the start fails (500)', async () => {
      fake.failNext('POST', '/supervisor/server/start', 500, {
        detail: 'Server start failed: not healthy within 30000 ms',
        code: 'ERR_START_TIMEOUT',
        status: fakeStatus({ main_server_status: 'crashed', main_server_state: 'crashed.backoff', main_server_healthy: false }),
      });
      const run = await runCommand(['server', 'start'], { env });
      expect(run.code).toBe(1);
      expect(run.err).toContain('Server start failed: not healthy within 30000 ms');
    });

    it('exits 2 without or with a wrong action', async () => {
      expect((await runCommand(['server'], { env })).code).toBe(2);
      const run = await runCommand(['server', 'reboot'], { env });
      expect(run.code).toBe(2);
      expect(run.err).toContain('expected start, stop or restart');
    });

    it('exits 3 when nothing listens', async () => {
      const port = await closedPort();
      expect((await runCommand(['server', 'restart'], { env: { SUPERVISOR_URL: `http://127.0.0.1:${port}` } })).code).toBe(3);
    });
  });

  describe('logs', () => {
    it('prints the last N lines and exits', async () => {
      fake.state.logLines = ['l1', 'l2', 'l3', 'l4'];
      const run = await runCommand(['logs', '-n', '3'], { env });
      expect(run.code).toBe(0);
      expect(run.lines).toEqual(['l2', 'l3', 'l4']);
      expect(fake.requests[0]?.query.get('follow')).toBe('false');
    });

    it('follows new lines with -f until the supervisor goes away for good', async () => {
      fake.state.logLines = ['old'];
      const seen: string[] = [];
      const run = runCommand(['logs', '-f', '-n', '1'], {
        env,
        onOut: (line) => {
          seen.push(line);
          if (line === 'old') fake.appendLog('new');
          if (line === 'new') void fake.close();
        },
      });
      const result = await run;
      expect(seen).toEqual(['old', 'new']);
      expect(result.code).toBe(3);
    });

    it('exits 1 when the log file is missing', async () => {
      fake.state.logMissing = true;
      const run = await runCommand(['logs'], { env });
      expect(run.code).toBe(1);
      expect(run.err).toContain('server.log does not exist yet');
    });

    it('exits 2 on a bad -n', async () => {
      expect((await runCommand(['logs', '-n', 'ten'], { env })).code).toBe(2);
      expect((await runCommand(['logs', '-n', '10001'], { env })).code).toBe(2);
    });

    it('exits 1 when the supervisor answers 500', async () => {
      fake.failNext('GET', '/supervisor/logs', 500, { detail: 'internal error', code: 'ERR_INTERNAL' });
      expect((await runCommand(['logs'], { env })).code).toBe(1);
    });
  });

  describe('models', () => {
    it('lists the latest per family and the current model, with lifecycle, retirement date and context window', async () => {
      const run = await runCommand(['models'], { env });
      expect(run.code).toBe(0);
      expect(run.lines[0]).toMatch(/^opus\n {2}claude-opus-4-6 /);
      expect(run.out).toMatch(/^\* claude-sonnet-4-5-20250929 +Claude Sonnet 4\.5 +2025-09-29 +1M context +deprecated, retires 2027-02-05$/m);
      expect(run.out).toMatch(/^ {2}claude-haiku-4-5-20251001 +Claude Haiku 4\.5 +2025-10-01 +200k context +active$/m);
      expect(run.out).not.toContain('claude-opus-4-5-20251101');
      expect(run.out).toContain('warning: claude-sonnet-4-5-20250929 is deprecated and retires on 2027-02-05; Claude Sonnet 5 (claude-sonnet-5) replaces it');
      expect(fake.requests[0]?.query.toString()).toBe('show_all=false&refresh=false');
    });

    it('--all groups every version by line', async () => {
      const run = await runCommand(['models', '--all'], { env });
      const headings = run.out.split('\n').filter((line) => /^[a-z]+$/.test(line));
      expect(headings).toEqual(['opus', 'sonnet', 'haiku']);
      expect(run.out).toMatch(/^sonnet\n {2}claude-sonnet-5 .*active, latest\n\* claude-sonnet-4-5-20250929 /m);
    });

    it('lists every version with --all and refreshes with --refresh', async () => {
      const run = await runCommand(['models', '--all', '--refresh'], { env });
      expect(run.out).toContain('claude-opus-4-5-20251101');
      expect(fake.requests[0]?.query.toString()).toBe('show_all=true&refresh=true');
    });

    it('warns when the list is stale, and fails an explicit refresh', async () => {
      fake.state.modelsError = 'Anthropic answered 529';
      const plain = await runCommand(['models'], { env });
      expect(plain.code).toBe(0);
      expect(plain.err).toContain('Anthropic answered 529');
      expect((await runCommand(['models', '--refresh'], { env })).code).toBe(1);
    });

    it('exits 1 on 500, 2 on an argument, 3 when unreachable', async () => {
      fake.failNext('GET', '/supervisor/models', 500, { detail: 'x', code: 'ERR_INTERNAL' });
      expect((await runCommand(['models'], { env })).code).toBe(1);
      expect((await runCommand(['models', 'opus'], { env })).code).toBe(2);
      const port = await closedPort();
      expect((await runCommand(['models'], { env: { SUPERVISOR_URL: `http://127.0.0.1:${port}` } })).code).toBe(3);
    });
  });

  describe('config', () => {
    it('prints the whole config as YAML, or one key, or a dotted path', async () => {
      const all = await runCommand(['config', 'get'], { env });
      expect(all.code).toBe(0);
      expect(all.out).toContain('default_model: claude-sonnet-4-5-20250929\n');
      expect(all.out).toContain('api_key: "[REDACTED]"');
      expect((await runCommand(['config', 'get', 'port'], { env })).out).toBe('3333\n');
      expect((await runCommand(['config', 'get', 'supervisor.server.stop_timeout_ms'], { env })).out).toBe('10000\n');
      expect(JSON.parse((await runCommand(['config', 'get', 'supervisor', '--json'], { env })).out)).toMatchObject({ server: { stop_timeout_ms: 10000 } });
    });

    it('exits 1 for a key that is not set', async () => {
      const run = await runCommand(['config', 'get', 'nope'], { env });
      expect(run.code).toBe(1);
      expect(run.err).toContain('nope is not set');
    });

    it('sets a value with its parsed type and restarts by default', async () => {
      const run = await runCommand(['config', 'set', 'max_message_length', '4000'], { env });
      expect(run.code).toBe(0);
      expect(JSON.parse(fake.requests[0]?.body ?? '')).toEqual({ values: { max_message_length: 4000 }, restart: true });
      expect(run.out).toContain('Set max_message_length = 4000; the main server restarted on the new config');
    });

    it('does not restart with --no-restart, and sends booleans as booleans', async () => {
      const run = await runCommand(['config', 'set', 'debug', 'true', '--no-restart'], { env });
      expect(run.code).toBe(0);
      expect(JSON.parse(fake.requests[0]?.body ?? '')).toEqual({ values: { debug: true }, restart: false });
      expect(run.out).toContain('(main server not restarted)');
    });

    it('exits 1 with the detail when the key is refused or the config rolled back', async () => {
      const refused = await runCommand(['config', 'set', 'port', '4000'], { env });
      expect(refused.code).toBe(1);
      expect(refused.err).toContain('port is not editable over HTTP [ERR_KEY_NOT_EDITABLE]');
      fake.failNext('PUT', '/supervisor/config', 409, {
        detail: 'server not healthy on the new config; previous config restored',
        code: 'ERR_CONFIG_ROLLED_BACK',
        rolled_back: true,
        server_restarted: true,
      });
      const rolledBack = await runCommand(['config', 'set', 'default_model', 'opus'], { env });
      expect(rolledBack.code).toBe(1);
      expect(rolledBack.err).toContain('previous config restored');
    });

    it('exits 2 on bad usage', async () => {
      for (const argv of [['config'], ['config', 'set', 'debug'], ['config', 'delete', 'x'], ['config', 'get', 'a', 'b'], ['config', 'get', '--no-restart']]) {
        const run = await runCommand(argv, { env });
        expect({ argv, code: run.code }).toEqual({ argv, code: 2 });
      }
      expect(fake.requests).toHaveLength(0);
    });

    it('exits 3 when nothing listens', async () => {
      const port = await closedPort();
      expect((await runCommand(['config', 'set', 'debug', 'false'], { env: { SUPERVISOR_URL: `http://127.0.0.1:${port}` } })).code).toBe(3);
    });
  });
});
