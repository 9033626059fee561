// Real ASGI servers nobody here wrote (Debian's uvicorn and gunicorn, serving a tiny FastAPI app) under the built
// supervisor with the socket handed over as fd 3: one process or a master with workers, a stop leaves no process of
// the server behind, and a kill -9 of the master leaves no worker (the supervisor kills the whole process group).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { groupMembers, isAlive } from '../../src/lifecycle/process-group.js';
import { asgiCommands, requireAsgiServers } from '../support/asgi-servers.js';
import { runCli, servedUrl, type CliProcess } from '../support/built-cli.js';
import { freePort } from '../support/free-port.js';
import { request } from '../support/http.js';
import { servedBy } from '../support/served-by.js';
import { waitFor } from '../support/wait-for.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- status fields are read as the contract gives them
type Status = any;

describe.each([
  ['uvicorn --fd 3', asgiCommands.uvicorn, 1],
  // The master, multiprocessing's resource tracker and two workers.
  ['uvicorn --fd 3 --workers 2', asgiCommands.uvicornWorkers, 4],
  ['gunicorn -k uvicorn.workers.UvicornWorker -w 2 --bind fd://3', asgiCommands.gunicornUvicornWorkers, 3],
])('%s under the supervisor (socket: inherit)', (_name, command, processes) => {
  let dir: string;
  let port: number;
  let cli: CliProcess;
  let url: string;
  beforeAll(() => requireAsgiServers());
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'psup-asgi-'));
    port = await freePort();
    const configPath = join(dir, 'config.yaml');
    const server = { socket: 'inherit', command: [...command], stop_timeout_ms: 5_000 };
    writeFileSync(configPath, stringify({ port, supervisor: { log_dir: join(dir, 'logs'), server } }));
    cli = runCli(['serve', '--port', '0', '--config', configPath]);
    url = await servedUrl(cli);
  });
  afterEach(async () => {
    if (cli.child.exitCode === null && cli.child.signalCode === null) {
      cli.child.kill('SIGTERM');
      await cli.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });
  const status = async (): Promise<Status> => (await request(`${url}/supervisor/status`)).json;
  const waitStatus = (what: string, predicate: (s: Status) => boolean) =>
    waitFor(what, async () => {
      const s = await status();
      return predicate(s) ? s : undefined;
    }, { timeoutMs: 20_000 });
  /** The server's process group (not `replacing`'s) once all its processes are up and one of them answers. */
  async function runningGroup(replacing: number | null = null): Promise<{ pid: number; members: number[] }> {
    const s = await waitStatus('running', (x) => x.main_server_status === 'running' && x.main_server_pid !== replacing && x.main_server_socket === 'inherited');
    const members = await waitFor(`${processes} processes in the group`, () => {
      const found = groupMembers(s.main_server_pid);
      return found.length === processes ? found : undefined;
    });
    expect(members).toContain(await servedBy(port));
    return { pid: s.main_server_pid, members };
  }

  it('stops leaving no process of the server behind', async () => {
    const { pid, members } = await runningGroup();
    const answer = await request(`${url}/supervisor/server/stop`, { method: 'POST' });
    expect(answer.json.status).toMatchObject({ main_server_status: 'stopped', main_server_pid: null });
    expect(groupMembers(pid)).toEqual([]);
    expect(members.filter(isAlive)).toEqual([]);
  });

  it('after a kill -9 of the master leaves no worker, and the restarted server serves on the same socket', async () => {
    const { pid, members } = await runningGroup();
    process.kill(pid, 'SIGKILL');
    await runningGroup(pid);
    expect(members.filter(isAlive)).toEqual([]);
    expect(await status()).toMatchObject({ restart_count: 1, last_exit: { signal: 'SIGKILL' } });
  });
});
