import type { Express } from 'express';

/** What an Express app serves at one path: a route's methods (`_all` for router.all), or a mounted handler. */
export interface ServedRoute {
  /** As an OpenAPI path template: `/supervisor/server/{action}`; a mount is its prefix. */
  path: string;
  methods: string[];
  /** A handler mounted under `path` (express.static), serving every path below it. */
  mount: boolean;
}

// What Express 5's router keeps of each layer (router 2.x): the path it was added with, and its route or sub-router.
interface Layer {
  rawPath?: string | string[];
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/** Every route and mount of `app`, walking nested routers; global middleware (mounted at `/`) is left out. */
export function servedRoutes(app: Express): ServedRoute[] {
  const stack = (app as unknown as { router: { stack: Layer[] } }).router.stack;
  return walk(stack, '');
}

function walk(stack: Layer[], prefix: string): ServedRoute[] {
  return stack.flatMap((layer): ServedRoute[] => {
    const raw = Array.isArray(layer.rawPath) ? layer.rawPath : [layer.rawPath ?? '/'];
    if (layer.route) {
      const methods = Object.keys(layer.route.methods).filter((m) => layer.route?.methods[m]);
      return raw.map((path) => ({ path: template(prefix + path), methods, mount: false }));
    }
    const below = raw.map((path) => (path === '/' ? prefix : prefix + path));
    if (layer.handle.stack) return below.flatMap((base) => walk(layer.handle.stack ?? [], base));
    return below.filter((base) => base !== '').map((path) => ({ path: template(path), methods: ['get'], mount: true }));
  });
}

// Express's `:name` parameters as OpenAPI's `{name}`.
function template(path: string): string {
  return path.replace(/:(\w+)/g, '{$1}');
}
