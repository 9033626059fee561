import { Router } from 'express';
import type { MetricsHistory } from '../metrics/metrics-history.js';
import { createPrometheusMetrics } from '../metrics/prometheus-metrics.js';
import { methodNotAllowed } from './errors.js';
import { parseMetricsWindow } from './history.params.js';
import { currentStatus, type StatusDeps } from './status.routes.js';

/** What the metrics routes need: the status (from actor state) and the sampled history. */
export interface MetricsRouterDeps extends StatusDeps {
  metricsHistory: Pick<MetricsHistory, 'samples' | 'intervalMs'>;
}

/** GET /supervisor/metrics/history?window=S (JSON) and GET /supervisor/metrics (Prometheus text; docs/api.md, Metrics). */
export function createMetricsRouter(deps: MetricsRouterDeps): Router {
  const router = Router();
  const prometheus = createPrometheusMetrics();
  // A bad window throws a SupervisorError, which the app's error handler renders.
  router.get('/supervisor/metrics/history', (req, res) => {
    const samples = deps.metricsHistory.samples(parseMetricsWindow(req.query.window) * 1000).map((s) => ({
      at: new Date(s.at).toISOString(),
      cpu_percent: s.cpuPercent,
      memory_bytes: s.memoryBytes,
    }));
    res.json({ interval_ms: deps.metricsHistory.intervalMs, samples });
  });
  router.all('/supervisor/metrics/history', methodNotAllowed(['GET']));

  router.get('/supervisor/metrics', async (_req, res) => {
    const status = currentStatus(deps);
    const text = await prometheus.render({
      state: status.main_server_status,
      healthy: status.main_server_healthy,
      restarts: status.restart_count,
      crashes: deps.system.history.crashes(),
      uptimeSeconds: status.main_server_uptime_seconds,
      cpuPercent: status.cpu_percent,
      memoryBytes: status.memory_bytes,
      supervisorUptimeSeconds: status.supervisor_uptime_seconds,
    });
    res.type(prometheus.contentType).send(text);
  });
  router.all('/supervisor/metrics', methodNotAllowed(['GET']));
  return router;
}
