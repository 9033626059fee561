import { Router, type Request } from 'express';
import { SupervisorError } from '../errors.js';
import type { ServerCommand } from '../actors/server-commands.js';
import { methodNotAllowed } from './errors.js';
import { currentStatus, type StatusDeps } from './status.routes.js';

const done: Record<ServerCommand, string> = { start: 'Server started', stop: 'Server stopped', restart: 'Server restarted' };
const requested: Record<ServerCommand, string> = { start: 'Server start requested', stop: 'Server stop requested', restart: 'Server restart requested' };

function isCommand(value: string): value is ServerCommand {
  return value === 'start' || value === 'stop' || value === 'restart';
}

function waitFlag(req: Request): boolean {
  const wait = req.query.wait;
  if (wait === undefined || wait === 'true') return true;
  if (wait === 'false') return false;
  throw new SupervisorError('ERR_INVALID_VALUE', `query parameter wait must be true or false, got ${JSON.stringify(wait)}`);
}

/** POST /supervisor/server/start|stop|restart (docs/api.md, Server commands): send the command, wait (bounded) for its outcome. */
export function createServerRouter(deps: StatusDeps): Router {
  const router = Router();
  router.post('/supervisor/server/:action', async (req, res) => {
    const action = String(req.params.action);
    if (!isCommand(action)) throw new SupervisorError('ERR_NOT_FOUND', `no such server command: ${action}; use start, stop or restart`);
    const wait = waitFlag(req);
    const { actors } = deps.system;
    if (!actors.accepting()) {
      throw new SupervisorError('ERR_SHUTTING_DOWN', 'the supervisor is shutting down');
    }
    if (!wait) {
      actors.tell(action);
      res.status(202).json({ success: true, message: requested[action], status: currentStatus(deps) });
      return;
    }
    const aborted = new AbortController();
    res.on('close', () => aborted.abort());
    const outcome = await actors.command(action, { signal: aborted.signal });
    if (outcome.kind === 'failed') {
      const verb = action === 'stop' ? 'stop' : 'start';
      // Lifecycle failures are 500 whatever their code (docs/api.md, Server commands); a shutdown answers 503, a
      // command that a later one overtook 409.
      res
        .status(outcome.code === 'ERR_SHUTTING_DOWN' ? 503 : outcome.code === 'ERR_CONFLICT' ? 409 : 500)
        .json({ detail: `Server ${verb} failed: ${outcome.message}`, code: outcome.code, status: currentStatus(deps) });
      return;
    }
    res.json({ success: true, message: done[action], status: currentStatus(deps) });
  });
  router.all('/supervisor/server/:action', methodNotAllowed(['POST']));
  return router;
}
