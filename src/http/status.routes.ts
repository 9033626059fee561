import { Router } from 'express';
import type { MetricsSampler } from '../metrics/metrics-sampler.js';
import type { SupervisorSystem } from '../system.js';
import { methodNotAllowed } from './errors.js';
import { statusView, type StatusView } from './views.js';

export interface StatusDeps {
  system: SupervisorSystem;
  startedAt: number;
  version: string;
  metrics: MetricsSampler;
}

/** The status view for the current moment, from actor state only (never waits on a probe). */
export function currentStatus(deps: StatusDeps): StatusView {
  const snapshot = deps.system.server.getSnapshot();
  const config = deps.system.config();
  const model = config.data.default_model;
  return statusView({
    now: Date.now(),
    supervisorStartedAt: deps.startedAt,
    supervisorVersion: deps.version,
    server: { value: snapshot.value, context: snapshot.context },
    configLoaded: config.status === 'ok',
    defaultModel: typeof model === 'string' ? model : null,
    metrics: deps.metrics.read(snapshot.context.process?.pid ?? null),
  });
}

/** GET /supervisor/health and GET /supervisor/status. */
export function createStatusRouter(deps: StatusDeps): Router {
  const router = Router();
  router.get('/supervisor/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.all('/supervisor/health', methodNotAllowed(['GET']));
  router.get('/supervisor/status', (_req, res) => {
    res.json(currentStatus(deps));
  });
  router.all('/supervisor/status', methodNotAllowed(['GET']));
  return router;
}
