import { readFileSync } from 'node:fs';
import { commands } from '../../../src/cli/cli.js';
import { dispatch } from '../../../src/cli/dispatch.js';
import { createCommands } from '../../../src/cli/commands/index.js';
import { runCommand, testDeps } from '../../support/cli-harness.js';

describe('CLI dispatch', () => {
  it('offers serve and every client and service command, once each', () => {
    const names = commands.map((command) => command.name);
    expect(names).toEqual(['serve', 'status', 'server', 'logs', 'history', 'events', 'models', 'config', 'install', 'uninstall', 'start', 'stop', 'restart']);
  });

  it('prints the overview and exits 2 without a command', async () => {
    const run = await runCommand([]);
    expect(run.code).toBe(2);
    expect(run.out).toContain('Usage: parachute-supervisor <command>');
    for (const name of ['status', 'server', 'logs', 'history', 'events', 'models', 'config', 'install', 'uninstall', 'start', 'stop', 'restart']) {
      expect(run.out).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
    }
  });

  it('prints the overview with --help and exits 0', async () => {
    expect((await runCommand(['--help'])).code).toBe(0);
  });

  it.each(['--version', '-V'])('prints the version from package.json with %s and exits 0', async (flag) => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    const run = await runCommand([flag]);
    expect(run.code).toBe(0);
    expect(run.out.trim()).toBe(pkg.version);
  });

  it('exits 2 on an unknown command', async () => {
    const run = await runCommand(['statsu']);
    expect(run.code).toBe(2);
    expect(run.err).toContain('unknown command "statsu"');
  });

  it.each(createCommands(testDeps()).map((command) => command.name))('%s --help prints its usage and exits 0', async (name) => {
    const run = await runCommand([name, '--help']);
    expect(run.code).toBe(0);
    expect(run.out).toContain(`Usage: parachute-supervisor ${name}`);
  });

  it.each([
    ['status', 'extra'],
    ['logs', '--lines'],
    ['models', '--all=yes'],
    ['install', '--platform', 'windows'],
    ['uninstall', 'now'],
    ['start', '--bogus'],
  ])('%s %s is a usage error (exit 2) naming the problem', async (...argv) => {
    const run = await runCommand(argv);
    expect(run.code).toBe(2);
    expect(run.err).toMatch(new RegExp(`^parachute-supervisor ${argv[0]}: .+\\nRun 'parachute-supervisor ${argv[0]} --help' for usage\\.\\n$`));
  });

  it('reports a usage error of serve (which dispatch catches itself) the same way', async () => {
    const errors: string[] = [];
    const code = await dispatch(['serve', '--port', 'eighty'], { out: () => undefined, err: (t) => void errors.push(t), env: {} }, commands);
    expect(code).toBe(2);
    expect(errors.join('\n')).toBe(`parachute-supervisor serve: --port must be an integer from 0 to 65535, got "eighty"\nRun 'parachute-supervisor serve --help' for usage.`);
  });
});
