import express, { type Request, type Response, type Router } from 'express';
import { waitFor, type ActorRefFrom, type SnapshotFrom } from 'xstate';
import type { modelCacheMachine } from '../../machines/model-cache.machine.js';
import { SupervisorError } from '../errors.js';
import { anthropicClientDefaults } from '../models/anthropic-client.js';
import { methodNotAllowed } from './errors.js';
import { fallbackModels } from '../models/fallback-models.js';
import { modelsView } from '../models/models-view.js';

/** The running model-cache actor (systemId `models`). */
export type ModelCacheActorRef = ActorRefFrom<typeof modelCacheMachine>;

/** What the models routes need; every function reads env/config fresh per request. */
export interface ModelsRouterDeps {
  models: ModelCacheActorRef;
  /** `default_model` from config.yaml. */
  currentModel(): string | null;
  /** Fingerprint of the credential in effect (credentialFingerprint(resolveCredential(…))); never the key. */
  credentialId(): string | null;
  /** `supervisor.models_ttl_ms`. */
  ttlMs(): number;
  /** Longest a request waits for an upstream fetch; keep it above the fetch's own timeout. */
  waitMs?: number;
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
  const waitMs = deps.waitMs ?? anthropicClientDefaults.timeoutMs + 2_000;

  // A thrown SupervisorError reaches the app's error handler (Express 5 forwards a rejected handler).
  const answer = (forceRefresh: boolean) => async (req: Request, res: Response) => {
    const query = parseModelsQuery(req.query as Record<string, unknown>);
    if (deps.models.getSnapshot().status !== 'active') {
      throw new SupervisorError('ERR_SHUTTING_DOWN', 'the model cache is not running (supervisor shutting down)');
    }
    const requestedAt = now();
    const credentialId = deps.credentialId();
    const ttlMs = deps.ttlMs();
    const type = forceRefresh || query.refresh ? 'models.refresh' : 'models.request';
    deps.models.send({ type, credentialId, ttlMs, at: requestedAt });
    const snapshot = await settled(deps.models, waitMs);
    res.json(
      modelsView({
        cache: snapshot.context,
        fetching: snapshot.matches('fetching'),
        credentialId,
        showAll: query.showAll,
        currentModel: deps.currentModel(),
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

// A request that started or joined a fetch waits for it (bounded); anything else is answered at once.
async function settled(actor: ModelCacheActorRef, waitMs: number): Promise<SnapshotFrom<ModelCacheActorRef>> {
  const snapshot = actor.getSnapshot();
  if (!snapshot.matches('fetching')) return snapshot;
  try {
    return await waitFor(actor, (s) => !s.matches('fetching'), { timeout: waitMs });
  } catch {
    // Timed out or the actor stopped: answer with what there is (the view says the API has not answered yet).
    return actor.getSnapshot();
  }
}

function flag(query: Record<string, unknown>, name: string): boolean {
  const value = query[name];
  if (value === undefined) return false;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new SupervisorError('ERR_BAD_REQUEST', `${name} must be true or false, got ${JSON.stringify(value)}`);
}
