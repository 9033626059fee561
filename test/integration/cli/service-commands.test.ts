// start/stop/restart of the daemon: the service manager command (recorded, not run), then a wait on the supervisor.
import { runCommand } from '../../support/cli-harness.js';
import { closedPort, startFakeSupervisor } from '../../support/fake-supervisor.js';
import { recordingRunner, testHost } from '../../support/service-host.js';
import { installService, type ServiceHost } from '../../../src/service/install.js';

async function installedHost(overrides: Partial<ServiceHost> = {}) {
  const recorder = recordingRunner();
  const host = testHost({ runner: recorder.runner, ...overrides });
  await installService(host, {}, () => undefined);
  recorder.calls.length = 0;
  return { host, calls: recorder.calls };
}

describe('start, stop and restart of the daemon', () => {
  it('start runs systemctl --user start and waits until the supervisor answers', async () => {
    const fake = await startFakeSupervisor();
    try {
      const { host, calls } = await installedHost();
      const run = await runCommand(['start', '--url', fake.url], { deps: { serviceHost: () => host } });
      expect(run.code).toBe(0);
      expect(calls).toEqual(['systemctl --user start parachute-supervisor.service']);
      expect(fake.requests.map((r) => r.path)).toContain('/supervisor/health');
      expect(run.out).toContain(`The supervisor answers at ${fake.url}.`);
    } finally {
      await fake.close();
    }
  });

  it('start exits 3 when the supervisor never answers within the wait', async () => {
    const { host } = await installedHost();
    const port = await closedPort();
    const run = await runCommand(['start'], { env: { SUPERVISOR_PORT: String(port) }, deps: { serviceHost: () => host, daemonWaitMs: 100 } });
    expect(run.code).toBe(3);
    expect(run.err).toContain('did not answer');
  });

  it('stop runs launchctl kill SIGTERM on macOS and waits until nothing answers', async () => {
    const { host, calls } = await installedHost({ platform: 'darwin' });
    const port = await closedPort();
    const run = await runCommand(['stop', '--url', `http://127.0.0.1:${port}`], { deps: { serviceHost: () => host } });
    expect(run.code).toBe(0);
    expect(calls).toEqual(['launchctl kill SIGTERM gui/501/io.openparachute.supervisor']);
    expect(run.out).toContain('The supervisor has stopped.');
  });

  it('stop exits 1 when the supervisor still answers after the wait', async () => {
    const fake = await startFakeSupervisor();
    try {
      const { host } = await installedHost();
      const run = await runCommand(['stop', '--url', fake.url], { deps: { serviceHost: () => host, daemonWaitMs: 50 } });
      expect(run.code).toBe(1);
      expect(run.err).toContain('still answers');
    } finally {
      await fake.close();
    }
  });

  it('restart runs launchctl kickstart -k and waits for the supervisor', async () => {
    const fake = await startFakeSupervisor();
    try {
      const { host, calls } = await installedHost({ platform: 'darwin' });
      const run = await runCommand(['restart', '--url', fake.url], { deps: { serviceHost: () => host } });
      expect(run.code).toBe(0);
      expect(calls).toEqual(['launchctl kickstart -k gui/501/io.openparachute.supervisor']);
    } finally {
      await fake.close();
    }
  });

  it('exits 1 when the service manager refuses', async () => {
    const { host } = await installedHost();
    host.runner = recordingRunner({ 'systemctl --user restart parachute-supervisor.service': { code: 5, stderr: 'Unit parachute-supervisor.service not loaded.' } }).runner;
    const run = await runCommand(['restart', '--no-wait'], { deps: { serviceHost: () => host } });
    expect(run.code).toBe(1);
    expect(run.err).toContain('Unit parachute-supervisor.service not loaded.');
  });
});
