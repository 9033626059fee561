// supervisor.server.socket: inherit with real processes: the supervisor binds the server's address, hands the socket
// to each server process as fd 3, never accepts on it, and lets it go when the server is not meant to come back.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { isAlive } from '../../../src/lifecycle/process-group.js';
import { freePort } from '../../support/free-port.js';
import { servedBy } from '../../support/served-by.js';
import { startHarness, type Harness } from '../../support/supervisor-harness.js';
import { waitFor } from '../../support/wait-for.js';

const running = (s: { main_server_status: string }) => s.main_server_status === 'running';
const inherit = { socket: 'inherit' };

/** The error code of listening on the port ourselves, or null when we could (the port is free). */
function listenError(port: number, host = '127.0.0.1'): Promise<string | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(null)));
  });
}

/** Resolves with the code a TCP connect fails with, or 'connected'. */
function connectResult(port: number, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

describe('socket handoff (supervisor.server.socket: inherit), real processes', () => {
  let h: Harness | undefined;
  let squatter: Server | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
    await new Promise<void>((resolve) => (squatter ? squatter.close(() => resolve()) : resolve()));
    squatter = undefined;
  });

  it('hands the server the socket as fd 3 with LISTEN_FDS=1 and LISTEN_FDNAMES=http, and says so in status', async () => {
    h = await startHarness({ fixture: 'fd3-server.mjs', server: inherit });
    const status = await h.waitForStatus('running', running);
    expect(status).toMatchObject({ main_server_socket: 'inherited', main_server_port: h.serverPort, main_server_healthy: true });
    expect(h.logLines()).toContain(`fd3 fixture pid ${status.main_server_pid} listening on fd 3 (LISTEN_FDS=1 LISTEN_FDNAMES=http LISTEN_PID=unset)`);
    expect(await servedBy(h.serverPort)).toBe(status.main_server_pid);
    // Held by the supervisor: nobody else can take the port.
    expect(await listenError(h.serverPort)).toBe('EADDRINUSE');
  });

  it('leaves the server to bind its own port by default (main_server_socket own, never a LISTEN_FDS without fd 3)', async () => {
    h = await startHarness({ fixture: 'fd3-server.mjs', server: { env: { LISTEN_FDS: '1', LISTEN_FDNAMES: 'stray', LISTEN_PID: '1' } } });
    const status = await h.waitForStatus('running', running);
    expect(status.main_server_socket).toBe('own');
    expect(h.logLines()).toContain(`fd3 fixture pid ${status.main_server_pid} listening on its own port (LISTEN_FDS=unset LISTEN_FDNAMES=unset LISTEN_PID=unset)`);
  });

  it('queues a connection made while the server is down (a crash in backoff) and the next process serves it', async () => {
    h = await startHarness({ fixture: 'fd3-server.mjs', server: { ...inherit, backoff_ms: 1_500, backoff_max_ms: 1_500, stable_ms: 60_000 } });
    const first = await h.waitForStatus('running', running);
    // The first crash of a stable server restarts at once; the second in a row waits backoff_ms.
    process.kill(first.main_server_pid, 'SIGKILL');
    const second = await h.waitForStatus('running again', (s) => running(s) && s.main_server_pid !== first.main_server_pid);
    process.kill(second.main_server_pid, 'SIGKILL');
    await h.waitForStatus('crashed.backoff', (s) => s.main_server_state === 'crashed.backoff');
    expect(isAlive(second.main_server_pid)).toBe(false);
    // No server process exists now; the connection is not refused but waits for the next one.
    const answer = servedBy(h.serverPort);
    expect((await h.status()).main_server_state).toBe('crashed.backoff');
    const third = await h.waitForStatus('the third server running', (s) => running(s) && s.main_server_pid !== second.main_server_pid);
    expect(await answer).toBe(third.main_server_pid);
    expect(third).toMatchObject({ main_server_socket: 'inherited', restart_count: 2 });
  });

  it('halts a server that binds the port itself: ERR_SOCKET_NOT_INHERITED saying how to listen on fd 3, never a crash loop', async () => {
    // healthy-server.mjs ignores fd 3 and binds PORT, which the supervisor holds.
    h = await startHarness({ fixture: 'healthy-server.mjs', server: { ...inherit, backoff_ms: 50 } });
    const halted = await h.waitForStatus('crashed.halted', (s) => s.main_server_state === 'crashed.halted');
    expect(halted).toMatchObject({ last_error_code: 'ERR_SOCKET_NOT_INHERITED', restart_count: 0, main_server_pid: null });
    expect(halted.last_error).toBe(
      `the server tried to bind 127.0.0.1:${h.serverPort} itself, which the supervisor holds for it (supervisor.server.socket: inherit); ` +
        'make it listen on file descriptor 3: uvicorn --fd 3, gunicorn or hypercorn --bind fd://3, Node server.listen({ fd: 3 }) ' +
        '(or set supervisor.server.socket: none to let it bind the port itself)',
    );
    expect(h.logLines().filter((line) => / server started pid \d+ ---$/.test(line))).toHaveLength(1);
    // Not meant to come back: the port is let go (the owner can run the server by hand to see what is wrong).
    await waitFor('the port to be free', async () => (await listenError(h!.serverPort)) === null);
    // A manual start fails the same way, at once, with the same code.
    const answer = await h.post('/supervisor/server/start');
    expect(answer.status).toBe(500);
    expect(answer.json).toMatchObject({ code: 'ERR_SOCKET_NOT_INHERITED', status: { main_server_state: 'crashed.halted' } });
  });

  it('lets the port go on stop (connections are refused, not left waiting) and binds it again at the next start', async () => {
    h = await startHarness({ fixture: 'fd3-server.mjs', server: inherit });
    await h.waitForStatus('running', running);
    expect((await h.post('/supervisor/server/stop')).status).toBe(200);
    expect(await connectResult(h.serverPort)).toBe('ECONNREFUSED');
    const started = await h.post('/supervisor/server/start');
    expect(started.status).toBe(200);
    expect(await servedBy(h.serverPort)).toBe(started.json.status.main_server_pid);
  });

  it('binds the new address at the next start when port changes in config.yaml, and lets the old one go', async () => {
    h = await startHarness({ fixture: 'fd3-server.mjs', server: inherit });
    await h.waitForStatus('running', running);
    const oldPort = h.serverPort;
    const newPort = await freePort();
    writeFileSync(h.configPath, readFileSync(h.configPath, 'utf8').replace(`port: ${oldPort}\n`, `port: ${newPort}\n`));
    const restarted = await h.post('/supervisor/server/restart');
    expect(restarted.json.status).toMatchObject({ main_server_status: 'running', main_server_port: newPort, main_server_socket: 'inherited' });
    expect(await servedBy(newPort)).toBe(restarted.json.status.main_server_pid);
    expect(await connectResult(oldPort)).toBe('ECONNREFUSED');
    expect(await listenError(oldPort)).toBeNull();
  });

  it('halts with ERR_PORT_IN_USE when another process has the port (the bind is the port check)', async () => {
    const port = await freePort();
    squatter = createServer();
    await new Promise<void>((resolve) => squatter!.listen(port, '127.0.0.1', resolve));
    h = await startHarness({ fixture: 'fd3-server.mjs', server: inherit, config: { port } });
    const halted = await h.waitForStatus('crashed.halted', (s) => s.main_server_state === 'crashed.halted');
    expect(halted).toMatchObject({ last_error_code: 'ERR_PORT_IN_USE', main_server_pid: null });
    expect(halted.last_error).toBe(`port ${port} on 127.0.0.1 is already in use by another process; stop that process or change "port" in ${h.configPath}`);
  });

  it('binds an IPv6 host, probes it there, and closes the socket when the supervisor shuts down', async () => {
    h = await startHarness({ fixture: 'fd3-server.mjs', server: inherit, config: { host: '::1' } });
    const status = await h.waitForStatus('running', running);
    expect(await servedBy(h.serverPort, '::1')).toBe(status.main_server_pid);
    expect(await connectResult(h.serverPort, '127.0.0.1')).toBe('ECONNREFUSED');
    const port = h.serverPort;
    await h.close();
    h = undefined;
    expect(await connectResult(port, '::1')).toBe('ECONNREFUSED');
  });

  it('leaves a server kept running at shutdown (--keep-server) serving on its own copy of the socket', async () => {
    h = await startHarness({ fixture: 'fd3-server.mjs', server: inherit, keepServer: true });
    const { main_server_pid: pid } = await h.waitForStatus('running', running);
    const { serverPort: port, dir } = h;
    await h.close();
    h = undefined;
    try {
      expect(await servedBy(port)).toBe(pid);
    } finally {
      process.kill(pid, 'SIGTERM');
      await waitFor('the kept server to exit', () => !isAlive(pid));
      rmSync(dir, { recursive: true, force: true });
    }
    // Its copy was the last one: the port is free.
    expect(await connectResult(port)).toBe('ECONNREFUSED');
  });

  it('binds localhost as 127.0.0.1', async () => {
    h = await startHarness({ fixture: 'fd3-server.mjs', server: inherit, config: { host: 'localhost' } });
    const status = await h.waitForStatus('running', running);
    expect(await servedBy(h.serverPort, '127.0.0.1')).toBe(status.main_server_pid);
  });
});
