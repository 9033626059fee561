// GET /supervisor/openapi.json on the real app, and the document against the app's routes: every route the app
// serves is documented and every documented path is served, so a route added without its documentation fails here.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import { stringify } from 'yaml';
import { createApp } from '../../../src/http/app.js';
import { readOpenApiJson } from '../../../src/http/openapi.routes.js';
import { createSseHub } from '../../../src/http/sse.js';
import { MetricsHistory } from '../../../src/metrics/metrics-history.js';
import { MetricsSampler } from '../../../src/metrics/metrics-sampler.js';
import { createSupervisorSystem, type SupervisorSystem } from '../../../src/system.js';
import { SupervisorError } from '../../../src/errors.js';
import { loadDocument, openApiPath } from '../../support/contract.js';
import { servedRoutes, type ServedRoute } from '../../support/express-routes.js';
import { listen, type RunningServer } from '../../support/http-server.js';
import { request } from '../../support/http.js';

const httpMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const document = loadDocument();
const paths = document.paths as Record<string, Record<string, unknown>>;
const documented = Object.entries(paths).flatMap(([path, item]) => httpMethods.filter((m) => item[m]).map((method) => ({ path, method })));

describe('the OpenAPI document and the app', () => {
  let dir: string;
  let system: SupervisorSystem;
  let app: Express;
  let served: ServedRoute[];
  let running: RunningServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'psup-openapi-'));
    const configPath = join(dir, 'config.yaml');
    // A real actor system that starts no server: the routes are what is looked at.
    writeFileSync(configPath, stringify({ supervisor: { log_dir: join(dir, 'logs'), server: { autostart: false, command: ['true'] } } }));
    system = createSupervisorSystem({ configPath, env: {} });
    const metrics = new MetricsSampler();
    const metricsHistory = new MetricsHistory(metrics, () => null);
    app = createApp({ system, startedAt: Date.now(), version: '0.1.0', metrics, metricsHistory, token: null, streams: createSseHub() });
    served = servedRoutes(app);
    running = await listen(app);
  });

  afterAll(async () => {
    await running.close();
    await system.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('documents every route the app serves, with each of its methods', () => {
    const undocumented = served.flatMap((route) => {
      if (route.mount) return Object.keys(paths).some((path) => underMount(path, route.path)) ? [] : [`everything under ${route.path}`];
      const item = paths[route.path];
      if (!item) return [`${route.methods.map(label).join('/')} ${route.path}`];
      // router.all answers the methods the path does not list (405): the path being documented is enough.
      return route.methods.filter((m) => m !== '_all' && !item[m]).map((m) => `${label(m)} ${route.path}`);
    });
    // Add each of these to docs/openapi.yaml (see docs/api.md, "OpenAPI").
    expect(undocumented).toEqual([]);
  });

  it('serves every path and method the document lists', () => {
    const unserved = documented.filter(
      ({ path, method }) =>
        !served.some((route) => (route.mount ? underMount(path, route.path) && method === 'get' : route.path === path && route.methods.includes(method))),
    );
    expect(unserved).toEqual([]);
  });

  it('answers the methods a path does not list as the document says (x-other-methods)', async () => {
    // request() checks each answer against the document; the statuses are what the document promises.
    const listed = Object.keys(paths).map((path) => path.replace(/\{[^}]+\}/g, 'start'));
    for (const path of listed) {
      for (const method of ['OPTIONS', 'DELETE']) {
        const { status } = await request(`${running.url}${path}`, { method });
        expect({ path, method, status: [200, 404, 405].includes(status) }).toEqual({ path, method, status: true });
      }
    }
  });

  it('answers GET /supervisor/openapi.json with the document, as JSON', async () => {
    const answer = await request(`${running.url}/supervisor/openapi.json`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    expect(answer.json).toEqual(document);
  });

  it('guards it like every route, and refuses other methods with 405', async () => {
    const foreign = await request(`${running.url}/supervisor/openapi.json`, { headers: { host: 'evil.example' } });
    expect(foreign.status).toBe(403);
    expect(foreign.json.code).toBe('ERR_FORBIDDEN_HOST');
    const post = await request(`${running.url}/supervisor/openapi.json`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET');
  });
});

describe('readOpenApiJson', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'psup-openapi-src-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the first source that exists: the built JSON, else the YAML', () => {
    const json = join(dir, 'openapi.json');
    const sources = [
      { path: json, format: 'json' as const },
      { path: openApiPath, format: 'yaml' as const },
    ];
    expect(JSON.parse(readOpenApiJson(sources))).toEqual(document);
    writeFileSync(json, JSON.stringify({ openapi: '3.1.0', built: true }, null, 2));
    expect(readOpenApiJson(sources)).toBe('{"openapi":"3.1.0","built":true}');
  });

  it('fails with ERR_INTERNAL naming the files and the fix when none exists', () => {
    const missing = join(dir, 'nowhere.json');
    const error = (() => {
      try {
        readOpenApiJson([{ path: missing, format: 'json' }]);
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(SupervisorError);
    expect(error).toMatchObject({ code: 'ERR_INTERNAL', message: `the OpenAPI document is missing (looked for ${missing}); run \`npm run build\`` });
  });

  it('fails with ERR_INTERNAL naming the file when it does not parse', () => {
    const broken = join(dir, 'openapi.json');
    writeFileSync(broken, '{"openapi": ');
    expect(() => readOpenApiJson([{ path: broken, format: 'json' }])).toThrow(`cannot read the OpenAPI document ${broken}: `);
  });
});

// A documented template served by a handler mounted at `mount` (one path segment below it).
function underMount(path: string, mount: string): boolean {
  return path.startsWith(`${mount}/`) && /^\{[^}]+\}$/.test(path.slice(mount.length + 1));
}

// A route's method for people: router.all's `_all` is the 405 answer to every method the path does not list.
function label(method: string): string {
  return method === '_all' ? '(other methods)' : method.toUpperCase();
}
