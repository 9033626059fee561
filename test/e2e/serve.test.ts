import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync, statSync } from 'node:fs';
import { isAlive } from '../../src/lifecycle/process-group.js';
import { runCli, servedUrl, writeHealthyConfig, type CliProcess } from '../support/built-cli.js';
import { loadDocument } from '../support/contract.js';
import { startFakeAnthropic } from '../support/fake-anthropic.js';
import { freePort } from '../support/free-port.js';
import { request } from '../support/http.js';
import { fixture } from '../support/supervisor-harness.js';
import { waitFor } from '../support/wait-for.js';

describe('parachute-supervisor serve (built CLI)', () => {
  let dir: string;
  let configPath: string;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'psup-e2e-'));
    configPath = await writeHealthyConfig(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the server, and on SIGTERM stops it and exits 0', async () => {
    const cli = runCli(['serve', '--port', '0', '--config', configPath]);
    const url = await servedUrl(cli);
    const status = await waitFor('running', async () => {
      const s = (await request(`${url}/supervisor/status`)).json;
      return s.main_server_status === 'running' ? s : undefined;
    });
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(isAlive(status.main_server_pid)).toBe(false);
    expect(cli.stdout()).toMatch(/server running \(pid \d+\)/);
    expect(cli.stdout()).toContain('SIGTERM received: shutting down');
  });

  it('takes its port from SUPERVISOR_PORT and its config from PARACHUTE_CONFIG', async () => {
    const port = await freePort();
    const cli = runCli(['serve'], { SUPERVISOR_PORT: String(port), PARACHUTE_CONFIG: configPath });
    expect(await servedUrl(cli)).toBe(`http://127.0.0.1:${port}`);
    cli.child.kill('SIGINT');
    expect(await cli.exited).toBe(0);
  });

  it('exits 1 with a clear message when its own port is taken, touching no server', async () => {
    const first = runCli(['serve', '--port', '0', '--config', configPath]);
    const url = await servedUrl(first);
    const second = runCli(['serve', '--port', new URL(url).port, '--config', configPath]);
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toContain(`port ${new URL(url).port} on 127.0.0.1 is already in use (is another supervisor running?)`);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  });

  it('refuses to start on a token file others can read, naming the file, its mode and the fix', async () => {
    const tokenPath = join(dir, 'supervisor.token');
    writeFileSync(tokenPath, 'shared-token\n');
    chmodSync(tokenPath, 0o644);
    const cli = runCli(['serve', '--host', '0.0.0.0', '--port', '0', '--config', configPath], { SUPERVISOR_TOKEN: '' });
    expect(await cli.exited).toBe(1);
    expect(cli.stderr()).toContain(`parachute-supervisor: token file ${tokenPath} has mode 0644: group or others can access it`);
    expect(cli.stderr()).toContain(`Run \`chmod 600 ${tokenPath}\``);
    expect(cli.stderr() + cli.stdout()).not.toContain('shared-token');
  });

  it('creates no token file when it cannot bind, and a 0600 one when it can', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '0.0.0.0', resolve));
    const port = (taken.address() as { port: number }).port;
    const tokenPath = join(dir, 'supervisor.token');
    try {
      const refused = runCli(['serve', '--host', '0.0.0.0', '--port', String(port), '--config', configPath], { SUPERVISOR_TOKEN: '' });
      expect(await refused.exited).toBe(1);
      expect(refused.stderr()).toContain(`port ${port} on 0.0.0.0 is already in use`);
      expect(existsSync(tokenPath)).toBe(false);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
    const cli = runCli(['serve', '--host', '0.0.0.0', '--port', '0', '--config', configPath], { SUPERVISOR_TOKEN: '' });
    await servedUrl(cli);
    expect(statSync(tokenPath).mode & 0o777).toBe(0o600);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
  });

  it('exits 2 on a usage error', async () => {
    const cli = runCli(['serve', '--port', 'eighty']);
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toContain('--port must be an integer from 0 to 65535, got "eighty"');
    const unknown = runCli(['serve', '--bogus']);
    expect(await unknown.exited).toBe(2);
  });

  it('runs from the one-file bundle and loads zod, axios and prom-client from node_modules only when first asked', async () => {
    const key = 'sk-ant-api03-e2e-lazy-loading-key';
    const fake = await startFakeAnthropic({ apiKeys: [key] });
    const listFile = join(dir, 'loaded-packages.txt');
    const cli = runCli(['serve', '--port', '0', '--config', configPath], {
      NODE_OPTIONS: `--import=${fixture('loaded-packages.mjs')}`,
      LOADED_PACKAGES_FILE: listFile,
      ANTHROPIC_API_KEY: key,
      ANTHROPIC_BASE_URL: fake.url,
    });
    try {
      const url = await servedUrl(cli);
      await waitFor('running', () => /server running \(pid \d+\)/.test(cli.stdout()));
      const idle = await loadedPackages(cli, listFile);
      // Express and the rest are inside the bundle, not loaded as modules; the on-demand packages are not loaded yet.
      expect(idle).not.toContain('express');
      for (const name of ['zod', 'axios', 'prom-client']) expect(idle).not.toContain(name);

      const put = await request(`${url}/supervisor/config`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ values: { log_level: 'debug' }, restart: false }),
      });
      expect(put.status).toBe(200);
      const logs = await request(`${url}/supervisor/logs?lines=5&follow=false`);
      expect(logs.status).toBe(200);
      expect(logs.text).toContain('server started pid');
      await waitFor('cpu and memory in status', async () => (await request(`${url}/supervisor/status`)).json.memory_bytes > 0);
      const models = await request(`${url}/supervisor/models`);
      expect(models.json.source).toBe('anthropic');
      const metrics = await request(`${url}/supervisor/metrics`);
      expect(metrics.text).toMatch(/^parachute_server_up 1$/m);
      const used = await loadedPackages(cli, listFile);
      expect(used).toEqual(expect.arrayContaining(['zod', 'axios', 'prom-client']));
      // Streams and status metrics worked above with better-sse and pidusage from inside the bundle.
      for (const name of ['better-sse', 'pidusage', 'express']) expect(used).not.toContain(name);
    } finally {
      cli.child.kill('SIGTERM');
      await cli.exited;
      await fake.close();
    }
  });

  it('serves its OpenAPI document from the build (dist/openapi.json), the same as docs/openapi.yaml', async () => {
    const cli = runCli(['serve', '--port', '0', '--config', configPath]);
    try {
      const url = await servedUrl(cli);
      // request() also checks the answer against the document itself (test/support/contract.ts).
      const answer = await request(`${url}/supervisor/openapi.json`);
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toMatch(/^application\/json/);
      expect(answer.json).toEqual(loadDocument());
      expect((await request(`${url}/supervisor/openapi.json`, { method: 'PUT' })).status).toBe(405);
    } finally {
      cli.child.kill('SIGTERM');
      expect(await cli.exited).toBe(0);
    }
  });

  it('runs the bundled better-sse and pidusage only from their first use (a dynamic import), never at boot', () => {
    const bundle = readFileSync(new URL('../../dist/src/cli/serve.bundle.mjs', import.meta.url), 'utf8');
    for (const entry of ['node_modules/better-sse/build/index.mjs', 'node_modules/pidusage/index.js']) {
      // esbuild wraps a lazily run package in an initializer: `init_x = __esm({"<path>"` or `require_x = __commonJS({"<path>"`.
      const initializer = new RegExp(`(\\w+)=__(?:esm|commonJS)\\(\\{"${entry.replace(/[./]/g, '\\$&')}"`).exec(bundle)?.[1];
      expect({ entry, initializer }).toEqual({ entry, initializer: expect.stringMatching(/^(init|require)_\w+$/) });
      const calls = [...bundle.matchAll(new RegExp(`.{0,60}\\b${initializer}\\(\\)`, 'g'))].map((m) => m[0]);
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatch(/lazyImport\(\(\)=>Promise\.resolve\(\)\.then\(\(\)=>(\(|__toESM\()\w+\(\)$/);
    }
  });
});

/** Asks the daemon (through the loaded-packages.mjs preload) which packages its CommonJS cache holds now. */
async function loadedPackages(cli: CliProcess, listFile: string): Promise<string[]> {
  rmSync(listFile, { force: true });
  cli.child.kill('SIGUSR2');
  return waitFor('the loaded-packages list', () => {
    try {
      return readFileSync(listFile, 'utf8').trim().split('\n');
    } catch {
      return undefined;
    }
  });
}
