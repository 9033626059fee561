import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  controlCommand,
  controlService,
  installService,
  planInstall,
  serviceFilePath,
  shellQuote,
  uninstallService,
} from '../../../src/service/install.js';
import { recordingRunner, testHost, tempPackage, treeSnapshot } from '../../support/service-host.js';

const plistPath = (home: string) => join(home, 'Library', 'LaunchAgents', 'io.openparachute.supervisor.plist');
const unitPath = (home: string) => join(home, '.config', 'systemd', 'user', 'parachute-supervisor.service');

describe('install on macOS (launchd)', () => {
  it('writes the plist, creates the log folder and bootstraps it into gui/<uid>', async () => {
    const { runner, calls } = recordingRunner({ 'launchctl print gui/501/io.openparachute.supervisor': { code: 113, stderr: 'Could not find service' } });
    const host = testHost({ platform: 'darwin', runner });
    const lines: string[] = [];
    await installService(host, {}, (line) => lines.push(line));
    expect(calls).toEqual([
      'launchctl print gui/501/io.openparachute.supervisor',
      'launchctl enable gui/501/io.openparachute.supervisor',
      `launchctl bootstrap gui/501 ${plistPath(host.home)}`,
    ]);
    const plist = readFileSync(plistPath(host.home), 'utf8');
    expect(plist).toContain(`<string>${join(host.packageRoot, 'dist', 'src', 'cli', 'main.js')}</string>`);
    expect(plist).toContain(`<string>${join(host.home, '.parachute', 'config.yaml')}</string>`);
    expect(existsSync(join(host.home, 'Library', 'Logs', 'Parachute'))).toBe(true);
    expect(lines).toContain(`wrote ${plistPath(host.home)}`);
  });

  it('boots out an already loaded job first, so a reinstall loads the new file', async () => {
    const { runner, calls } = recordingRunner();
    const host = testHost({ platform: 'darwin', runner });
    await installService(host, {}, () => undefined);
    expect(calls).toEqual([
      'launchctl print gui/501/io.openparachute.supervisor',
      'launchctl bootout gui/501/io.openparachute.supervisor',
      'launchctl enable gui/501/io.openparachute.supervisor',
      `launchctl bootstrap gui/501 ${plistPath(host.home)}`,
    ]);
  });

  it('fails with the command, its exit code and its message when bootstrap fails', async () => {
    const host = testHost({ platform: 'darwin' });
    host.runner = recordingRunner({
      'launchctl print gui/501/io.openparachute.supervisor': { code: 113 },
      [`launchctl bootstrap gui/501 ${plistPath(host.home)}`]: { code: 5, stderr: 'Bootstrap failed: 5: Input/output error\n' },
    }).runner;
    await expect(installService(host, {}, () => undefined)).rejects.toThrow(
      `launchctl bootstrap gui/501 ${plistPath(host.home)} failed with exit code 5: Bootstrap failed: 5: Input/output error`,
    );
  });

  it('uninstalls with bootout and removes the plist, even when the job was not loaded', async () => {
    const { runner, calls } = recordingRunner({ 'launchctl bootout gui/501/io.openparachute.supervisor': { code: 3, stderr: 'Boot-out failed: 3: No such process' } });
    const host = testHost({ platform: 'darwin', runner });
    mkdirSync(join(host.home, 'Library', 'LaunchAgents'), { recursive: true });
    writeFileSync(plistPath(host.home), '<plist/>');
    const lines: string[] = [];
    await uninstallService(host, {}, (line) => lines.push(line));
    expect(calls).toEqual(['launchctl bootout gui/501/io.openparachute.supervisor']);
    expect(existsSync(plistPath(host.home))).toBe(false);
    expect(lines.join('\n')).toContain('No such process');
  });
});

describe('install on Linux (systemd --user)', () => {
  it('writes the unit, reloads systemd and enables it now', async () => {
    const { runner, calls } = recordingRunner();
    const host = testHost({ runner, env: { PATH: '/usr/bin', PARACHUTE_CONFIG: 'conf/my config.yaml' } });
    await installService(host, {}, () => undefined);
    expect(calls).toEqual(['systemctl --user daemon-reload', 'systemctl --user enable --now parachute-supervisor.service']);
    const unit = readFileSync(unitPath(host.home), 'utf8');
    expect(unit).toContain(`\nExecStart="/usr/local/bin/node" "${host.packageRoot}/dist/src/cli/main.js" "serve"\n`);
    // A relative PARACHUTE_CONFIG is made absolute against the working directory of `install`.
    expect(unit).toContain(`\nEnvironment="PARACHUTE_CONFIG=${host.home}/conf/my config.yaml"\n`);
    expect(unit).toContain('\nEnvironment="PATH=/usr/local/bin:/usr/bin:/bin"\n');
  });

  it('restarts the service on a reinstall, so it runs the new unit', async () => {
    const { runner, calls } = recordingRunner();
    const host = testHost({ runner });
    await installService(host, {}, () => undefined);
    calls.length = 0;
    await installService(host, { configPath: '/etc/other.yaml' }, () => undefined);
    expect(calls).toEqual([
      'systemctl --user daemon-reload',
      'systemctl --user enable --now parachute-supervisor.service',
      'systemctl --user restart parachute-supervisor.service',
    ]);
    expect(readFileSync(unitPath(host.home), 'utf8')).toContain('"PARACHUTE_CONFIG=/etc/other.yaml"');
  });

  it('installs under $XDG_CONFIG_HOME when it is set', () => {
    const host = testHost({ env: { XDG_CONFIG_HOME: '/xdg' } });
    expect(serviceFilePath(host, 'linux')).toBe('/xdg/systemd/user/parachute-supervisor.service');
  });

  it('uninstalls with disable --now, removes the unit and reloads', async () => {
    const { runner, calls } = recordingRunner();
    const host = testHost({ runner });
    await installService(host, {}, () => undefined);
    calls.length = 0;
    await uninstallService(host, {}, () => undefined);
    expect(calls).toEqual(['systemctl --user disable --now parachute-supervisor.service', 'systemctl --user daemon-reload']);
    expect(existsSync(unitPath(host.home))).toBe(false);
  });

  it('refuses to install a package that is not built, and runs nothing', async () => {
    const { runner, calls } = recordingRunner();
    const host = testHost({ runner, packageRoot: tempPackage({ built: false }) });
    await expect(installService(host, {}, () => undefined)).rejects.toThrow("build the package ('npm run build')");
    expect(calls).toEqual([]);
    expect(existsSync(unitPath(host.home))).toBe(false);
  });
});

describe('install --dry-run', () => {
  it.each(['darwin', 'linux'] as const)('on %s prints the file and the commands and changes nothing', async (platform) => {
    const { runner, calls } = recordingRunner();
    const host = testHost({ platform: 'linux', runner, packageRoot: tempPackage({ built: false }) });
    const before = treeSnapshot(host.home);
    const lines: string[] = [];
    await installService(host, { platform, dryRun: true }, (line) => lines.push(line));
    expect(treeSnapshot(host.home)).toEqual(before);
    expect(calls).toEqual([]);
    const out = lines.join('\n');
    expect(out).toContain('nothing is written and nothing is run');
    expect(out).toContain('does not exist yet');
    if (platform === 'darwin') {
      expect(out).toContain(`# would write ${plistPath(host.home)}:\n<?xml`);
      expect(out).toContain('launchctl bootout gui/501/io.openparachute.supervisor   # only if already loaded');
      expect(out).toContain(`launchctl bootstrap gui/501 ${plistPath(host.home)}`);
    } else {
      expect(out).toContain(`# would write ${unitPath(host.home)}:\n# Parachute Supervisor`);
      expect(out).toContain('systemctl --user daemon-reload\nsystemctl --user enable --now parachute-supervisor.service');
    }
  });

  it('uninstall --dry-run prints the commands and removes nothing', async () => {
    const { runner, calls } = recordingRunner();
    const host = testHost({ runner });
    await installService(host, {}, () => undefined);
    calls.length = 0;
    const before = treeSnapshot(host.home);
    const lines: string[] = [];
    await uninstallService(host, { dryRun: true }, (line) => lines.push(line));
    expect(treeSnapshot(host.home)).toEqual(before);
    expect(calls).toEqual([]);
    expect(lines.slice(1)).toEqual(['systemctl --user disable --now parachute-supervisor.service', `rm -f ${unitPath(host.home)}`, 'systemctl --user daemon-reload']);
  });
});

describe('start, stop and restart of the daemon', () => {
  it('uses launchctl kickstart / kill SIGTERM / kickstart -k on macOS', () => {
    expect(controlCommand({ uid: 501 }, 'darwin', 'start')).toEqual(['launchctl', 'kickstart', 'gui/501/io.openparachute.supervisor']);
    expect(controlCommand({ uid: 501 }, 'darwin', 'stop')).toEqual(['launchctl', 'kill', 'SIGTERM', 'gui/501/io.openparachute.supervisor']);
    expect(controlCommand({ uid: 501 }, 'darwin', 'restart')).toEqual(['launchctl', 'kickstart', '-k', 'gui/501/io.openparachute.supervisor']);
  });

  it('uses systemctl --user on Linux', async () => {
    const { runner, calls } = recordingRunner();
    const host = testHost({ runner });
    await installService(host, {}, () => undefined);
    calls.length = 0;
    for (const action of ['start', 'stop', 'restart'] as const) await controlService(host, 'linux', action);
    expect(calls).toEqual(['start', 'stop', 'restart'].map((a) => `systemctl --user ${a} parachute-supervisor.service`));
  });

  it('refuses when the service is not installed', async () => {
    const { runner, calls } = recordingRunner();
    await expect(controlService(testHost({ runner }), 'linux', 'start')).rejects.toThrow("run 'parachute-supervisor install' first");
    expect(calls).toEqual([]);
  });
});

describe('planInstall', () => {
  it('puts the folder of node first on PATH and keeps only absolute folders', () => {
    const host = testHost({ nodePath: '/opt/node/bin/node', env: { PATH: '/home/me/bin:relative:/usr/bin' } });
    const write = planInstall(host, 'linux').steps.find((step) => step.kind === 'write');
    expect(write?.kind === 'write' && write.content).toContain('"PATH=/opt/node/bin:/home/me/bin:/usr/bin:/usr/local/bin:/bin"');
  });
});

describe('shellQuote', () => {
  it('leaves plain words alone and single-quotes the rest', () => {
    expect(shellQuote('/a/b.plist')).toBe('/a/b.plist');
    expect(shellQuote("/a b/it's")).toBe(`'/a b/it'\\''s'`);
  });
});
