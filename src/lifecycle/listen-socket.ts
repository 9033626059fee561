import { spawn } from 'node:child_process';
import { isIP } from 'node:net';
import { getSystemErrorName } from 'node:util';

// The one module that uses Node internals (docs/socket-handoff.md says why, and
// test/integration/lifecycle/listen-socket.test.ts pins the behaviour, so a Node upgrade that breaks it fails loudly).
//
// A libuv listening handle always accepts: uv_listen() starts polling the socket and accepts every connection it
// sees, and net.Server has no way to listen without it. A socket that is only *bound* in this process is never
// polled. So the socket is created and bound here through tcp_wrap, and a helper process that inherits it as fd 3
// calls listen(2) on it (net's `listen({ fd: 3 })`) and exits in the same tick, before its event loop could accept
// anything. From then on the kernel keeps the socket in LISTEN state for as long as any process holds it: connections
// complete their handshake and wait in the backlog until a server process that inherited it accepts them.

/** A listening TCP socket held by this process, never accepted on here; handed to child processes by its fd. */
export interface ListenSocket {
  /** The file descriptor, to pass in a child's `stdio` array. */
  readonly fd: number;
  /** The address it is bound to, as the kernel reports it (`127.0.0.1`, `::1`, `0.0.0.0` …). */
  readonly address: string;
  readonly family: 'IPv4' | 'IPv6';
  readonly port: number;
  readonly closed: boolean;
  /** Closes this process's copy; the port is free once no child holds it either. */
  close(): void;
}

// The parts of tcp_wrap's TCP handle used here (internal; checked when loaded).
interface TcpHandle {
  bind(address: string, port: number): number;
  bind6(address: string, port: number, flags: number): number;
  getsockname(out: Record<string, unknown>): number;
  readonly fd: number;
  close(callback?: () => void): void;
}
interface TcpBinding {
  TCP: new (type: number) => TcpHandle;
  constants: { SERVER: number };
}

// Runs in the helper: listen(2) on fd 3, then exit before the event loop ever polls ('listening' comes on nextTick).
const listenScript = [
  "const server = require('net').createServer();",
  "server.once('listening', () => process.exit(0));",
  "server.once('error', (error) => { process.stderr.write(String(error.code || error.message)); process.exit(1); });",
  'server.listen({ fd: 3 });',
].join('\n');

const helperTimeoutMs = 10_000;

/**
 * Binds `address:port` (an IP address; port 0 picks one) and makes the socket listen without this process ever
 * accepting on it. Rejects with a Node-style system error (`code` EADDRINUSE, EADDRNOTAVAIL, EACCES …).
 */
export async function bindListenSocket(address: string, port: number): Promise<ListenSocket> {
  const version = isIP(address);
  if (version === 0) throw new Error(`${JSON.stringify(address)} is not an IP address`);
  const { TCP, constants } = tcpBinding();
  const handle = new TCP(constants.SERVER);
  const name: Record<string, unknown> = {};
  // libuv holds back a bind's EADDRINUSE (its delayed_error) until the next call on the handle: getsockname here.
  const status = (version === 6 ? handle.bind6(address, port, 0) : handle.bind(address, port)) || handle.getsockname(name);
  try {
    if (status !== 0) throw systemError(status, 'bind', address, port);
    await listenInHelper(handle.fd, address, port);
  } catch (error) {
    handle.close();
    throw error;
  }
  let closed = false;
  return {
    fd: handle.fd,
    address: String(name.address),
    family: name.family === 'IPv6' ? 'IPv6' : 'IPv4',
    port: Number(name.port),
    get closed() {
      return closed;
    },
    close() {
      if (closed) return;
      closed = true;
      handle.close();
    },
  };
}

// tcp_wrap through process.binding (allowed for this module in Node 20 and later); a clear error if it is gone.
function tcpBinding(): TcpBinding {
  let binding: Partial<TcpBinding> | undefined;
  try {
    binding = (process as unknown as { binding(name: string): Partial<TcpBinding> }).binding('tcp_wrap');
  } catch (error) {
    throw new Error(`Node.js ${process.version} does not offer process.binding('tcp_wrap'), which holding the server's socket needs (${(error as Error).message})`);
  }
  if (typeof binding?.TCP !== 'function' || typeof binding.constants?.SERVER !== 'number') {
    throw new Error(`Node.js ${process.version}: process.binding('tcp_wrap') no longer has TCP and constants.SERVER, which holding the server's socket needs`);
  }
  return binding as TcpBinding;
}

// The helper inherits the bound socket as fd 3 (the fd number: child_process cannot pass the wrap itself).
function listenInHelper(fd: number, address: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    // An empty environment: no NODE_OPTIONS preloads, no cluster worker id that would change what listen() does.
    const helper = spawn(process.execPath, ['-e', listenScript], { stdio: ['ignore', 'ignore', 'pipe', fd], env: {} });
    let stderr = '';
    helper.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => helper.kill('SIGKILL'), helperTimeoutMs);
    helper.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot run the listen helper (${process.execPath}): ${error.message}`));
    });
    helper.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve();
      const errno = stderr.trim();
      const error = new Error(`listen ${errno || (signal ? `killed by ${signal}` : `exit code ${code}`)} ${address}:${port}`) as NodeJS.ErrnoException;
      if (/^E[A-Z]+$/.test(errno)) error.code = errno;
      error.syscall = 'listen';
      reject(error);
    });
  });
}

// A libuv status (a negative errno) as the kind of error node:net would throw.
function systemError(status: number, syscall: string, address: string, port: number): NodeJS.ErrnoException {
  const code = getSystemErrorName(status);
  const error = new Error(`${syscall} ${code} ${address}:${port}`) as NodeJS.ErrnoException;
  error.code = code;
  error.errno = status;
  error.syscall = syscall;
  return error;
}
