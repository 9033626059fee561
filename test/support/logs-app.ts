import { mkdtempSync, rmSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { createLogsRouter, type LogsRouterDeps } from '../../src/http/logs.routes.js';
import { createSseHub, type SseHub } from '../../src/http/sse.js';
import { listen, type RunningServer } from './http-server.js';

/** The logs router mounted on a bare Express app on port 0, with a fresh log folder. */
export interface LogsApp extends RunningServer {
  dir: string;
  logPath: string;
  hub: SseHub;
  /** Every response the app has handled, to look at server-side buffering. */
  responses: ServerResponse[];
  secrets: string[];
  logsUrl(query?: string): string;
  dispose(): Promise<void>;
}

/** Starts the app; `overrides` tune the route (heartbeat, poll, slow-client limits). */
export async function startLogsApp(overrides: Partial<LogsRouterDeps> = {}): Promise<LogsApp> {
  const dir = mkdtempSync(join(tmpdir(), 'logs-'));
  const logPath = join(dir, 'server.log');
  const hub = createSseHub();
  const responses: ServerResponse[] = [];
  const secrets: string[] = [];
  const app = express();
  app.use((_req, res, next) => {
    responses.push(res);
    next();
  });
  app.use(createLogsRouter({ logPath: () => logPath, secrets: () => secrets, streams: hub, pollMs: 200, ...overrides }));
  const running = await listen(app);
  return {
    ...running,
    dir,
    logPath,
    hub,
    responses,
    secrets,
    logsUrl: (query = '') => `${running.url}/supervisor/logs${query ? `?${query}` : ''}`,
    async dispose() {
      hub.closeAll();
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
