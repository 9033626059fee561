import { createServer } from 'node:net';

/**
 * A TCP port that was free a moment ago (the OS picks it). Plain JavaScript so that the benchmarks (test/bench, run by
 * node without a TypeScript step) and the tests share it.
 * @returns {Promise<number>}
 */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
