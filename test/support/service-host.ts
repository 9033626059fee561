// A service host for install tests: temp HOME, a temp copy of the package, and a runner that only records.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandRunner, RunResult, ServiceHost } from '../../src/service/install.js';

const repoRoot = join(import.meta.dirname, '..', '..');

/** A runner that records each command and answers from `answers` (keyed by the joined command line), else exit 0. */
export function recordingRunner(answers: Record<string, Partial<RunResult>> = {}) {
  const calls: string[] = [];
  const runner: CommandRunner = async (command, args) => {
    const line = [command, ...args].join(' ');
    calls.push(line);
    return { code: 0, stdout: '', stderr: '', ...answers[line] };
  };
  return { runner, calls };
}

/** A package folder like an installed one: package.json, the service/ templates and (if `built`) dist/src/cli/main.js. */
export function tempPackage(options: { built?: boolean; name?: string } = {}): string {
  const root = join(mkdtempSync(join(tmpdir(), 'pkg-')), options.name ?? 'parachute-supervisor');
  mkdirSync(root, { recursive: true });
  cpSync(join(repoRoot, 'service'), join(root, 'service'), { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'parachute-supervisor' }));
  if (options.built ?? true) {
    mkdirSync(join(root, 'dist', 'src', 'cli'), { recursive: true });
    writeFileSync(join(root, 'dist', 'src', 'cli', 'main.js'), '');
  }
  return root;
}

/** A host with a fresh temp HOME and the given platform; override anything. */
export function testHost(overrides: Partial<ServiceHost> = {}): ServiceHost {
  const home = mkdtempSync(join(tmpdir(), 'home-'));
  return {
    platform: 'linux',
    home,
    uid: 501,
    env: { PATH: '/usr/local/bin:/usr/bin:/bin', HOME: home },
    cwd: home,
    nodePath: '/usr/local/bin/node',
    packageRoot: tempPackage(),
    runner: recordingRunner().runner,
    ...overrides,
  };
}

/** Every file and folder under `dir` with its content, to show that nothing changed. */
export function treeSnapshot(dir: string): Record<string, string> {
  const snapshot: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) {
        snapshot[`${path}/`] = '';
        walk(path);
      } else snapshot[path] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return snapshot;
}
