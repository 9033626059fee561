import express, { type Express, type Router } from 'express';
import { errorHandler, notFound } from './errors.js';
import { serverFiles } from '../logs/server-files.js';
import { configuredSecrets } from '../redact/configured-secrets.js';
import { createConfigRouter, modelChecker } from './config.routes.js';
import { createInspectRouter } from './inspect.routes.js';
import { createHistoryRouter } from './history.routes.js';
import { createLogsRouter } from './logs.routes.js';
import { createMetricsRouter } from './metrics.routes.js';
import type { MetricsHistory } from '../metrics/metrics-history.js';
import { createMachinesRouter } from './machines.routes.js';
import { createModelsRouter } from './models.routes.js';
import { createOpenApiRouter } from './openapi.routes.js';
import { createUiRouter, defaultUiAssetsDir } from './ui.routes.js';
import { maxBodyBytes, securityGuard, securityHeaders } from './security.js';
import type { SseHub } from './sse.js';
import { createServerRouter } from './server.routes.js';
import { createStatusRouter, type StatusDeps } from './status.routes.js';

export interface AppDeps extends StatusDeps {
  /** Every open event stream (logs, inspection), closed together at shutdown. */
  streams: SseHub;
  /** Bearer token required from non-loopback peers (null: loopback only). */
  token: string | null;
  /** Routers of other parts (logs, config, models, UI), mounted behind the same guard. */
  routers?: Router[];
  /** The server's CPU and memory over the last hour. */
  metricsHistory: MetricsHistory;
}

/** The Express app: the guard (docs/api.md, Security) in front of every route, thin routes, errors as `{detail, code}`. */
export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(securityHeaders);
  app.use(securityGuard({ token: deps.token, allowedHosts: () => deps.system.supervisorSettings().allowedHosts }));
  app.use(express.json({ limit: maxBodyBytes, strict: true, type: 'application/json' }));
  app.use(createStatusRouter(deps));
  app.use(createServerRouter(deps));
  app.use(createMachinesRouter());
  app.use(createOpenApiRouter());
  const { actors, modelsConfig } = deps.system;
  app.use(
    createConfigRouter({
      configPath: () => deps.system.configPath,
      apply: actors.applyConfig,
      checkModel: modelChecker({ lookupModel: actors.lookupModel, credentialId: modelsConfig.credentialId, ttlMs: modelsConfig.ttlMs }),
    }),
  );
  app.use(
    createModelsRouter({
      requestModels: actors.requestModels,
      settings: modelsConfig.settings,
    }),
  );
  app.use(
    createLogsRouter({
      logPath: () => serverFiles(deps.system.supervisorSettings().logDir).logPath,
      // The bearer token may come from the token file rather than the environment: it is a secret all the same.
      secrets: () => [...configuredSecrets(deps.system.settingsData(), deps.system.env), ...(deps.token ? [deps.token] : [])],
      streams: deps.streams,
    }),
  );
  app.use(createInspectRouter({ inspection: deps.system.inspection, replay: deps.system.inspectionReplay, streams: deps.streams }));
  app.use(createHistoryRouter({ history: deps.system.history, streams: deps.streams }));
  app.use(createMetricsRouter(deps));
  app.use(createUiRouter({ assetsDir: defaultUiAssetsDir() }));
  for (const router of deps.routers ?? []) app.use(router);
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
