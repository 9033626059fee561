import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { StartFailure } from '../../machines/server-lifecycle.types.js';
import type { ServerSettings } from '../config/settings.js';
import { isErrno } from '../errno.js';
import { bindListenSocket, type ListenSocket } from './listen-socket.js';

// supervisor.server.socket: inherit (README, "Socket handoff"; docs/socket-handoff.md): the supervisor binds the
// server's address, keeps the listening socket while the server is meant to be up, and hands it to every server
// process as fd 3 with LISTEN_FDS=1 and LISTEN_FDNAMES=http.

/** The environment that tells a server it was handed a listening socket as fd 3 (systemd's convention, no LISTEN_PID). */
export const inheritedSocketEnv = { LISTEN_FDS: '1', LISTEN_FDNAMES: 'http' } as const;

/**
 * The listening socket the supervisor holds for the server: bound at the first start, kept across restarts and
 * crashes, bound again when `host`/`port` change, closed when the server is not meant to come back. One operation at
 * a time, in call order, so a release queued behind a bind closes what that bind opened.
 */
export class InheritedSocket {
  private held: { host: string; port: number; socket: ListenSocket } | null = null;
  private tail: Promise<unknown> = Promise.resolve();

  /** The socket for `host:port`: the one held if it is for that address, else a new one (the old one is closed). */
  acquire(host: string, port: number): Promise<ListenSocket> {
    return this.queue(async () => {
      if (this.held && this.held.host === host && this.held.port === port && !this.held.socket.closed) return this.held.socket;
      this.closeHeld();
      const socket = await bindListenSocket(await bindAddress(host), port);
      this.held = { host, port, socket };
      return socket;
    });
  }

  /** Closes the socket (the server is stopped or will not be restarted): connections are refused again. */
  release(): Promise<void> {
    return this.queue(async () => this.closeHeld());
  }

  /** The address held now, if any. */
  holding(): { host: string; port: number } | null {
    return this.held ? { host: this.held.host, port: this.held.port } : null;
  }

  private closeHeld(): void {
    this.held?.socket.close();
    this.held = null;
  }

  private queue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task, task);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

// `[::1]` is written as in a URL; the socket wants the bare address.
const unbracket = (host: string) => (host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host);

/** The IP address to bind for the configured `host`: `localhost` is 127.0.0.1 (one socket, one family); a name is looked up. */
export async function bindAddress(host: string): Promise<string> {
  const bare = unbracket(host);
  if (isIP(bare) !== 0) return bare;
  if (bare.toLowerCase() === 'localhost') return '127.0.0.1';
  return (await lookup(bare)).address;
}

/** Where the health probe connects for a server on `host`: the wildcard addresses are reached through loopback. */
export function probeHost(host: string): string {
  const bare = unbracket(host);
  if (bare === '0.0.0.0' || bare.toLowerCase() === 'localhost') return '127.0.0.1';
  if (bare === '::' || bare === '::0') return '::1';
  return bare;
}

// What a server prints when its own bind of the port fails: Node (EADDRINUSE), Python and Go ("address already in
// use", with uvicorn's and hypercorn's "[Errno 98]"), Rust ("Address in use"), gunicorn ("Connection in use").
const addressInUse = /EADDRINUSE|address already in use|\baddress in use\b|connection in use/i;

/** True when server output says a bind failed because the address was taken. */
export function saysAddressInUse(output: string): boolean {
  return addressInUse.test(output);
}

/** The error of a start whose server bound the port itself instead of taking fd 3 (a start that retrying cannot fix). */
export function notInheritedMessage(host: string, port: number): string {
  return (
    `the server tried to bind ${host}:${port} itself, which the supervisor holds for it (supervisor.server.socket: inherit); ` +
    'make it listen on file descriptor 3: uvicorn --fd 3, gunicorn or hypercorn --bind fd://3, Node server.listen({ fd: 3 }) ' +
    '(or set supervisor.server.socket: none to let it bind the port itself)'
  );
}

/** The socket for one start, or why there is none: the port is taken (ERR_PORT_IN_USE) or cannot be bound. */
export async function socketForStart(
  socket: InheritedSocket,
  server: Pick<ServerSettings, 'host' | 'port'>,
  configPath: string,
): Promise<{ socket: ListenSocket; failure?: undefined } | { socket?: undefined; failure: StartFailure }> {
  try {
    return { socket: await socket.acquire(server.host, server.port) };
  } catch (error) {
    const where = `${server.host}:${server.port}`;
    if (isErrno(error, 'EADDRINUSE')) {
      return {
        failure: {
          code: 'ERR_PORT_IN_USE',
          message: `port ${server.port} on ${server.host} is already in use by another process; stop that process or change "port" in ${configPath}`,
        },
      };
    }
    return {
      failure: {
        code: 'ERR_SPAWN_FAILED',
        message: `cannot bind ${where} for the server (supervisor.server.socket: inherit): ${(error as Error).message}; check "host" and "port" in ${configPath}`,
      },
    };
  }
}

/** Reads, once the server has exited, whether it exited because it bound the port itself (its output from `from` on). */
export function startFailureOf(server: Pick<ServerSettings, 'host' | 'port'>, logPath: string, from: number): () => StartFailure | null {
  return () =>
    saysAddressInUse(outputSince(logPath, from)) ? { code: 'ERR_SOCKET_NOT_INHERITED', message: notInheritedMessage(server.host, server.port) } : null;
}

const outputScanBytes = 64 * 1024;

/** The last 64 KiB a server wrote to its log from byte `from` on (all of the tail if the log was rotated since). */
export function outputSince(logPath: string, from: number): string {
  let fd: number;
  try {
    fd = openSync(logPath, 'r');
  } catch {
    return '';
  }
  try {
    const size = fstatSync(fd).size;
    // A rotation truncated the file meanwhile: what is left of it is all this server's.
    const start = Math.max(size >= from ? from : 0, size - outputScanBytes);
    const buffer = Buffer.alloc(size - start);
    const read = readSync(fd, buffer, 0, buffer.length, start);
    return buffer.subarray(0, read).toString('utf8');
  } catch {
    return '';
  } finally {
    closeSync(fd);
  }
}
