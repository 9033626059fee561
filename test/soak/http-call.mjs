// One HTTP request from the soak to 127.0.0.1, answered or not: never throws, always says how long it took.
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * `status` 0: no answer (`error` says why: ECONNREFUSED, ECONNRESET, timeout …).
 * @typedef {{ status: number, text: string, json: any, ms: number, error: string | null }} HttpAnswer
 */

/**
 * Sends one request (a fresh connection each) and resolves with its answer, or with status 0 and the error.
 * @param {string} method
 * @param {string} url
 * @param {{ body?: unknown, timeoutMs?: number }} [options]
 * @returns {Promise<HttpAnswer>}
 */
export function call(method, url, { body, timeoutMs = 60_000 } = {}) {
  const t0 = performance.now();
  const payload = body === undefined ? null : JSON.stringify(body);
  return new Promise((resolve) => {
    let settled = false;
    const done = (/** @type {number} */ status, /** @type {string} */ text, /** @type {string | null} */ error) => {
      if (settled) return;
      settled = true;
      let json = null;
      try {
        json = text ? JSON.parse(text) : null;
      } catch {
        // not JSON
      }
      resolve({ status, text, json, ms: performance.now() - t0, error });
    };
    /** @type {Record<string, string | number>} */
    const headers = {};
    if (payload !== null) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(payload);
    }
    // The whole exchange is bounded, not only the socket's idle time.
    const timer = setTimeout(() => req.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })), timeoutMs);
    const req = request(url, { method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.once('end', () => done(res.statusCode ?? 0, text, null));
      res.once('error', (error) => done(0, text, /** @type {NodeJS.ErrnoException} */ (error).code ?? error.message));
      res.once('close', () => done(0, text, 'closed before the answer ended'));
    });
    req.once('error', (error) => done(0, '', /** @type {NodeJS.ErrnoException} */ (error).code ?? error.message));
    req.once('close', () => {
      clearTimeout(timer);
      done(0, '', 'closed without an answer');
    });
    req.end(payload ?? undefined);
  });
}
