import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { isAlive } from '../../src/lifecycle/process-group.js';
import { runCli, servedUrl, type CliProcess } from '../support/built-cli.js';
import { freePort } from '../support/free-port.js';
import { request } from '../support/http.js';
import { fixture } from '../support/supervisor-harness.js';
import { waitFor } from '../support/wait-for.js';

describe('adoption after a supervisor crash (built CLI, real processes)', () => {
  let dir: string;
  let configPath: string;
  let serverPort: number;
  const clis: CliProcess[] = [];
  const serve = () => {
    const cli = runCli(['serve', '--port', '0', '--config', configPath]);
    clis.push(cli);
    return cli;
  };
  const status = async (url: string) => (await request(`${url}/supervisor/status`)).json;
  let probing = false;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'psup-adopt-'));
    configPath = join(dir, 'config.yaml');
    serverPort = await freePort();
    const server = { command: [process.execPath, fixture('healthy-server.mjs')], backoff_ms: 50 };
    writeFileSync(configPath, stringify({ port: serverPort, supervisor: { log_dir: join(dir, 'logs'), server } }));
  });
  afterEach(async () => {
    probing = false;
    for (const cli of clis.splice(0)) {
      if (cli.child.exitCode === null && cli.child.signalCode === null) {
        cli.child.kill('SIGTERM');
        await cli.exited;
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves exactly one server, the same one, serving without interruption after SIGKILL and a new start', async () => {
    const first = serve();
    const firstUrl = await servedUrl(first);
    const { main_server_pid: pid } = await waitFor('running', async () => {
      const s = await status(firstUrl);
      return s.main_server_status === 'running' ? s : undefined;
    });

    // Health is asked the whole time: not one request may fail while the supervisor dies and comes back.
    probing = true;
    let failures = 0;
    let answered = 0;
    const prober = (async () => {
      while (probing) {
        const ok = await request(`http://127.0.0.1:${serverPort}/api/health`).then((a) => a.status === 200, () => false);
        if (ok) answered += 1;
        else failures += 1;
      }
    })();

    first.child.kill('SIGKILL');
    await first.exited;
    expect(isAlive(pid)).toBe(true);

    const second = serve();
    const secondUrl = await servedUrl(second);
    // Adoption passes through starting (one readiness probe of the adopted server) on its way to running.
    const adopted = await waitFor('the adopted server running', async () => {
      const s = await status(secondUrl);
      return s.main_server_status === 'starting' ? undefined : s;
    });
    expect(adopted).toMatchObject({ main_server_status: 'running', main_server_pid: pid, main_server_adopted: true, restart_count: 0 });
    expect(second.stdout()).toContain(`adopting the running server (pid ${pid})`);
    await waitFor('a few health answers after adoption', () => answered > 20);
    probing = false;
    await prober;
    expect(failures).toBe(0);
    expect(adopted.main_server_port).toBe(serverPort);

    // An adopted server is not our child: its death is noticed by polling, and it is restarted like any crash.
    process.kill(pid, 'SIGKILL');
    const restarted = await waitFor('restart after the adopted server died', async () => {
      const s = await status(secondUrl);
      return s.main_server_status === 'running' && s.main_server_pid !== pid ? s : undefined;
    });
    expect(restarted).toMatchObject({ main_server_adopted: false, restart_count: 1 });

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(isAlive(restarted.main_server_pid)).toBe(false);
  });
});
