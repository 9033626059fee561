import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { stringify } from 'yaml';
import { isAlive } from '../../src/lifecycle/process-group.js';
import { runProgram, servedUrl } from '../support/built-cli.js';
import { freePort } from '../support/free-port.js';
import { request } from '../support/http.js';
import { waitFor } from '../support/wait-for.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name: string; version: string };

describe('npm pack, then npm install -g of the tarball', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'psup-pack-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives a tarball whose installed bin prints its version and serves the bundled demo server', async () => {
    // `npm pack` runs prepack (the build), so a clean clone packs a working tarball.
    await run('npm', ['pack', '--pack-destination', dir], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
    const filename = readdirSync(dir).find((name) => name.endsWith('.tgz'));
    expect(filename).toBe(`${pkg.name}-${pkg.version}.tgz`);
    const prefix = join(dir, 'prefix');
    const installed = await run('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', '--prefer-offline', join(dir, String(filename))], {
      cwd: dir,
    });
    // Installing needs no install scripts of ours or of our dependencies, so npm has nothing to warn about.
    expect(installed.stderr).not.toMatch(/install-scripts|allowScripts/);
    const bin = join(prefix, 'bin', 'parachute-supervisor');

    const version = await run(bin, ['--version']);
    expect(version.stdout.trim()).toBe(pkg.version);

    // No supervisor.server.command: the demo server shipped inside the package is what runs.
    const configPath = join(dir, 'config.yaml');
    writeFileSync(configPath, stringify({ port: await freePort(), supervisor: { log_dir: join(dir, 'logs') } }), { mode: 0o600 });
    const daemon = runProgram(bin, ['serve', '--port', '0', '--config', configPath], { SUPERVISOR_TOKEN: '' });
    try {
      const url = await servedUrl(daemon, 20_000);
      const status = await waitFor('the demo server to run', async () => {
        const s = (await request(`${url}/supervisor/status`)).json;
        return s?.main_server_status === 'running' ? s : undefined;
      }, { timeoutMs: 20_000 });
      expect(status.supervisor_version).toBe(pkg.version);
      const page = await request(`${url}/supervisor/ui/`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('<html');
      const cliStatus = await run(bin, ['status', '--url', url]);
      expect(cliStatus.stdout).toMatch(/running/);

      daemon.child.kill('SIGTERM');
      expect(await daemon.exited).toBe(0);
      expect(isAlive(status.main_server_pid)).toBe(false);
    } finally {
      if (daemon.child.exitCode === null) daemon.child.kill('SIGKILL');
    }
  }, 120_000);
});
