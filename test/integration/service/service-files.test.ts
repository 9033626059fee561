// The rendered service files as their real consumers read them: systemd-analyze verify and Python's plistlib.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { renderServiceFile } from '../../../src/service/install.js';
import { testHost, tempPackage } from '../../support/service-host.js';

const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const hasSystemdAnalyze = has('systemd-analyze');
const hasPython = has('python3');
if (!hasSystemdAnalyze) console.warn('SKIPPED: systemd-analyze is not installed, so the rendered unit is not verified (apt-get install systemd)');
if (!hasPython) console.warn('SKIPPED: python3 is not installed, so the rendered plist is not parsed');

// Awkward but legal paths: spaces, quotes, %, $, & and < must survive quoting and escaping.
function awkwardHost(platform: 'darwin' | 'linux') {
  const home = mkdtempSync(join(tmpdir(), 'home with space-'));
  const packageRoot = tempPackage({ name: `pkg 100% $HOME & <"it's">` });
  return testHost({ platform, home, packageRoot, nodePath: process.execPath, env: { PATH: '/usr/bin:/bin', PARACHUTE_CONFIG: join(home, 'cfg "a" 50%.yaml') } });
}

(hasSystemdAnalyze ? describe : describe.skip)('rendered systemd user unit', () => {
  it('passes systemd-analyze verify without a single warning', () => {
    const host = awkwardHost('linux');
    const dir = mkdtempSync(join(tmpdir(), 'unit-'));
    const path = join(dir, 'parachute-supervisor.service');
    writeFileSync(path, renderServiceFile(host, 'linux'));
    const result = spawnSync('systemd-analyze', ['verify', '--man=no', path], { encoding: 'utf8' });
    expect({ status: result.status, stderr: result.stderr, stdout: result.stdout }).toEqual({ status: 0, stderr: '', stdout: '' });
  });

  it('fails verification when the executable does not exist (the check is real)', () => {
    const host = { ...awkwardHost('linux'), nodePath: '/nonexistent/node' };
    const dir = mkdtempSync(join(tmpdir(), 'unit-'));
    const path = join(dir, 'parachute-supervisor.service');
    writeFileSync(path, renderServiceFile(host, 'linux'));
    const result = spawnSync('systemd-analyze', ['verify', '--man=no', path], { encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('/nonexistent/node');
  });
});

(hasPython ? describe : describe.skip)('rendered LaunchAgent plist', () => {
  it('parses as a property list with the right keys and the exact values', () => {
    const host = awkwardHost('darwin');
    const dir = mkdtempSync(join(tmpdir(), 'plist-'));
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'io.openparachute.supervisor.plist');
    writeFileSync(path, renderServiceFile(host, 'darwin'));
    const script = 'import json, plistlib, sys\nwith open(sys.argv[1], "rb") as f:\n    print(json.dumps(plistlib.load(f)))';
    const result = spawnSync('python3', ['-c', script, path], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    const plist = JSON.parse(result.stdout) as Record<string, unknown>;
    const logFile = join(host.home, 'Library', 'Logs', 'Parachute', 'supervisor.log');
    expect(plist).toEqual({
      Label: 'io.openparachute.supervisor',
      ProgramArguments: [process.execPath, join(host.packageRoot, 'dist', 'src', 'cli', 'main.js'), 'serve'],
      WorkingDirectory: host.home,
      EnvironmentVariables: { PARACHUTE_CONFIG: host.env.PARACHUTE_CONFIG, PATH: [...new Set([dirname(process.execPath), '/usr/bin', '/bin', '/opt/homebrew/bin', '/usr/local/bin', '/usr/sbin', '/sbin'])].join(':') },
      RunAtLoad: true,
      KeepAlive: { SuccessfulExit: false },
      ThrottleInterval: 10,
      ExitTimeOut: 30,
      StandardOutPath: logFile,
      StandardErrorPath: logFile,
    });
  });
});
