// supervisor.server.socket: inherit as a user runs it (the built CLI), under a steady client: a request every 5 ms on
// a fresh connection each. Restarts of every kind refuse no connection, with the bundled demo server and with
// Debian's uvicorn (`--fd 3`); a server that ignores fd 3 halts with the clear error; adoption keeps serving.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { asgiCommands, requireAsgiServers, uvicornOnItsOwnPort } from '../support/asgi-servers.js';
import { runCli, servedUrl, type CliProcess } from '../support/built-cli.js';
import { freePort } from '../support/free-port.js';
import { request } from '../support/http.js';
import { steadyClient, type SteadySummary } from '../support/steady-client.js';
import { fixture } from '../support/supervisor-harness.js';
import { waitFor } from '../support/wait-for.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- status fields are read as the contract gives them
type Status = any;

describe('socket handoff under a steady client (built CLI, real processes)', () => {
  let dir: string;
  let serverPort: number;
  const clis: CliProcess[] = [];
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'psup-socket-'));
    serverPort = await freePort();
  });
  afterEach(async () => {
    for (const cli of clis.splice(0)) {
      if (cli.child.exitCode === null && cli.child.signalCode === null) {
        cli.child.kill('SIGTERM');
        await cli.exited;
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  /** Writes config.yaml (socket: inherit unless `server` says otherwise) and starts `serve` on it. */
  async function serve(server: Record<string, unknown> = {}): Promise<{ cli: CliProcess; url: string; configPath: string }> {
    const configPath = join(dir, 'config.yaml');
    const config = { port: serverPort, default_model: 'claude-sonnet-4-5', supervisor: { log_dir: join(dir, 'logs'), server: { socket: 'inherit', ...server } } };
    writeFileSync(configPath, stringify(config));
    return { ...(await serveOn(configPath)), configPath };
  }
  async function serveOn(configPath: string): Promise<{ cli: CliProcess; url: string }> {
    const cli = runCli(['serve', '--port', '0', '--config', configPath]);
    clis.push(cli);
    return { cli, url: await servedUrl(cli) };
  }
  const status = async (url: string): Promise<Status> => (await request(`${url}/supervisor/status`)).json;
  const waitStatus = (url: string, what: string, predicate: (s: Status) => boolean, timeoutMs = 15_000) =>
    waitFor(what, async () => {
      const s = await status(url);
      return predicate(s) ? s : undefined;
    }, { timeoutMs });

  /**
   * A steady client from before `act` until a new server process runs and has answered 40 more requests: the
   * outcome of every request of that window.
   */
  async function underSteadyClient(url: string, act: (pid: number) => Promise<unknown>): Promise<SteadySummary & { pid: number }> {
    const before = await waitStatus(url, 'running', (s) => s.main_server_status === 'running');
    const client = steadyClient({ port: serverPort, path: '/api/health' });
    try {
      await waitFor('20 answers before', () => client.ok() >= 20);
      await act(before.main_server_pid);
      const after = await waitStatus(url, 'a new server running', (s) => s.main_server_status === 'running' && s.main_server_pid !== before.main_server_pid);
      const answered = client.ok();
      await waitFor('40 answers after', () => client.ok() >= answered + 40);
      return { ...(await client.stop()), pid: after.main_server_pid };
    } finally {
      await client.stop();
    }
  }

  const restart = (url: string) => async () => expect((await request(`${url}/supervisor/server/restart`, { method: 'POST' })).status).toBe(200);
  const changeModel = (url: string, model: string) => async () => {
    const answer = await request(`${url}/supervisor/config`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ values: { default_model: model }, restart: true }),
    });
    expect(answer.json).toMatchObject({ success: true, server_restarted: true });
  };

  it.each([
    ['the bundled demo server', {}],
    ['uvicorn --fd 3 (Debian, FastAPI app)', { command: [...asgiCommands.uvicorn] }],
  ])('refuses no connection across kill -9, POST restart and a config change with restart: %s', async (_name, server) => {
    if ('command' in server) requireAsgiServers();
    const { url } = await serve(server);
    const kill = await underSteadyClient(url, async (pid) => process.kill(pid, 'SIGKILL'));
    const restarted = await underSteadyClient(url, restart(url));
    const reconfigured = await underSteadyClient(url, changeModel(url, 'claude-opus-4-1'));
    for (const [event, window] of Object.entries({ kill, restarted, reconfigured })) {
      // An in-flight request cut by the kill may be reset; none may be refused, time out or fail otherwise.
      expect({ event, refused: window.refused, other: window.other, errors: window.errors }).toEqual({
        event,
        refused: 0,
        other: 0,
        errors: window.reset > 0 ? { ECONNRESET: window.reset } : {},
      });
      expect(window.ok).toBeGreaterThanOrEqual(60);
    }
    const after = await status(url);
    expect(after).toMatchObject({ main_server_socket: 'inherited', default_model: 'claude-opus-4-1', main_server_pid: reconfigured.pid });
  });

  it('refuses connections across a kill -9 without it (socket: none), which is what the handoff removes', async () => {
    const { url } = await serve({ socket: 'none' });
    const kill = await underSteadyClient(url, async (pid) => process.kill(pid, 'SIGKILL'));
    expect(kill.refused).toBeGreaterThan(0);
    expect((await status(url)).main_server_socket).toBe('own');
  });

  it.each([
    ['a Node server', () => [process.execPath, fixture('healthy-server.mjs')]],
    ['uvicorn without --fd 3', () => uvicornOnItsOwnPort(serverPort)],
  ])('halts %s that binds the port itself with ERR_SOCKET_NOT_INHERITED and says how to listen on fd 3', async (name, command) => {
    if (name.startsWith('uvicorn')) requireAsgiServers();
    const { cli, url } = await serve({ command: command() });
    const halted = await waitStatus(url, 'crashed.halted', (s) => s.main_server_state === 'crashed.halted');
    expect(halted).toMatchObject({ last_error_code: 'ERR_SOCKET_NOT_INHERITED', restart_count: 0 });
    expect(halted.last_error).toContain('uvicorn --fd 3, gunicorn or hypercorn --bind fd://3, Node server.listen({ fd: 3 })');
    await waitFor('the daemon to print the error', () => cli.stdout().includes(`server crashed: ${halted.last_error}`));
  });

  it('after a supervisor crash, the adopted server keeps serving on its socket; the new supervisor binds it again once free', async () => {
    const { cli: first, url: firstUrl, configPath } = await serve();
    const { main_server_pid: pid } = await waitStatus(firstUrl, 'running', (s) => s.main_server_status === 'running');
    const client = steadyClient({ port: serverPort, path: '/api/health' });
    let adoptedUrl: string;
    try {
      await waitFor('answers before', () => client.ok() >= 20);
      first.child.kill('SIGKILL');
      await first.exited;
      adoptedUrl = (await serveOn(configPath)).url;
      const adopted = await waitStatus(adoptedUrl, 'the adopted server running', (s) => s.main_server_status === 'running');
      expect(adopted).toMatchObject({ main_server_pid: pid, main_server_adopted: true, main_server_socket: 'inherited' });
      const answered = client.ok();
      await waitFor('answers after adoption', () => client.ok() >= answered + 40);
    } finally {
      // The supervisor died, not the server: not one request failed in any way.
      expect(await client.stop()).toMatchObject({ refused: 0, reset: 0, other: 0 });
    }
    // The adopted server holds the only copy of the socket now; its death frees the port, and the new supervisor
    // binds it again for the next server.
    process.kill(pid, 'SIGKILL');
    const next = await waitStatus(adoptedUrl, 'a new server running', (s) => s.main_server_status === 'running' && s.main_server_pid !== pid);
    expect(next).toMatchObject({ main_server_adopted: false, main_server_socket: 'inherited', restart_count: 1 });
    const restarted = await underSteadyClient(adoptedUrl, restart(adoptedUrl));
    expect(restarted).toMatchObject({ refused: 0, other: 0 });
  });
});
