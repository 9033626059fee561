import { Router, type Response } from 'express';
import type { ApplyConfig, ConfigChange, ModelLookupRequest, ModelsAnswer } from '../actors/actor-requests.js';
import { readConfig } from '../config/config-file.js';
import { validateConfigValues } from '../config/editable-keys.js';
import { SupervisorError, toSupervisorError } from '../errors.js';
import { isBareAlias, modelIdOf } from '../models/current-model.js';
import { fallbackModels } from '../models/fallback-models.js';
import { modelVerdict, verdictError } from '../models/model-check.js';
import { redactValue } from '../redact/redact-config.js';
import { configUpdatedView, configView, errorView, failureError } from './config.views.js';

/** What the config routes need: where the file is, and the config actor to apply changes through. */
export interface ConfigRouterDeps {
  /** Path of config.yaml; asked on every request (never latched at start-up). */
  configPath(): string;
  /** Applies a validated change through the config actor (the door's applyConfig). */
  apply: ApplyConfig;
  /** Why a `default_model` may not be set (retired, unknown to the API), or null; see modelChecker. */
  checkModel?(configured: string): Promise<SupervisorError | null>;
}

/** What modelChecker needs: the door's bounded lookup, and the credential and TTL in effect (read per call). */
export interface ModelCheckerDeps {
  lookupModel(request: ModelLookupRequest): Promise<ModelsAnswer>;
  credentialId(): string | null;
  ttlMs(): number;
  now?: () => number;
}

/**
 * The `checkModel` of the config routes: `opus|sonnet|haiku` and every model when there is no credential pass at
 * once; otherwise the model cache is asked (bounded by the door) and a retired or unknown model is refused.
 */
export function modelChecker(deps: ModelCheckerDeps): (configured: string) => Promise<SupervisorError | null> {
  const now = deps.now ?? Date.now;
  return async (configured) => {
    const credentialId = isBareAlias(configured) ? null : deps.credentialId();
    if (credentialId === null) return null;
    const answer = await deps.lookupModel({ credentialId, modelId: modelIdOf(configured), ttlMs: deps.ttlMs(), at: now() });
    return verdictError(modelVerdict(configured, credentialId, answer.cache, fallbackModels));
  };
}

/** GET and PUT /supervisor/config (docs/api.md, Config); expects bodies already parsed by express.json(). */
export function createConfigRouter(deps: ConfigRouterDeps): Router {
  const router = Router();

  router.get('/supervisor/config', (_req, res) => {
    const read = readConfig(deps.configPath());
    if (read.status === 'invalid') {
      sendError(res, new SupervisorError('ERR_CONFIG_INVALID', read.message, { extra: { line: read.line, column: read.column } }));
      return;
    }
    // A missing file is an empty config: the server and the supervisor then run on defaults.
    send(res, 200, configView(read.data));
  });

  router.put('/supervisor/config', async (req, res) => {
    try {
      const change = parseChange(req.body as unknown);
      const model = change.values.default_model;
      // Nothing is written when the model is known not to work (checked only after every value is valid).
      const refusal = typeof model === 'string' && deps.checkModel ? await deps.checkModel(model) : null;
      if (refusal) return sendError(res, refusal);
      const answer = await deps.apply(change);
      if (answer.ok) send(res, 200, configUpdatedView(answer));
      else sendError(res, failureError(answer.failure));
    } catch (error) {
      sendError(res, toSupervisorError(error));
    }
  });

  router.all('/supervisor/config', (req, res) => {
    res.setHeader('Allow', 'GET, PUT');
    sendError(res, new SupervisorError('ERR_METHOD_NOT_ALLOWED', `${req.method} is not supported on /supervisor/config; use GET or PUT`));
  });

  return router;
}

/** Reads `{"values": {...}, "restart": bool}` (restart defaults to true); throws 400/403 before anything is sent on. */
export function parseChange(body: unknown): ConfigChange {
  if (!isRecord(body)) {
    throw new SupervisorError('ERR_BAD_REQUEST', 'Request body must be a JSON object like {"values": {"default_model": "opus"}, "restart": true}');
  }
  if (!isRecord(body.values)) {
    throw new SupervisorError('ERR_BAD_REQUEST', 'values must be an object mapping config keys to their new values');
  }
  const restart = body.restart ?? true;
  if (typeof restart !== 'boolean') {
    const value = redactValue(restart);
    throw new SupervisorError('ERR_INVALID_VALUE', `Invalid value for restart: ${JSON.stringify(value)} (expected true or false)`, {
      extra: { key: 'restart', value, expected: 'true or false' },
    });
  }
  return { values: validateConfigValues(body.values), restart };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function send(res: Response, status: number, body: unknown): void {
  res.status(status).json(body);
}

function sendError(res: Response, error: SupervisorError): void {
  const view = errorView(error);
  send(res, view.status, view.body);
}
