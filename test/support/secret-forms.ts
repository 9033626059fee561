import fc from 'fast-check';
import { REDACTED } from '../../src/redact/redact-line.js';
import { createPrng, type Prng } from './prng.js';

/** A secret as it appears in a log line, and the part of it that must never reach a client. */
export interface PlantedSecret {
  /** Which supported form it is (for failure messages). */
  kind: string;
  /** The text written into the log (`ANTHROPIC_API_KEY=sk-ant-…`, `https://me:pw@host/`). */
  form: string;
  /** The secret inside it. */
  secret: string;
  /** Configured secret values the redactor is given (the exact-value form). */
  configured: string[];
}

const chars = (alphabet: string, min: number, max: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...alphabet), minLength: min, maxLength: max });
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const KEY_CHARS = `${ALNUM}_-`;
const TOKEN_CHARS = `${ALNUM}._~+/-`;
// What a password in a URL's userinfo may hold without percent-encoding (RFC 3986 unreserved and sub-delims, and ':').
const USERINFO_CHARS = `${ALNUM}-._~!$&'()*+,;=:`;

const envName = fc.constantFrom('ANTHROPIC_API_KEY', 'CLAUDE_CODE_OAUTH_TOKEN', 'SUPERVISOR_TOKEN', 'DB_PASSWORD', 'SESSION_SECRET', 'AWS_CREDENTIALS', 'api_key');
const keyName = fc.constantFrom('api_key', 'access_token', 'refresh_token', 'client_secret', 'password', 'claude_code_oauth_token');
const queryName = fc.constantFrom('api_key', 'token', 'access_token', 'apikey', 'sig', 'client_secret');

/** Every supported form, with a freshly generated secret in it. */
export const plantedSecret: fc.Arbitrary<PlantedSecret> = fc.oneof(
  fc.tuple(fc.constantFrom('api03', 'oat01'), chars(KEY_CHARS, 20, 100)).map(([kind, body]) => {
    const secret = `sk-ant-${kind}-${body}`;
    return { kind: `sk-ant-${kind}`, form: secret, secret, configured: [] };
  }),
  chars(ALNUM, 12, 40).map((body) => ({ kind: 'para_', form: `para_${body}`, secret: `para_${body}`, configured: [] })),
  fc.tuple(envName, chars(`${TOKEN_CHARS}=`, 8, 64), fc.boolean()).map(([name, value, quoted]) => ({
    kind: 'NAME=value',
    form: quoted ? `${name}="${value}"` : `${name}=${value}`,
    secret: value,
    configured: [],
  })),
  fc.tuple(keyName, chars(`${TOKEN_CHARS} `, 8, 64), fc.constantFrom('json', 'single', 'yaml')).map(([name, value, style]) => {
    if (style === 'yaml') {
      const bare = value.replace(/ /g, '_');
      return { kind: 'yaml', form: `${name}: ${bare}`, secret: bare, configured: [] };
    }
    const q = style === 'json' ? '"' : "'";
    return { kind: style, form: `{${q}${name}${q}: ${q}${value}${q}, ${q}port${q}: 3333}`, secret: value, configured: [] };
  }),
  fc.tuple(chars(TOKEN_CHARS, 8, 200), fc.constantFrom('Authorization: Bearer ', 'authorization:bearer ', '"Authorization": "Bearer ')).map(
    ([token, prefix]) => ({ kind: 'bearer', form: `${prefix}${token}`, secret: token, configured: [] }),
  ),
  fc.tuple(chars(ALNUM, 1, 12), chars(USERINFO_CHARS, 8, 64), fc.constantFrom('https', 'postgres', 'redis')).map(([user, password, scheme]) => ({
    kind: 'url-userinfo',
    form: `${scheme}://${user}:${password}@db.example.internal:5432/app`,
    secret: password,
    configured: [],
  })),
  fc.tuple(queryName, chars(`${ALNUM}._~-`, 8, 64), fc.constantFrom('?', '&')).map(([name, value, joiner]) => ({
    kind: 'query',
    form: `GET /v1/messages${joiner === '?' ? '' : '?page=2'}${joiner}${name}=${value}&limit=20 HTTP/1.1`,
    secret: value,
    configured: [],
  })),
  chars(`${ALNUM}!#%()*+,-./:;<=>?@[]^_{|}~ `, 8, 64).map((value) => ({ kind: 'configured', form: value, secret: value, configured: [value] })),
);

// Log-like words, some of them near-misses of the patterns, between random characters (multi-byte ones included, so
// piece cuts land inside UTF-8 characters).
const WORDS = ['GET', '/api/health', '200', '3ms', 'info:', 'key', 'token', 'passwords', 'bearer', 'para', 'https://', '{"a": 1}', 'é', '€', '😀', '"', "'", '\\', '['];
const SCATTER = [...`${ALNUM} \t.,:;=&?/()[]{}"'\\é€😀`];

/** Deterministic filler of about `length` characters (no newline), from a seed fast-check chose. */
export function filler(seed: number, length: number): string {
  const prng = createPrng(seed);
  const pool = fillerPool(prng, Math.min(length, 4096));
  // Beyond the pool, slices of it at random places (whole characters, never half a surrogate pair): random enough,
  // and cheap for lines of hundreds of KiB.
  const characters = [...pool];
  const parts = [pool];
  for (let size = pool.length; size < length; ) {
    const from = prng.int(0, Math.max(0, characters.length - 256));
    const part = characters.slice(from, from + 256).join('');
    parts.push(part);
    size += part.length;
  }
  return parts.join('');
}

function fillerPool(prng: Prng, length: number): string {
  const parts: string[] = [];
  for (let size = 0; size < length; ) {
    const part = prng.chance(0.3) ? prng.pick(WORDS) : prng.pick(SCATTER);
    const space = prng.chance(0.2) ? ' ' : '';
    parts.push(part, space);
    size += part.length + space.length;
  }
  return parts.join('');
}

/**
 * The 8-character fragments of `secret` (the whole of it when shorter) found in `output`, apart from those that occur
 * in `innocent` text anyway (the filler around it, or "[REDACTED]").
 */
export function leakedFragments(output: string, secret: string, innocent: string): string[] {
  const size = Math.min(8, secret.length);
  const leaked = new Set<string>();
  for (let i = 0; i + size <= secret.length; i += 1) {
    const fragment = secret.slice(i, i + size);
    if (output.includes(fragment) && !innocent.includes(fragment) && !REDACTED.includes(fragment)) leaked.add(fragment);
  }
  return [...leaked];
}

/** `at`, moved back off the second half of a surrogate pair, so slicing there keeps whole characters (valid UTF-8). */
export function characterBoundary(text: string, at: number): number {
  const code = text.charCodeAt(at);
  return at > 0 && code >= 0xdc00 && code <= 0xdfff ? at - 1 : at;
}
