import { EventEmitter, once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { createActor, type InspectionEvent } from 'xstate';
import { stringify } from 'yaml';
import { modelCacheMachine } from '../../machines/model-cache.machine.js';
import { readConfig } from '../../src/config/config-file.js';
import { errorHandler } from '../../src/http/errors.js';
import { modelsWaitMs, requestModels } from '../../src/actors/actor-requests.js';
import { createModelsRouter } from '../../src/http/models.routes.js';
import { createFetchModelsLogic, createRetrieveModelLogic } from '../../src/models/fetch-models.logic.js';
import { createModelsConfig } from '../../src/models/models-config.js';
import { checkAnswer } from './contract.js';

/** A response as the tests read it: status, raw text (for leak checks) and parsed JSON. */
export interface TestResponse {
  status: number;
  headers: Headers;
  text: string;
  body: Record<string, unknown>;
}

/** Knobs of the app under test. */
export interface ModelsAppOptions {
  baseUrl: string;
  env?: NodeJS.ProcessEnv;
  config?: Record<string, unknown>;
  timeoutMs?: number;
  errorBackoffMs?: number;
  waitMs?: number;
}

/**
 * The models feature wired as the supervisor's app wires it: a real config.yaml, the cache actor with the real fetch
 * logic, the router on a bare express app on port 0 (with the
 * supervisor's error handler). Every response text and inspection event is kept for leak checks.
 */
export async function startModelsApp(options: ModelsAppOptions) {
  const dir = mkdtempSync(join(tmpdir(), 'models-app-'));
  const configPath = join(dir, 'config.yaml');
  const env: NodeJS.ProcessEnv = { ...options.env, ANTHROPIC_BASE_URL: options.baseUrl };
  const writeConfig = (config: Record<string, unknown>) => writeFileSync(configPath, stringify(config));
  writeConfig(options.config ?? {});
  const modelsConfig = createModelsConfig(() => readConfig(configPath).data, env);

  const inspected: string[] = [];
  const requestsSeen = new EventEmitter();
  let requestEvents = 0;
  const inspect = (event: InspectionEvent) => {
    if (event.type === '@xstate.event') {
      inspected.push(JSON.stringify(event.event));
      if (event.event.type === 'models.request' || event.event.type === 'models.refresh') {
        requestEvents += 1;
        requestsSeen.emit('request', requestEvents);
      }
    }
    if (event.type === '@xstate.snapshot') inspected.push(JSON.stringify((event.snapshot as { context?: unknown }).context ?? null));
  };
  const logicDeps = { credential: modelsConfig.credential, baseUrl: modelsConfig.baseUrl, timeoutMs: options.timeoutMs, retryBaseMs: 1 };
  const fetchModels = createFetchModelsLogic(logicDeps);
  const retrieveModel = createRetrieveModelLogic(logicDeps);
  const actor = createActor(modelCacheMachine.provide({ actors: { fetchModels, retrieveModel } }), {
    input: { errorBackoffMs: options.errorBackoffMs ?? 60_000 },
    inspect,
  }).start();

  const app = express();
  app.use(
    createModelsRouter({
      requestModels: (request) => requestModels(actor, request, options.waitMs ?? modelsWaitMs),
      settings: modelsConfig.settings,
    }),
  );
  app.use(errorHandler);
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const responses: string[] = [];

  const call = async (method: string, path: string): Promise<TestResponse> => {
    const response = await fetch(url + path, { method });
    const text = await response.text();
    responses.push(text);
    // Held to docs/openapi.yaml like every answer a test receives.
    const violation = checkAnswer({ method, url: path, status: response.status, headers: Object.fromEntries(response.headers), text });
    if (violation) throw new Error(violation);
    return { status: response.status, headers: response.headers, text, body: JSON.parse(text) as Record<string, unknown> };
  };

  return {
    url,
    env,
    actor,
    responses,
    inspected,
    writeConfig,
    get: (path: string) => call('GET', path),
    post: (path: string) => call('POST', path),
    call,
    /** Resolves once the cache actor has received `count` request/refresh events in total. */
    waitForRequestEvents: (count: number) =>
      new Promise<void>((resolve) => {
        if (requestEvents >= count) return resolve();
        const check = (seen: number) => {
          if (seen < count) return;
          requestsSeen.off('request', check);
          resolve();
        };
        requestsSeen.on('request', check);
      }),
    close: async () => {
      actor.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The app handle returned by startModelsApp. */
export type ModelsApp = Awaited<ReturnType<typeof startModelsApp>>;
