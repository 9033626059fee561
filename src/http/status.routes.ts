import { Router } from 'express';
import type { ActorDoor } from '../actors/actor-door.js';
import type { ConfigRead } from '../config/config-file.js';
import type { SupervisorSettings } from '../config/settings.js';
import type { HistoryRecorder } from '../history/history-recorder.js';
import type { InspectionHub } from '../inspect/inspection-hub.js';
import type { InspectionReplay } from '../inspect/inspection-replay.js';
import type { MetricsSampler } from '../metrics/metrics-sampler.js';
import { fallbackModels } from '../models/fallback-models.js';
import type { ModelsConfig } from '../models/models-config.js';
import { cachedModelInfo } from '../models/models-view.js';
import { methodNotAllowed } from './errors.js';
import { statusView, type StatusView } from './views.js';

/** What the routes need of the running system: the door to the actors, and fresh reads of config.yaml and env. */
export interface RouteSystem {
  actors: ActorDoor;
  configPath: string;
  config(): ConfigRead;
  supervisorSettings(): SupervisorSettings;
  /** The last config data that parsed. */
  settingsData(): Record<string, unknown>;
  env: NodeJS.ProcessEnv;
  inspection: InspectionHub;
  inspectionReplay: InspectionReplay;
  modelsConfig: ModelsConfig;
  history: HistoryRecorder;
}

export interface StatusDeps {
  system: RouteSystem;
  startedAt: number;
  version: string;
  metrics: MetricsSampler;
}

/** The status view for the current moment, from actor state only (never waits on a probe). */
export function currentStatus(deps: StatusDeps): StatusView {
  const server = deps.system.actors.server();
  const config = deps.system.config();
  const model = config.data.default_model;
  const defaultModel = typeof model === 'string' && model !== '' ? model : null;
  const { actors, modelsConfig } = deps.system;
  return statusView({
    now: Date.now(),
    supervisorStartedAt: deps.startedAt,
    supervisorVersion: deps.version,
    server,
    configLoaded: config.status === 'ok',
    defaultModel: typeof model === 'string' ? model : null,
    // Only what the model cache holds: status never waits on (or starts) an upstream call.
    defaultModelInfo: defaultModel === null ? null : cachedModelInfo(actors.modelsCache(), modelsConfig.credentialId(), defaultModel, fallbackModels),
    metrics: deps.metrics.read(server.context.process?.pid ?? null),
    lastCrash: deps.system.history.lastCrash(),
    // Read in the same turn as the actor state: every fact up to this seq is in the state above, none after it.
    historySeq: deps.system.history.lastSeq(),
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
