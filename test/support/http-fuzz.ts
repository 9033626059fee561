import { METHODS } from 'node:http';
import { connect } from 'node:net';
import type { ConfigProblemKind } from '../../src/config/config-file.js';
import type { Prng } from './prng.js';

/** One generated request: its raw bytes and what the test may expect of the answer. */
export interface FuzzCase {
  /** Short description, printed when the case fails. */
  label: string;
  bytes: Buffer;
  /** True when the request could change state if it got through: it must then be refused (4xx). */
  mustBeRefused: boolean;
  /** The one status the answer must have, when the case calls for a particular refusal (403 for a malformed Host). */
  expectedStatus?: number;
  /** True when the request is incomplete on purpose, so the server may close without answering. */
  mayGoUnanswered: boolean;
  /** Well-framed, so another request can follow it on the same connection. */
  pipelineable?: boolean;
  /** For pipelined cases: the requests in order, each judged against its own answer. */
  parts?: FuzzCase[];
  /**
   * End the client's side after writing. Only for requests short of their body (so they are aborted, not waited on):
   * Node's server answers a client that half-closes by aborting whatever it has not answered yet.
   */
  halfClose?: boolean;
}

/** What came back on the socket. */
export interface RawAnswer {
  /** Status codes of every response on the connection (pipelined requests give several). */
  statuses: number[];
  text: string;
  timedOut: boolean;
}

/**
 * Writes `bytes` to 127.0.0.1:port and collects everything until the server closes (or `timeoutMs`); requests carry
 * `Connection: close`, so the server closes after answering. With `halfClose` the client also ends its side.
 */
export function sendRaw(port: number, bytes: Buffer, { timeoutMs = 5_000, halfClose = false } = {}): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let timedOut = false;
    const socket = connect({ port, host: '127.0.0.1' });
    const timer = setTimeout(() => {
      timedOut = true;
      socket.destroy();
    }, timeoutMs);
    // The answer to HEAD is its head alone.
    const head = bytes.subarray(0, 5).toString('latin1') === 'HEAD ';
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      // A followed event stream never ends by itself: its headers and first bytes (for HEAD, its headers) are the answer.
      const seen = Buffer.concat(chunks).toString('latin1');
      const headEnd = seen.indexOf('\r\n\r\n');
      if (headEnd > 0 && /\r\ncontent-type: text\/event-stream/i.test(seen.slice(0, headEnd)) && (head || seen.length > headEnd + 4)) socket.destroy();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      // A status line anywhere: a pipelined response follows the previous body with no separator. JSON bodies escape
      // CR and LF, so a body cannot hold a whole status line.
      const statuses = [...text.matchAll(/HTTP\/1\.[01] (\d{3}) [^\r\n]*\r\n/g)].map((m) => Number(m[1]));
      resolve({ statuses, text, timedOut });
    });
    socket.on('connect', () => {
      if (halfClose) socket.end(bytes);
      else socket.write(bytes);
    });
  });
}

/** The context every generated request is built for. */
export interface FuzzTarget {
  /** The supervisor's port. */
  port: number;
}

const loopbackHosts = (port: number) => [`127.0.0.1:${port}`, `localhost:${port}`, 'localhost', '127.0.0.1', `[::1]:${port}`, `127.0.0.2:${port}`];
// Hosts a DNS-rebinding page would send: each is refused by the guard before any route runs.
const foreignHosts = ['evil.example', `evil.example:${3334}`, 'localhost.evil.example', '127.0.0.1.nip.io', '0.0.0.0', '127.1', '[::2]', 'LOCALHOST.'];
/**
 * Host values that are not a well-formed `host[:port]` (RFC 3986 authority, no userinfo, port digits only, IPv6 only in
 * brackets): the guard refuses each with 403 ERR_FORBIDDEN_HOST, whatever the route. All pass Node's HTTP parser.
 */
export function malformedHosts(port: number): string[] {
  return [
    // a "]" followed by more text, or brackets that hold no IPv6 address
    `[::1]evil.example`,
    `[::1]:${port}x`,
    `[::1]]:${port}`,
    `[::1`,
    `[127.0.0.1]:${port}`,
    `[v1.fe]:${port}`,
    `[::1]@evil.example`,
    `127.0.0.1]:${port}`,
    // userinfo
    `user@127.0.0.1:${port}`,
    `127.0.0.1:${port}@evil.example`,
    `evil.example@localhost`,
    `:@localhost:${port}`,
    // ports that are not 1 to 65535 in digits
    `127.0.0.1:abc`,
    `localhost:99999`,
    `localhost:65536`,
    `localhost:0`,
    `localhost:-1`,
    `localhost:+${port}`,
    `localhost:0x${port.toString(16)}`,
    `localhost:1e3`,
    `localhost:`,
    `localhost:${port}123456`,
    // IPv4 literals that are not four octets from 0 to 255
    `127.0.0.256:${port}`,
    `127.999.0.1`,
    `300.0.0.1`,
    `127.0.0`,
    `127.0.0.1.5`,
    `0177.0.0.1`,
    `127.00.0.1:${port}`,
    `127.0.0.1.`,
    // empty, whitespace, percent signs, other characters
    '',
    `:${port}`,
    `local host:${port}`,
    `localhost	:${port}`,
    `127.0.0.1 :${port}`,
    `%6cocalhost:${port}`,
    `localhost%00`,
    `[::1%25lo]:${port}`,
    `localhost,evil.example`,
    `localhost/evil`,
    `localhost\\evil`,
    `localhost?x`,
    `localhost#x`,
    `localhost;x`,
    `"localhost"`,
    `local..host`,
    `-localhost`,
    // more than one colon outside brackets
    `::1`,
    `::1:${port}`,
    `localhost:${port}:${port}`,
    `127.0.0.1::${port}`,
    `${'a'.repeat(70)}.localhost`,
  ];
}

const foreignOrigins = ['http://evil.example', 'null', 'http://localhost:1', 'https://127.0.0.1', 'file://'];

const readPaths = [
  '/supervisor/status',
  '/supervisor/health',
  '/supervisor/config',
  '/supervisor/machines',
  '/supervisor/logs',
  '/supervisor/logs?lines=5&follow=false',
  '/supervisor/inspect',
  '/supervisor/models',
  '/supervisor/ui/',
  '/supervisor/ui/inspector',
  '/',
  '/favicon.ico',
];
const traversalPaths = [
  '/supervisor/../etc/passwd',
  '/supervisor/%2e%2e/%2e%2e/etc/passwd',
  '/supervisor/ui/../../../../etc/passwd',
  '/supervisor/ui/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '/supervisor/ui/..%2f..%2f..%2fpackage.json',
  '/supervisor/ui/..%5c..%5c..%5cetc%5cpasswd',
  '/supervisor/ui/assets/../../../../etc/passwd',
  '/supervisor/ui/assets/..%2f..%2f..%2f..%2fpackage.json',
  '/supervisor/ui/assets/%2e%2e/%2e%2e/%2e%2e/package.json',
  '/supervisor/ui/assets/....//....//package.json',
  '/supervisor/ui/assets/.hidden',
  '/supervisor/ui/assets/%00',
  '/supervisor/ui/%252e%252e/%252e%252e/etc/passwd',
  '/supervisor/ui/.%00./etc/passwd',
  '/supervisor/ui/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd',
  '//etc/passwd',
  '/supervisor/config/../../../../etc/passwd',
  '/supervisor/server/..%2f..%2fconfig',
  '/supervisor/server/%2e%2e',
  '/supervisor/server/%zz',
  '/supervisor/server/%E0%A4%A',
  '/supervisor/status/%',
  '/supervisor/%ff%fe',
];
const odditySuffixes = ['', '/', '//', '?', '#frag', '?a=1&a=2', '?__proto__[x]=1', '?wait[]=1', '?lines=-1', '?lines=1e309', '?lines=abc', '?show_all=maybe', '?follow=2', '?refresh=%00', ';jsessionid=1'];

// POSTs that reach a route without any guard refusing them, yet can never start, stop or restart anything.
const harmlessPosts = [
  '/supervisor/server/reboot',
  '/supervisor/server/START?wait=maybe',
  '/supervisor/server/restart?wait=maybe',
  '/supervisor/server/stop?wait=',
  '/supervisor/server/stop?wait=true&wait=true',
  '/supervisor/server/start%2f..%2fstop',
  '/supervisor/server/%zz',
  '/supervisor/server/',
  '/supervisor/server',
  '/supervisor/status',
  '/supervisor/health',
  '/supervisor/config',
  '/supervisor/machines',
  '/supervisor/nope',
];
// PUT bodies that the config route must refuse (unknown, protected or ill-typed keys; wrong shapes). Not on the list:
// `restart: null`, which the route takes as "not given" (so true), making the body a valid change.
const refusedConfigValues: unknown[] = [
  {},
  { values: {} },
  { values: [] },
  { values: null },
  { values: 'default_model=opus' },
  { values: { default_model: 42 } },
  { values: { default_model: 'Claude Opus' } },
  { values: { default_model: '../../etc/passwd' } },
  { values: { default_model: 'claude-\nsonnet' } },
  { values: { default_model: ['opus'] } },
  { values: { default_model: 'x'.repeat(5_000) } },
  { values: { port: 1 } },
  { values: { host: '0.0.0.0' } },
  { values: { api_key: 'sk-ant-api03-FUZZ' } },
  { values: { supervisor: { server: { command: ['/bin/sh', '-c', 'touch /tmp/pwned'] } } } },
  { values: { 'supervisor.server.command': ['/bin/sh'] } },
  { values: { providers: {} } },
  { values: { constructor: { prototype: { polluted: true } } } },
  { values: { log_level: 'verbose' } },
  { values: { debug: 'true' } },
  { values: { max_message_length: -1 } },
  { values: { max_message_length: 1.5 } },
  { values: { max_message_length: Number.POSITIVE_INFINITY } },
  { values: { transcription_enabled: 1 } },
  { values: { unknown_key: 1 } },
  { values: { default_model: 'opus' }, restart: 'yes' },
  [],
  'a string',
  42,
  null,
];
// Nested as deep as a 64 KiB body allows, inside a value the validators and the error message builder read.
const deepValues = [
  `{"values": {"default_model": ${'['.repeat(30_000)}${']'.repeat(30_000)}}}`,
  `{"values": {"max_message_length": ${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}}`,
  `{"values": {"debug": ${'[{"x":'.repeat(6_000)}null${'}]'.repeat(6_000)}}}`,
  `{"values": {"default_model": "opus"}, "restart": ${'['.repeat(30_000)}${']'.repeat(30_000)}}`,
  `{"values": {"log_level": ${'["sk-ant-api03-FUZZSECRETDEEP",'.repeat(2_000)}1${']'.repeat(2_000)}}}`,
];
const refusedConfigBodies: string[] = [
  ...refusedConfigValues.map((v) => JSON.stringify(v)),
  ...deepValues,
  // Written as text: in an object literal `__proto__` would set the prototype instead of naming a key.
  '{"values": {"__proto__": {"default_model": "opus"}}}',
  '{"__proto__": {"values": {"default_model": "opus"}}}',
  '{"values": {"default_model": "opus", "__proto__": {"port": 1}}, "restart": false, "x": 1, "values": {"port": 2}}',
  `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
  `{"values": ${'{"a": '.repeat(2_000)}1${'}'.repeat(2_000)}}`,
];
// Bodies express.json (strict: an object or an array) refuses. Deeply nested but valid JSON is not here: it parses,
// and a POST command ignores its body, so it would go through; it is among the refused config bodies instead.
const badJson = ['{', '{"values":', '{"values": {"default_model": "opus"}', "{'values': {}}", '{"values": {"a": 1,}}', 'NaN', '\u0000', '{"a":1}{"b":2}', '['.repeat(5_000), '"\\ud800"', 'true', '1'];
const nonJsonTypes = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/jsonx', 'application/json-patch+json', 'text/json', 'json'];
const junkMethods = ['BREW', 'FOO', 'get', 'G E T', '', 'CONNECT', 'TRACE', 'PROPFIND', 'M-SEARCH', 'PURGE', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'LINK'];

type Headers = [string, string][];

function requestBytes(method: string, target: string, headers: Headers, body: Buffer | string | null, version = 'HTTP/1.1'): Buffer {
  const lines = [`${method} ${target} ${version}`, ...headers.map(([k, v]) => `${k}: ${v}`)];
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return body === null ? head : Buffer.concat([head, typeof body === 'string' ? Buffer.from(body, 'utf8') : body]);
}

function mutatePath(rng: Prng, path: string): string {
  let p = path + rng.pick(odditySuffixes);
  if (rng.chance(0.15)) p = p.toUpperCase();
  if (rng.chance(0.1)) p = p.replace(/\//g, '//');
  if (rng.chance(0.1)) p = p.replace(/s/g, '%73');
  if (rng.chance(0.05)) p = `http://127.0.0.1${p}`;
  if (rng.chance(0.03)) p = `${p}${'a'.repeat(rng.int(1_000, 20_000))}`;
  return p;
}

function randomBytes(rng: Prng, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = rng.int(0, 255);
  return b;
}

/**
 * One random request against the supervisor. Requests that could start, stop or restart the server or write the
 * config only if they got through (a POST or PUT) carry a defect the guard refuses before any route (a foreign Host
 * or Origin, a cross-site fetch, a body that is not JSON, broken JSON, an oversized body), or go to a route with input
 * it must refuse. So a correct supervisor changes nothing, whatever the seed.
 */
export function makeCase(rng: Prng, target: FuzzTarget): FuzzCase {
  const { port } = target;
  const kind = rng.int(0, 99);
  const baseHeaders = (): Headers => [['Host', rng.pick(loopbackHosts(port))], ['Connection', 'close']];

  // Protocol-level garbage: the HTTP parser, not the app, answers (400/431) or closes.
  if (kind < 10) {
    const variant = rng.int(0, 9);
    const cases: [string, Buffer][] = [
      ['random bytes', randomBytes(rng, rng.int(1, 300))],
      ['HTTP/2 preface', Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n')],
      ['no Host on HTTP/1.1', requestBytes('GET', '/supervisor/status', [['Connection', 'close']], null)],
      ['huge header', requestBytes('GET', '/supervisor/status', [...baseHeaders(), ['X-Big', 'a'.repeat(rng.int(17_000, 80_000))]], null)],
      ['header with NUL', requestBytes('GET', '/supervisor/status', [...baseHeaders(), ['X-Bad', 'a\u0000b']], null)],
      ['obs-fold header', Buffer.from(`GET /supervisor/status HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Fold: a\r\n b\r\nConnection: close\r\n\r\n`)],
      [
        'Content-Length and Transfer-Encoding',
        requestBytes('POST', '/supervisor/server/stop', [...baseHeaders(), ['Content-Length', '4'], ['Transfer-Encoding', 'chunked'], ['Content-Type', 'application/json']], '0\r\n\r\n'),
      ],
      ['bad chunk size', requestBytes('PUT', '/supervisor/config', [...baseHeaders(), ['Transfer-Encoding', 'chunked'], ['Content-Type', 'application/json']], 'zz\r\n{}\r\n0\r\n\r\n')],
      ['bad Content-Length', requestBytes('PUT', '/supervisor/config', [...baseHeaders(), ['Content-Length', rng.pick(['-1', 'abc', '1e3', '18446744073709551616'])], ['Content-Type', 'application/json']], '{}')],
      ['HTTP/0.9 style', Buffer.from('GET /supervisor/status\r\n\r\n')],
    ];
    const [label, bytes] = cases[variant] as [string, Buffer];
    return { label: `protocol: ${label}`, bytes, mustBeRefused: true, mayGoUnanswered: true };
  }

  // Reads and odd methods on any path: answered with anything but a 5xx, never a file from outside.
  if (kind < 45) {
    const method = rng.chance(0.7) ? rng.pick(['GET', 'HEAD', 'GET', 'OPTIONS']) : rng.pick(junkMethods);
    const path = mutatePath(rng, rng.chance(0.35) ? rng.pick(traversalPaths) : rng.pick(readPaths));
    const headers = baseHeaders();
    if (rng.chance(0.2)) headers.push(['Accept', rng.pick(['text/event-stream', '*/*', 'application/json', '\u00ff\u00fe'])]);
    if (rng.chance(0.1)) headers.push(['Range', 'bytes=0-10']);
    if (rng.chance(0.1)) headers.push(['Last-Event-ID', rng.pick(['-1', '99999999999999', 'abc', '0'])]);
    if (rng.chance(0.1)) headers.push(['Host', 'evil.example']);
    const badHost = rng.chance(0.15) ? rng.pick(malformedHosts(port)) : null;
    if (badHost !== null) headers[0] = ['Host', badHost];
    if (rng.chance(0.05)) for (let i = 0; i < 300; i++) headers.push([`X-H${i}`, String(i)]);
    // A method the HTTP parser does not know (or a lowercase one) is refused by Node itself: with a 400 as the first
    // request on a connection, by closing it when it follows another request.
    const known = METHODS.includes(method) && method !== 'CONNECT';
    const mutating = ['DELETE', 'PATCH'].includes(method);
    return {
      label: `read: ${method} ${path.slice(0, 120)}${badHost === null ? '' : ` with Host ${JSON.stringify(badHost)}`}`,
      bytes: requestBytes(method, path, headers, null),
      mustBeRefused: mutating || badHost !== null,
      // The guard runs before any route, for every request Node's parser lets through (a known method, a head under 16 KiB).
      expectedStatus: badHost !== null && known && path.length < 8_000 ? 403 : undefined,
      // A followed SSE stream never ends on its own; the client's half-close or the timeout ends it.
      mayGoUnanswered: !known,
      // An event stream never ends, so nothing pipelined behind it would be read.
      pipelineable: known && path.length < 1_000 && !/\/supervisor\/(logs|inspect)/i.test(path),
    };
  }

  // A POST or PUT poisoned so that the guard refuses it, aimed at the paths that would change state.
  if (kind < 75) {
    const method = rng.pick(['POST', 'PUT', 'POST']);
    const path = method === 'PUT' ? '/supervisor/config' : `/supervisor/server/${rng.pick(['start', 'stop', 'restart'])}${rng.pick(['', '?wait=false', '/'])}`;
    const validBody = JSON.stringify({ values: { default_model: 'claude-opus-4-6' }, restart: true });
    const headers: Headers = [['Connection', 'close']];
    let body: string | Buffer | null = method === 'PUT' ? validBody : null;
    let contentType: string | null = method === 'PUT' ? 'application/json' : null;
    const poison = rng.int(0, 7);
    let label: string;
    let host = rng.pick(loopbackHosts(port));
    switch (poison) {
      case 0:
        host = rng.pick(foreignHosts);
        label = `foreign Host ${host}`;
        break;
      case 1:
        headers.push(['Origin', rng.pick(foreignOrigins)]);
        label = 'foreign Origin';
        break;
      case 2:
        headers.push(['Sec-Fetch-Site', rng.pick(['cross-site', 'same-site'])], ['Sec-Fetch-Mode', rng.pick(['cors', 'no-cors', 'navigate'])]);
        label = 'cross-site fetch';
        break;
      case 3:
        contentType = rng.chance(0.8) ? rng.pick(nonJsonTypes) : null;
        body = body ?? '{}';
        label = `body as ${contentType ?? 'no content type'}`;
        break;
      case 4:
        contentType = 'application/json';
        body = rng.pick(badJson);
        label = 'broken JSON';
        break;
      case 5:
        contentType = 'application/json';
        body = JSON.stringify({ values: { default_model: 'claude-opus-4-6' }, pad: 'x'.repeat(70_000) });
        label = 'body over 64 KiB';
        break;
      case 7:
        host = rng.pick(malformedHosts(port));
        label = `malformed Host ${JSON.stringify(host)}`;
        break;
      default:
        contentType = rng.pick(['application/json; charset=utf-16', 'application/json; charset=latin9', 'application/json; charset="koi8-r"']);
        body = body ?? '{}';
        label = `charset ${contentType}`;
    }
    headers.unshift(['Host', host]);
    if (contentType) headers.push(['Content-Type', contentType]);
    if (body !== null) headers.push(['Content-Length', String(Buffer.byteLength(body))]);
    return {
      label: `refused ${method} ${path}: ${label}`,
      bytes: requestBytes(method, path, headers, body),
      mustBeRefused: true,
      expectedStatus: poison === 7 ? 403 : undefined,
      mayGoUnanswered: false,
      pipelineable: poison !== 5,
    };
  }

  // A POST or PUT that passes the guard but whose input the route must refuse.
  if (kind < 95) {
    const headers = baseHeaders();
    const origin = rng.chance(0.3) ? `http://127.0.0.1:${port}` : null;
    if (origin !== null) headers.push(['Origin', origin]);
    // That Origin is the supervisor's own only when the Host says 127.0.0.1 with the port; else the guard refuses first.
    const guardPasses = origin === null || headers[0]?.[1] === `127.0.0.1:${port}`;
    if (rng.chance(0.5)) {
      const path = rng.pick(harmlessPosts);
      const withBody = rng.chance(0.3);
      const body = withBody ? rng.pick(refusedConfigBodies) : null;
      if (body !== null) headers.push(['Content-Type', 'application/json'], ['Content-Length', String(Buffer.byteLength(body))]);
      return { label: `route refuses POST ${path}`, bytes: requestBytes('POST', path, headers, body), mustBeRefused: true, mayGoUnanswered: false, pipelineable: true };
    }
    const body = rng.pick(refusedConfigBodies);
    headers.push(['Content-Type', rng.pick(['application/json', 'application/json; charset=utf-8', 'Application/JSON'])], ['Content-Length', String(Buffer.byteLength(body))]);
    return {
      label: `route refuses PUT /supervisor/config ${body.slice(0, 100)}`,
      bytes: requestBytes('PUT', '/supervisor/config', headers, body),
      mustBeRefused: true,
      // Deep nesting is a bad value like any other: 400, never a 500 from a walk that ran out of stack.
      expectedStatus: deepValues.includes(body) && guardPasses ? 400 : undefined,
      mayGoUnanswered: false,
      pipelineable: true,
    };
  }

  // Incomplete requests: a body shorter than its Content-Length, or a body that stops mid-chunk.
  const headers = baseHeaders();
  const body = '{"values": {"default_model": "claude-opus-4-6"}}';
  headers.push(['Content-Type', 'application/json'], ['Content-Length', String(body.length + rng.int(1, 1_000))]);
  return {
    label: 'short body on PUT /supervisor/config',
    bytes: requestBytes('PUT', '/supervisor/config', headers, body),
    mustBeRefused: true,
    mayGoUnanswered: true,
    halfClose: true,
  };
}

/** Two well-framed cases on one connection: the first without its `Connection: close`, so the second is read too. */
export function pipelined(a: FuzzCase, b: FuzzCase): FuzzCase {
  const first = Buffer.from(a.bytes.toString('latin1').replace('Connection: close\r\n', ''), 'latin1');
  return {
    label: `pipelined [${a.label}] then [${b.label}]`,
    bytes: Buffer.concat([first, b.bytes]),
    mustBeRefused: a.mustBeRefused && b.mustBeRefused,
    expectedStatus: undefined,
    mayGoUnanswered: a.mayGoUnanswered || b.mayGoUnanswered,
    parts: [a, b],
  };
}

/**
 * config.yaml constructs that a YAML parser takes at first sight but that fail later (when converted to data, or in
 * the supervisor's checks), or that the library flags only as a warning; each quotes `secret` where a careless error
 * message would repeat it. Key names are their own, so no construct clashes with a key of the file it joins.
 * `kinds`: what the reader must call it; `top`: it must open the file.
 */
export const lateFailingYaml: { label: string; kinds: ConfigProblemKind[]; lines: (secret: string) => string[]; top?: true }[] = [
  { label: 'unresolved alias', kinds: ['UNRESOLVED_ALIAS'], lines: (s) => [`alias_key: *${s}`] },
  { label: 'alias before its anchor', kinds: ['UNRESOLVED_ALIAS'], lines: (s) => ['early: *late', `late_key: &late ${s}`] },
  { label: 'merge of a missing anchor', kinds: ['UNRESOLVED_ALIAS'], lines: (s) => ['merged:', `  <<: *${s}`] },
  {
    label: 'alias bomb (billion laughs)',
    kinds: ['TOO_MANY_ALIASES'],
    lines: (s) => [`lol1: &l1 [${s}, ${s}, ${s}, ${s}, ${s}, ${s}, ${s}, ${s}, ${s}]`, ...[2, 3, 4, 5].map((n) => `lol${n}: &l${n} [${Array(9).fill(`*l${n - 1}`).join(', ')}]`)],
  },
  { label: 'duplicate key', kinds: ['DUPLICATE_KEY'], lines: (s) => [`dup_token: ${s}`, `dup_token: ${s}-2`] },
  { label: 'unknown tag', kinds: ['TAG_RESOLVE_FAILED'], lines: (s) => [`tagged_key: !secret ${s}`] },
  { label: 'core tag that does not fit', kinds: ['TAG_RESOLVE_FAILED'], lines: (s) => [`port_token: !!int ${s}`] },
  { label: '!!binary value', kinds: ['NOT_PLAIN_DATA'], lines: (s) => [`binary_key: !!binary ${s.replace(/[^A-Za-z0-9]/g, '')}`] },
  { label: '!!set value', kinds: ['NOT_PLAIN_DATA'], lines: (s) => [`key_set: !!set { ${s} }`] },
  { label: '!!omap with a duplicate', kinds: ['TAG_RESOLVE_FAILED'], lines: (s) => [`key_map: !!omap [ ${s}: 1, ${s}: 2 ]`] },
  { label: '!!timestamp value', kinds: ['NOT_PLAIN_DATA'], lines: () => ['expires: !!timestamp 2026-01-01'] },
  { label: 'nested deeper than the supervisor walks', kinds: ['TOO_DEEP'], lines: (s) => [`deep: ${'['.repeat(70)}${s}${']'.repeat(70)}`] },
  { label: 'nested deeper than the parser goes', kinds: ['RESOURCE_EXHAUSTION', 'TOO_DEEP'], lines: (s) => [`deeper: ${'['.repeat(2_000)}${s}${']'.repeat(2_000)}`] },
  { label: 'alias inside its own anchor', kinds: ['TOO_DEEP'], lines: (s) => [`loop: &loop [*loop, ${s}]`] },
  { label: 'second document', kinds: ['MULTIPLE_DOCS'], lines: (s) => ['---', `second_key: ${s}`] },
  { label: 'unknown directive', kinds: ['BAD_DIRECTIVE'], lines: (s) => [`%SECRET ${s}`, '---'], top: true },
  { label: 'tab as indentation', kinds: ['TAB_AS_INDENT'], lines: (s) => ['tabbed_key:', `\t${s}`] },
];

/** `good` config text with one late-failing construct put before or after it; `firstLine` is where the construct starts. */
export function withLateFailure(rng: Prng, failure: (typeof lateFailingYaml)[number], secret: string, good: string): { text: string; firstLine: number; lineCount: number } {
  const lines = failure.lines(secret);
  const body = good.endsWith('\n') ? good : `${good}\n`;
  // A directive must open the file; a second document must come after the first.
  if (failure.top || (failure.label !== 'second document' && rng.chance(0.5))) return { text: `${lines.join('\n')}\n${body}`, firstLine: 1, lineCount: lines.length };
  return { text: `${body}${lines.join('\n')}\n`, firstLine: body.split('\n').length, lineCount: lines.length };
}
