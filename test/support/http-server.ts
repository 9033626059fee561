import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

/** A real HTTP server on 127.0.0.1, port 0. */
export interface RunningServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** Serves `app` on an ephemeral loopback port. */
export async function listen(app: Express): Promise<RunningServer> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
