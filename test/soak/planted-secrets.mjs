// The secrets the soak plants in the server's output, and the scanner that looks for any piece of them in what the
// supervisor says. Both sides derive them from the run's seed, so no secret is ever written into a config or a
// command line (except `api_key`, the configured credential, which is redacted by its exact value).
import { createPrng } from './prng.mjs';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * One planted secret: `text` is what the server prints, `value` the part of it that must never reach a client.
 * @typedef {{ kind: string, text: string, value: string }} PlantedSecret
 */

/**
 * The run's secrets: the configured `api_key` and one of every form the redactor knows, each with a random value.
 * @param {number} seed the soak's seed
 * @returns {{ apiKey: string, forms: PlantedSecret[] }}
 */
export function plantedSecrets(seed) {
  const prng = createPrng((seed ^ 0x5ec2e7) >>> 0);
  const random = (/** @type {number} */ n) => prng.chars(ALNUM, n);
  const apiKey = random(40);
  /** @type {[string, (value: string) => string, number][]} */
  const shapes = [
    ['sk-ant api key', (v) => `sk-ant-api03-${v}`, 48],
    ['sk-ant oauth token', (v) => `sk-ant-oat01-${v}`, 48],
    ['para_ token', (v) => `para_${v}`, 32],
    ['NAME=value', (v) => `ANTHROPIC_API_KEY=${v}`, 32],
    ['json', (v) => `{"client_secret": "${v}"}`, 32],
    ['yaml', (v) => `password: ${v}`, 24],
    ['bearer', (v) => `Authorization: Bearer ${v}`, 40],
    ['url userinfo', (v) => `postgres://soak:${v}@db.example.internal:5432/app`, 24],
    ['query', (v) => `GET /v1/messages?api_key=${v}&limit=20`, 32],
  ];
  const forms = shapes.map(([kind, form, length]) => {
    const value = random(length);
    return { kind, text: form(value), value };
  });
  forms.push({ kind: 'configured api_key', text: apiKey, value: apiKey });
  return { apiKey, forms };
}

/**
 * A leak found: which fragment, and where in the scanned text.
 * @typedef {{ fragment: string, index: number, context: string }} Leak
 */

/**
 * @typedef {object} LeakScanner
 * @property {(text: string) => Leak | null} scan the first fragment of a secret in `text`, or null
 * @property {() => { push(chunk: string): Leak | null }} stream a scanner for text arriving in chunks (a fragment may
 *   straddle two chunks)
 * @property {number} width
 */

const BASE = 257;

/**
 * Finds any `width`-character fragment of any of `values` (default 8) in linear time: a rolling hash over the text,
 * each hit confirmed against the fragment set. The soak scans every byte it receives, floods included.
 * @param {readonly string[]} values
 * @param {number} [width]
 * @returns {LeakScanner}
 */
export function createLeakScanner(values, width = 8) {
  /** @type {Set<string>} */
  const fragments = new Set();
  for (const value of values) for (let i = 0; i + width <= value.length; i += 1) fragments.add(value.slice(i, i + width));
  let top = 1;
  for (let i = 1; i < width; i += 1) top = Math.imul(top, BASE);
  const hashOf = (/** @type {string} */ text, /** @type {number} */ from) => {
    let h = 0;
    for (let i = from; i < from + width; i += 1) h = (Math.imul(h, BASE) + text.charCodeAt(i)) | 0;
    return h;
  };
  /** @type {Set<number>} */
  const hashes = new Set([...fragments].map((f) => hashOf(f, 0)));

  const scan = (/** @type {string} */ text) => {
    if (text.length < width) return null;
    let h = hashOf(text, 0);
    for (let end = width; ; end += 1) {
      if (hashes.has(h)) {
        const fragment = text.slice(end - width, end);
        if (fragments.has(fragment)) {
          const index = end - width;
          return { fragment, index, context: text.slice(Math.max(0, index - 40), index + width + 40) };
        }
      }
      if (end >= text.length) return null;
      h = (Math.imul(h - Math.imul(text.charCodeAt(end - width), top), BASE) + text.charCodeAt(end)) | 0;
    }
  };

  return {
    width,
    scan,
    stream() {
      let carry = '';
      return {
        push(chunk) {
          const text = carry + chunk;
          carry = text.slice(-(width - 1));
          return scan(text);
        },
      };
    },
  };
}
