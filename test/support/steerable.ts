import { spawn, type ChildProcess } from 'node:child_process';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { request as httpRequest } from 'node:http';

/** What test/fixtures/steerable-server.mjs can be told to do next (see its header). */
export type SteerOrder =
  | { health: 'ok' | 'hold' | 'refuse-once' }
  | { exit: number }
  | { sigterm: 'hold' | 'exit' }
  | { bindPort: true };

/** What the fixture says it is doing. */
export interface SteerReply {
  pid: number;
  health: string;
  sigterm: string;
  gotSigterm: boolean;
  held: number;
}

/**
 * Tells the steerable fixture listening on `port` what to do next (`{}` only asks what it is doing); resolves once it
 * has heard and replied, rejects when it does not answer within `timeoutMs`.
 */
export function steer(port: number, order: SteerOrder | Record<string, never>, timeoutMs = 5_000): Promise<SteerReply> {
  const body = JSON.stringify(order);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path: '/steer', method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => {
          if (res.statusCode === 200) resolve(JSON.parse(text) as SteerReply);
          else reject(new Error(`the steerable fixture on port ${port} answered ${res.statusCode} to ${body}`));
        });
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`the steerable fixture on port ${port} did not answer ${body} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** Something holding the server's port, so a start fails with ERR_PORT_IN_USE. */
export interface PortBlocker {
  release(): Promise<void>;
}

/** Listens on the port from this process: the supervisor's port check finds it at once. */
export async function blockPort(port: number): Promise<PortBlocker> {
  const server: Server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return { release: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * Listens on the port and never accepts, its backlog full: the kernel drops further SYNs, so the supervisor's port
 * check waits out its connect timeout (500 ms) before it finds the port taken. That is a window in which the lifecycle
 * is `starting` (or `stopping`) with no process yet, for commands to land in.
 */
export async function clogPort(port: number): Promise<PortBlocker> {
  const code = [
    'import socket, sys, time',
    's = socket.socket()',
    `s.bind(('127.0.0.1', ${port}))`,
    's.listen(0)',
    "print('listening', flush=True)",
    'sys.stdin.read()',
  ].join('\n');
  const child: ChildProcess = spawn('/usr/bin/python3', ['-c', code], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (exitCode) => reject(new Error(`the port clog exited with ${exitCode} before listening on ${port}`)));
    child.stdout?.once('data', () => resolve());
  });
  child.removeAllListeners('exit');
  // One connection fills a backlog of 0: the next connect waits for a SYN-ACK that never comes.
  const filler: Socket = createConnection({ port, host: '127.0.0.1' });
  await new Promise<void>((resolve, reject) => {
    filler.once('connect', resolve);
    filler.once('error', reject);
  });
  return {
    release: async () => {
      filler.destroy();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin?.end();
      await exited;
    },
  };
}
