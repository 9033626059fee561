import { Router } from 'express';
import { machineDefinitions } from '../inspect/machine-definitions.js';
import { methodNotAllowed } from './errors.js';

// Definitions never change while the process runs: serialise them once.
let cached: string | null = null;
function definitionsJson(): string {
  cached ??= JSON.stringify({ machines: Object.fromEntries(Object.entries(machineDefinitions).map(([name, m]) => [name, m.toJSON()])) });
  return cached;
}

/** GET /supervisor/machines: `{machines: {<systemId>: machine.toJSON()}}`, to draw them. */
export function createMachinesRouter(): Router {
  const router = Router();
  router.get('/supervisor/machines', (_req, res) => {
    res.type('application/json').send(definitionsJson());
  });
  router.all('/supervisor/machines', methodNotAllowed(['GET']));
  return router;
}
