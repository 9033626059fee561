// Pins what src/lifecycle/listen-socket.ts relies on from Node's internals (tcp_wrap) and from the kernel: a bound
// socket made to listen by a helper process is LISTENing while we hold it, queues connections without this process
// ever accepting them, hands them to the next process that inherits it as fd 3, keeps the port from anyone else, and
// lets it go when closed. A Node upgrade that breaks any of this fails here.
import { spawn } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { bindListenSocket, type ListenSocket } from '../../../src/lifecycle/listen-socket.js';
import { waitFor } from '../../support/wait-for.js';

// An HTTP server on fd 3 that answers with its pid, then exits.
const fd3Server = "require('http').createServer((q, r) => r.end(String(process.pid), () => process.exit(0))).listen({ fd: 3 });";

/** The kernel's view of our listening socket (Linux /proc/net/tcp*): its state and the length of its accept queue. */
function kernelView(socket: ListenSocket): { state: string; queued: number } | null {
  const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${socket.fd}`))?.[1];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // st is field 3 (0A = LISTEN); tx_queue:rx_queue field 4 (for a listener rx_queue is its accept queue); inode 9.
      if (fields[9] === inode) return { state: fields[3] ?? '', queued: parseInt(fields[4]?.split(':')[1] ?? '', 16) };
    }
  }
  return null;
}
const linux = process.platform === 'linux';

function listenError(port: number, host: string): Promise<string | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(null)));
  });
}

function connected(port: number, host: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const client = connect({ port, host });
    client.once('connect', () => resolve(client));
    client.once('error', reject);
  });
}

function reply(client: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    client.on('data', (chunk: Buffer) => (text += chunk.toString()));
    client.once('end', () => resolve(text));
    client.once('error', reject);
  });
}

describe('bindListenSocket (Node internals behind one module)', () => {
  const held: ListenSocket[] = [];
  const bind = async (host: string, port = 0) => {
    const socket = await bindListenSocket(host, port);
    held.push(socket);
    return socket;
  };
  afterEach(() => {
    for (const socket of held.splice(0)) socket.close();
  });

  it('binds the address and the socket LISTENs once the helper has run', async () => {
    const socket = await bind('127.0.0.1');
    expect(socket).toMatchObject({ address: '127.0.0.1', family: 'IPv4', closed: false });
    expect(socket.port).toBeGreaterThan(0);
    expect(socket.fd).toBeGreaterThan(2);
    if (linux) expect(kernelView(socket)).toEqual({ state: '0A', queued: 0 });
    const client = await connected(socket.port, '127.0.0.1');
    client.destroy();
  });

  it('queues a connection made while no server runs, never accepts it itself, and the next fd-3 process serves it', async () => {
    const socket = await bind('127.0.0.1');
    const client = await connected(socket.port, '127.0.0.1');
    client.write('GET / HTTP/1.0\r\n\r\n');
    const answer = reply(client);
    // The handshake is done and the connection waits in the kernel's accept queue: not refused, and not ours.
    if (linux) await waitFor('the connection in the accept queue', () => kernelView(socket)?.queued === 1);
    const server = spawn(process.execPath, ['-e', fd3Server], { stdio: ['ignore', 'ignore', 'inherit', socket.fd] });
    const exited = new Promise((resolve) => server.once('exit', resolve));
    // Served by the child: had this process accepted the connection, no other process could have answered it.
    expect(await answer).toMatch(new RegExp(`\\r\\n\\r\\n${server.pid}$`));
    await exited;
    // The child is gone, our copy is not: the socket still listens and a new connection is queued again.
    if (linux) expect(kernelView(socket)).toEqual({ state: '0A', queued: 0 });
    const again = await connected(socket.port, '127.0.0.1');
    if (linux) await waitFor('the second connection queued', () => kernelView(socket)?.queued === 1);
    again.destroy();
  });

  it('keeps the port from anyone else: a second bind fails with EADDRINUSE', async () => {
    const socket = await bind('127.0.0.1');
    expect(await listenError(socket.port, '127.0.0.1')).toBe('EADDRINUSE');
    await expect(bindListenSocket('127.0.0.1', socket.port)).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });

  it('rejects with EADDRINUSE on a port another process listens on', async () => {
    const other = createServer();
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const port = (other.address() as { port: number }).port;
    try {
      await expect(bindListenSocket('127.0.0.1', port)).rejects.toMatchObject({ code: 'EADDRINUSE', message: `bind EADDRINUSE 127.0.0.1:${port}` });
    } finally {
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
  });

  it('lets the port go when closed: connections are refused and another process can listen', async () => {
    const socket = await bind('127.0.0.1');
    socket.close();
    expect(socket.closed).toBe(true);
    await expect(connected(socket.port, '127.0.0.1')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(await listenError(socket.port, '127.0.0.1')).toBeNull();
  });

  it('binds IPv6 loopback and the wildcard address', async () => {
    const v6 = await bind('::1');
    expect(v6).toMatchObject({ address: '::1', family: 'IPv6' });
    (await connected(v6.port, '::1')).destroy();
    const any = await bind('0.0.0.0');
    expect(any).toMatchObject({ address: '0.0.0.0', family: 'IPv4' });
    (await connected(any.port, '127.0.0.1')).destroy();
  });

  it('refuses what is not an IP address (names are resolved by the caller)', async () => {
    await expect(bindListenSocket('localhost', 0)).rejects.toThrow('"localhost" is not an IP address');
  });
});
