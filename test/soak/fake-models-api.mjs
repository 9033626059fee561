// A small local fake of Anthropic's Models API for the soak (test/support/fake-anthropic.ts is the full one, in
// TypeScript for the test suite). It lists a few models, and `GET /v1/models/{id}` knows every `claude-soak-*` and
// `claude-broken-*` id (so a change to them passes the supervisor's model check and reaches the server) and no
// `claude-nosuch-*` (so a change to one is refused with ERR_MODEL_UNKNOWN). Only the configured key is accepted.
import { once } from 'node:events';
import { createServer } from 'node:http';

/** The models the fake lists (all active). */
export const listedModels = ['claude-soak-opus-1', 'claude-soak-sonnet-1', 'claude-soak-haiku-1'];

/** @param {string} id @param {number} day */
function describe(id, day) {
  const line = /claude-soak-([a-z]+)-/.exec(id)?.[1] ?? null;
  return {
    type: 'model',
    id,
    display_name: id,
    created_at: new Date(Date.UTC(2026, 0, 1 + day)).toISOString(),
    line,
    lifecycle: 'active',
    deprecated_at: null,
    retires_at: null,
    max_input_tokens: 200_000,
    max_tokens: 64_000,
    capabilities: null,
  };
}

/**
 * Starts the fake on 127.0.0.1 (port 0).
 * @param {{ apiKey: string }} options
 * @returns {Promise<{ url: string, requests: () => number, close: () => Promise<void> }>}
 */
export async function startFakeModelsApi({ apiKey }) {
  let requests = 0;
  const server = createServer((req, res) => {
    requests += 1;
    const url = new URL(req.url ?? '/', 'http://fake');
    /** @param {number} status @param {unknown} body */
    const send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    /** @param {number} status @param {string} type @param {string} message */
    const error = (status, type, message) => send(status, { type: 'error', error: { type, message } });
    const presented = req.headers['x-api-key'] ?? /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (presented !== apiKey) return error(401, 'authentication_error', 'invalid x-api-key');
    if (url.pathname === '/v1/models') {
      const data = listedModels.map((id, i) => describe(id, i));
      return send(200, { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null });
    }
    const id = decodeURIComponent(/^\/v1\/models\/([^/]+)$/.exec(url.pathname)?.[1] ?? '');
    if (/^claude-(soak|broken)-/.test(id)) return send(200, describe(id, 30));
    return error(404, 'not_found_error', `model: ${id}`);
  });
  /** @type {Set<import('node:net').Socket>} */
  const sockets = new Set();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests: () => requests,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}
