// The logs route as the supervisor serves it, alone in its own process (built code from dist/).
// Usage: node test/bench/logs-server.mjs <logPath>; prints {"port": N} once listening.
import { createServer } from 'node:http';
import express from 'express';

// The built code, loaded by URL so the typecheck of test/ does not pull dist/ in.
/** @type {(file: string) => Promise<any>} */
const built = (file) => import(new URL(`../../dist/src/${file}`, import.meta.url).href);
const { createLogsRouter } = await built('http/logs.routes.js');
const { createSseHub } = await built('http/sse.js');

const logPath = process.argv[2];
if (!logPath) throw new Error('usage: logs-server.mjs <logPath>');
const app = express();
app.use(createLogsRouter({ logPath: () => logPath, secrets: () => ['bench-configured-secret'], streams: createSseHub() }));
const server = createServer(app);
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
