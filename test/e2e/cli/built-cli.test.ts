// The built CLI as a user runs it, against the fake supervisor (the real one gets its own e2e tests).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closedPort, fakeStatus, startFakeSupervisor, type FakeSupervisor } from '../../support/fake-supervisor.js';
import { runCli } from '../../support/built-cli.js';
import { treeSnapshot } from '../../support/service-host.js';

// Runs the built CLI to its end; empty values blank anything the test process's environment would add.
async function runBuiltCli(args: string[], env: NodeJS.ProcessEnv) {
  const cli = runCli(args, { SUPERVISOR_URL: '', SUPERVISOR_PORT: '', SUPERVISOR_TOKEN: '', PARACHUTE_CONFIG: '', XDG_CONFIG_HOME: '', ...env });
  const code = await cli.exited;
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

describe('built parachute-supervisor CLI', () => {
  let fake: FakeSupervisor;
  beforeAll(async () => {
    fake = await startFakeSupervisor();
  });
  afterAll(() => fake.close());

  it('prints status and exits 0', async () => {
    const run = await runBuiltCli(['status'], { SUPERVISOR_URL: fake.url });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^server: +running, healthy$/m);
  });

  it('exits 3 when nothing listens on SUPERVISOR_PORT', async () => {
    const run = await runBuiltCli(['status', '--json'], { SUPERVISOR_PORT: String(await closedPort()) });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('connection refused');
  });

  it('exits 1 when the supervisor answers 500, and 2 on a usage error', async () => {
    fake.failNext('POST', '/supervisor/server/restart', 500, {
      detail: 'Server start failed: crashed',
      code: 'ERR_START_FAILED',
      status: fakeStatus({ main_server_status: 'crashed', main_server_state: 'crashed.backoff', main_server_healthy: false }),
    });
    expect((await runBuiltCli(['server', 'restart'], { SUPERVISOR_URL: fake.url })).code).toBe(1);
    expect((await runBuiltCli(['server', 'bounce'], { SUPERVISOR_URL: fake.url })).code).toBe(2);
  });

  it.each(['darwin', 'linux'])('install --dry-run --platform %s with a temp HOME writes nothing and prints the commands', async (platform) => {
    const home = mkdtempSync(join(tmpdir(), 'e2e-home-'));
    const before = treeSnapshot(home);
    const run = await runBuiltCli(['install', '--dry-run', '--platform', platform], { HOME: home });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(platform === 'darwin' ? 'launchctl bootstrap gui/' : 'systemctl --user enable --now parachute-supervisor.service');
    expect(run.stdout).toContain(join(home, '.parachute', 'config.yaml'));
    expect(treeSnapshot(home)).toEqual(before);
  });
});
