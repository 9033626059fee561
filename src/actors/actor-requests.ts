// The request/answer helper: send a request to an actor and wait, bounded, for the answer to that request.
import { randomUUID } from 'node:crypto';
import type { ConfigApplyAnswer, ConfigApplyFailure } from '../../machines/config-apply.machine.js';
import type { ModelCacheContext } from '../../machines/model-cache.machine.js';
import { serverDefaults } from '../config/defaults.js';
import { SupervisorError } from '../errors.js';
import { anthropicClientDefaults } from '../models/anthropic-client.js';
import type { ConfigRef, ModelsRef, ModelsSnapshot } from './actor-refs.js';
import { boundedWait } from './bounded-wait.js';
import { commandBoundMs, type CommandTimeouts } from './server-commands.js';

export type { ConfigApplyAnswer, ConfigApplyFailure };

/** A validated change to config.yaml. */
export interface ConfigChange {
  values: Record<string, unknown>;
  restart: boolean;
}

/** Sends one change to the config actor and resolves with its answer. */
export type ApplyConfig = (change: ConfigChange) => Promise<ConfigApplyAnswer>;

/** Bound on one change: two restarts (the new config, then the restored one). */
export function applyTimeoutMs(server: CommandTimeouts = serverDefaults): number {
  return 2 * commandBoundMs(server) + 5_000;
}

/**
 * Sends `config.apply` with a fresh requestId and resolves with the matching `config.answered`. Rejects with
 * ERR_COMMAND_TIMEOUT after `timeoutMs`, and with ERR_SHUTTING_DOWN when the actor is not (or no longer) running.
 */
export async function applyConfigChange(config: ConfigRef, change: ConfigChange, timeoutMs: number): Promise<ConfigApplyAnswer> {
  if (config.getSnapshot().status !== 'active') throw new SupervisorError('ERR_SHUTTING_DOWN', 'The config actor is not running');
  const requestId = randomUUID();
  const result = await boundedWait<ConfigApplyAnswer | SupervisorError>(
    (answer) => {
      const answered = config.on('config.answered', (event) => {
        if (event.answer.requestId === requestId) answer(event.answer);
      });
      // The actor stopping (shutdown) or failing would otherwise leave the request waiting for the timeout.
      const stopped = config.subscribe({
        complete: () => answer(new SupervisorError('ERR_SHUTTING_DOWN', 'The config actor stopped before answering')),
        error: (error) => answer(new SupervisorError('ERR_INTERNAL', 'The config actor failed', { cause: error })),
      });
      config.send({ type: 'config.apply', request: { requestId, values: change.values, restart: change.restart } });
      return () => {
        answered.unsubscribe();
        stopped.unsubscribe();
      };
    },
    {
      ms: timeoutMs,
      onTimeout: () => new SupervisorError('ERR_COMMAND_TIMEOUT', `No answer to the config change within ${timeoutMs} ms; it may still be applied`),
    },
  );
  if (result instanceof SupervisorError) throw result;
  return result;
}

/** A request for the model list: served from the cache, or (`refresh`, or an expired cache) fetched first. */
export interface ModelsRequest {
  refresh: boolean;
  /** Fingerprint of the credential in effect; never the key. */
  credentialId: string | null;
  ttlMs: number;
  at: number;
}

/** What the cache holds once the request is answered, and whether a fetch is still under way. */
export interface ModelsAnswer {
  cache: ModelCacheContext;
  fetching: boolean;
}

/** Longest a models request waits for an upstream fetch: a little over the fetch's own timeout. */
export const modelsWaitMs = anthropicClientDefaults.timeoutMs + 2_000;

/**
 * Sends `models.request` (or `models.refresh`) to the model cache. A request that started or joined a fetch waits
 * for it, at most `waitMs`; anything else is answered at once. Throws ERR_SHUTTING_DOWN when the cache is not running.
 */
export async function requestModels(models: ModelsRef, request: ModelsRequest, waitMs: number): Promise<ModelsAnswer> {
  if (models.getSnapshot().status !== 'active') {
    throw new SupervisorError('ERR_SHUTTING_DOWN', 'the model cache is not running (supervisor shutting down)');
  }
  const { refresh, credentialId, ttlMs, at } = request;
  models.send({ type: refresh ? 'models.refresh' : 'models.request', credentialId, ttlMs, at });
  const now = models.getSnapshot();
  const snapshot = now.matches('fetching') ? await fetched(models, waitMs) : now;
  return { cache: snapshot.context, fetching: snapshot.matches('fetching') };
}

// The first snapshot after the fetch under way; when it takes longer than `waitMs` or the actor stops, the one there
// is (the view then says the API has not answered yet).
function fetched(models: ModelsRef, waitMs: number): Promise<ModelsSnapshot> {
  const current = () => models.getSnapshot();
  return boundedWait<ModelsSnapshot>(
    (answer) => {
      const subscription = models.subscribe({
        next: (snapshot) => !snapshot.matches('fetching') && answer(snapshot),
        complete: () => answer(current()),
        error: () => answer(current()),
      });
      return () => subscription.unsubscribe();
    },
    { ms: waitMs, onTimeout: current },
  );
}
