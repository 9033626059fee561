import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Router } from 'express';
import { parse } from 'yaml';
import { SupervisorError } from '../errors.js';
import { methodNotAllowed } from './errors.js';

/** Where the document is: dist/openapi.json (built), or docs/openapi.yaml itself when run from source. */
export interface OpenApiSource {
  path: string;
  format: 'json' | 'yaml';
}

/** The built JSON next to dist/src (the daemon bundle sits at the same depth), else the YAML in a source checkout. */
export function defaultOpenApiSources(): OpenApiSource[] {
  return [
    // dist/src/http/openapi.routes.js or dist/src/cli/serve.bundle.mjs → dist/openapi.json (scripts/build-openapi.mjs)
    { path: fileURLToPath(new URL('../../openapi.json', import.meta.url)), format: 'json' },
    // src/http/openapi.routes.ts (ts-jest, ts-node) → docs/openapi.yaml
    { path: fileURLToPath(new URL('../../docs/openapi.yaml', import.meta.url)), format: 'yaml' },
  ];
}

/** The document as JSON text, from the first source that exists; ERR_INTERNAL naming the files when none does. */
export function readOpenApiJson(sources: readonly OpenApiSource[]): string {
  for (const source of sources) {
    try {
      const text = readFileSync(source.path, 'utf8');
      // Re-serialised either way, so the answer is compact JSON whatever the file holds.
      return JSON.stringify(source.format === 'json' ? JSON.parse(text) : parse(text));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new SupervisorError('ERR_INTERNAL', `cannot read the OpenAPI document ${source.path}: ${(error as Error).message}`, { cause: error });
    }
  }
  throw new SupervisorError('ERR_INTERNAL', `the OpenAPI document is missing (looked for ${sources.map((s) => s.path).join(', ')}); run \`npm run build\``);
}

/** GET /supervisor/openapi.json: the HTTP contract (docs/openapi.yaml), read on the first request, not at boot. */
export function createOpenApiRouter(sources: readonly OpenApiSource[] = defaultOpenApiSources()): Router {
  const router = Router();
  let cached: string | null = null;
  router.get('/supervisor/openapi.json', (_req, res) => {
    cached ??= readOpenApiJson(sources);
    res.type('application/json').send(cached);
  });
  router.all('/supervisor/openapi.json', methodNotAllowed(['GET']));
  return router;
}
