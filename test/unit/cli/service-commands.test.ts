import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '../../support/cli-harness.js';
import { recordingRunner, testHost, treeSnapshot } from '../../support/service-host.js';

describe('install and uninstall commands', () => {
  it('install --dry-run --platform darwin on Linux prints the plist and the launchctl commands and writes nothing', async () => {
    const { runner, calls } = recordingRunner();
    const host = testHost({ platform: 'linux', runner });
    const before = treeSnapshot(host.home);
    const run = await runCommand(['install', '--dry-run', '--platform', 'darwin'], { deps: { serviceHost: () => host } });
    expect(run.code).toBe(0);
    expect(run.out).toContain('<key>Label</key>');
    expect(run.out).toContain('launchctl bootstrap gui/501 ');
    expect(treeSnapshot(host.home)).toEqual(before);
    expect(calls).toEqual([]);
  });

  it('install --dry-run with --config uses that path', async () => {
    const host = testHost();
    const run = await runCommand(['install', '--dry-run', '--config', '/srv/p.yaml'], { deps: { serviceHost: () => host } });
    expect(run.out).toContain('Environment="PARACHUTE_CONFIG=/srv/p.yaml"');
  });

  it('install loads the unit with the recorded systemctl commands; uninstall reverses it', async () => {
    const { runner, calls } = recordingRunner();
    const host = testHost({ runner });
    const deps = { serviceHost: () => host };
    const installed = await runCommand(['install'], { deps });
    expect(installed.code).toBe(0);
    const unit = join(host.home, '.config', 'systemd', 'user', 'parachute-supervisor.service');
    expect(readFileSync(unit, 'utf8')).toContain('KillMode=process');
    expect(installed.out).toContain('loginctl enable-linger');
    const removed = await runCommand(['uninstall'], { deps });
    expect(removed.code).toBe(0);
    expect(existsSync(unit)).toBe(false);
    expect(calls).toEqual([
      'systemctl --user daemon-reload',
      'systemctl --user enable --now parachute-supervisor.service',
      'systemctl --user disable --now parachute-supervisor.service',
      'systemctl --user daemon-reload',
    ]);
  });

  it('exits 1 with the command and its message when systemctl fails', async () => {
    const { runner } = recordingRunner({ 'systemctl --user daemon-reload': { code: 1, stderr: 'Failed to connect to bus: No medium found' } });
    const run = await runCommand(['install'], { deps: { serviceHost: () => testHost({ runner }) } });
    expect(run.code).toBe(1);
    expect(run.err).toContain('systemctl --user daemon-reload failed with exit code 1: Failed to connect to bus: No medium found');
  });

  it('refuses to load a service for another platform without --dry-run (exit 2)', async () => {
    const { runner, calls } = recordingRunner();
    const run = await runCommand(['install', '--platform', 'darwin'], { deps: { serviceHost: () => testHost({ runner }) } });
    expect(run.code).toBe(2);
    expect(run.err).toContain('only works with --dry-run');
    expect(calls).toEqual([]);
  });

  it('exits 1 on a platform without a supported service manager', async () => {
    const run = await runCommand(['install', '--dry-run'], { deps: { serviceHost: () => testHost({ platform: 'win32' }) } });
    expect(run.code).toBe(1);
    expect(run.err).toContain('install supports macOS (launchd) and Linux (systemd --user)');
  });

  it('start exits 1 when the service is not installed', async () => {
    const { runner, calls } = recordingRunner();
    const run = await runCommand(['start', '--no-wait'], { deps: { serviceHost: () => testHost({ runner }) } });
    expect(run.code).toBe(1);
    expect(run.err).toContain("run 'parachute-supervisor install' first");
    expect(calls).toEqual([]);
  });
});
