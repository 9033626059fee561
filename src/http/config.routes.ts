import { Router, type Response } from 'express';
import type { ApplyConfig, ConfigChange } from '../actors/actor-requests.js';
import { readConfig } from '../config/config-file.js';
import { validateConfigValues } from '../config/editable-keys.js';
import { SupervisorError, toSupervisorError } from '../errors.js';
import { redactValue } from '../redact/redact-config.js';
import { configUpdatedView, configView, errorView, failureError } from './config.views.js';

/** What the config routes need: where the file is, and the config actor to apply changes through. */
export interface ConfigRouterDeps {
  /** Path of config.yaml; asked on every request (never latched at start-up). */
  configPath(): string;
  /** Applies a validated change through the config actor (the door's applyConfig). */
  apply: ApplyConfig;
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
      const answer = await deps.apply(parseChange(req.body as unknown));
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
