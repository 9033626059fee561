import express, { type Request, type Response, type Router } from 'express';
import type { ModelsAnswer, ModelsRequest } from '../actors/actor-requests.js';
import type { ModelsSettings } from '../models/models-config.js';
import { SupervisorError } from '../errors.js';
import { methodNotAllowed } from './errors.js';
import { fallbackModels } from '../models/fallback-models.js';
import { createModelsBodyCache } from '../models/models-view.js';

/** What the models routes need; env and config are read fresh, once per request. */
export interface ModelsRouterDeps {
  /** Asks the model cache (the door's requestModels: bounded by its own wait). */
  requestModels(request: ModelsRequest): Promise<ModelsAnswer>;
  /** The credential fingerprint, `default_model` and TTL in effect, from one read of config.yaml (ModelsConfig.settings). */
  settings(): ModelsSettings;
  now?: () => number;
}

/** Query flags of the models routes. */
export interface ModelsQuery {
  showAll: boolean;
  refresh: boolean;
}

/** Parses `show_all` / `refresh`: absent = false, else exactly `true` or `false` (ERR_BAD_REQUEST otherwise). */
export function parseModelsQuery(query: Record<string, unknown>): ModelsQuery {
  return { showAll: flag(query, 'show_all'), refresh: flag(query, 'refresh') };
}

/** `GET /supervisor/models` and `POST /supervisor/models/refresh` (docs/api.md, Models), thin over the model-cache actor. */
export function createModelsRouter(deps: ModelsRouterDeps): Router {
  const router = express.Router();
  const now = deps.now ?? Date.now;
  const render = createModelsBodyCache();

  // A thrown SupervisorError reaches the app's error handler (Express 5 forwards a rejected handler).
  const answer = (forceRefresh: boolean) => async (req: Request, res: Response) => {
    const query = parseModelsQuery(req.query as Record<string, unknown>);
    const requestedAt = now();
    const { credentialId, ttlMs, currentModel } = deps.settings();
    const { cache, fetching } = await deps.requestModels({ refresh: forceRefresh || query.refresh, credentialId, ttlMs, at: requestedAt, currentModel });
    res.type('application/json').send(
      render({
        cache,
        fetching,
        credentialId,
        showAll: query.showAll,
        currentModel,
        ttlMs,
        requestedAt,
        now: now(),
        fallback: fallbackModels,
      }),
    );
  };

  router.get('/supervisor/models', answer(false));
  router.all('/supervisor/models', methodNotAllowed(['GET']));
  router.post('/supervisor/models/refresh', answer(true));
  router.all('/supervisor/models/refresh', methodNotAllowed(['POST']));
  return router;
}

function flag(query: Record<string, unknown>, name: string): boolean {
  const value = query[name];
  if (value === undefined) return false;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new SupervisorError('ERR_BAD_REQUEST', `${name} must be true or false, got ${JSON.stringify(value)}`);
}
