import { createConnection, createServer } from 'node:net';

/** True when something already accepts connections on (or holds) this TCP port on this machine. */
export async function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  if (await accepts(port, host)) return true;
  return !(await canListen(port));
}

// A server bound only to 127.0.0.1 or only to ::1 answers a connect on its own address.
function accepts(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

// Catches a holder that is bound but not answering (e.g. a listen backlog full, or bound on another address).
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}
