import { readFileSync } from 'node:fs';
import { malformedHosts, sendRaw } from '../../support/http-fuzz.js';
import { request } from '../../support/http.js';
import { startHarness, type Harness } from '../../support/supervisor-harness.js';

describe('the security guard on every route', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ server: { autostart: false }, supervisor: { allowed_hosts: ['parachute.local'] } });
  });
  afterAll(async () => {
    await h.close();
  });
  const host = () => new URL(h.url).host;

  it('refuses a forged Host (DNS rebinding) with 403', async () => {
    const answer = await request(`${h.url}/supervisor/status`, { headers: { host: 'evil.example:3334' } });
    expect(answer.status).toBe(403);
    expect(answer.json).toEqual({ code: 'ERR_FORBIDDEN_HOST', detail: expect.stringContaining('"evil.example:3334" is not allowed') });
  });

  it('accepts loopback names and hosts from supervisor.allowed_hosts', async () => {
    for (const name of [host(), `localhost:${h.sup.port}`, `[::1]:${h.sup.port}`, 'parachute.local:3334']) {
      expect((await request(`${h.url}/supervisor/health`, { headers: { host: name } })).status).toBe(200);
    }
  });

  it('marks every API answer, refusals and errors included, Cache-Control: no-store', async () => {
    const answers = {
      status: await request(`${h.url}/supervisor/status`),
      config: await request(`${h.url}/supervisor/config`),
      models: await request(`${h.url}/supervisor/models`),
      'unknown path': await request(`${h.url}/supervisor/nope`),
      'forged Host': await request(`${h.url}/supervisor/status`, { headers: { host: 'evil.example' } }),
    };
    const seen = Object.fromEntries(Object.entries(answers).map(([name, a]) => [name, `${a.status} ${a.headers['cache-control']}`]));
    expect(seen).toEqual({
      status: '200 no-store',
      config: '200 no-store',
      models: '200 no-store',
      'unknown path': '404 no-store',
      'forged Host': '403 no-store',
    });
  });

  it('refuses a foreign Origin with 403 and accepts its own', async () => {
    const foreign = await request(`${h.url}/supervisor/server/start?wait=false`, { method: 'POST', headers: { origin: 'http://evil.example' } });
    expect(foreign.status).toBe(403);
    expect(foreign.json.code).toBe('ERR_FORBIDDEN_ORIGIN');
    expect(h.sup.system.refs.server.getSnapshot().value).toBe('stopped');
    const nullOrigin = await request(`${h.url}/supervisor/status`, { headers: { origin: 'null' } });
    expect(nullOrigin.status).toBe(403);
    const own = await request(`${h.url}/supervisor/status`, { headers: { origin: `http://${host()}` } });
    expect(own.status).toBe(200);
    expect(own.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a cross-site fetch by Sec-Fetch-Site even without Origin', async () => {
    const answer = await request(`${h.url}/supervisor/status`, { headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' } });
    expect(answer.status).toBe(403);
  });

  it('refuses a text/plain body with 415 (the shape of a CSRF form post)', async () => {
    const answer = await request(`${h.url}/supervisor/server/start`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' });
    expect(answer.status).toBe(415);
    expect(answer.json).toEqual({ code: 'ERR_UNSUPPORTED_MEDIA_TYPE', detail: 'request body must be application/json, got "text/plain"' });
    expect(h.sup.system.refs.server.getSnapshot().value).toBe('stopped');
  });

  it('refuses a body over 64 KiB with 413, by Content-Length and when chunked', async () => {
    const big = JSON.stringify({ pad: 'x'.repeat(70 * 1024) });
    const sized = await request(`${h.url}/supervisor/server/start`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(big)) }, body: big });
    expect(sized.status).toBe(413);
    expect(sized.json.code).toBe('ERR_PAYLOAD_TOO_LARGE');
    const chunked = await request(`${h.url}/supervisor/server/start`, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, body: big });
    expect(chunked.status).toBe(413);
  });

  it('answers invalid JSON with 400 naming the problem', async () => {
    const answer = await request(`${h.url}/supervisor/server/start`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' });
    expect(answer.status).toBe(400);
    expect(answer.json.code).toBe('ERR_INVALID_JSON');
    expect(answer.json.detail).toMatch(/^request body is not valid JSON: /);
  });

  it('answers unknown paths with 404, wrong methods with 405 and bad query values with 400, all as {detail, code}', async () => {
    expect((await request(`${h.url}/supervisor/nope`)).json).toEqual({ code: 'ERR_NOT_FOUND', detail: 'no such endpoint: GET /supervisor/nope' });
    const wrong = await request(`${h.url}/supervisor/status`, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('GET');
    expect((await request(`${h.url}/supervisor/server/start`)).status).toBe(405);
    expect((await request(`${h.url}/supervisor/server/explode`, { method: 'POST' })).status).toBe(404);
    const badWait = await request(`${h.url}/supervisor/server/start?wait=maybe`, { method: 'POST' });
    expect(badWait.status).toBe(400);
    expect(badWait.json.detail).toBe('query parameter wait must be true or false, got "maybe"');
  });

  it('sends no CORS grant and forbids framing', async () => {
    const answer = await request(`${h.url}/supervisor/health`);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(answer.headers['x-frame-options']).toBe('DENY');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
  });

  // Raw bytes: Node's own client would refuse to send most of these Host values.
  const raw = async (method: string, path: string, headers: [string, string][], body: string | null = null) => {
    const lines = [`${method} ${path} HTTP/1.1`, ...headers.map(([k, v]) => `${k}: ${v}`), 'Connection: close'];
    if (body !== null) lines.push('Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`);
    const answer = await sendRaw(h.sup.port, Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body ?? ''}`, 'latin1'));
    const text = answer.text.slice(answer.text.indexOf('\r\n\r\n') + 4);
    let json: { code?: string; detail?: string } = {};
    try {
      json = JSON.parse(text) as typeof json;
    } catch {
      // not JSON
    }
    return { status: answer.statuses[0], code: json.code, detail: json.detail };
  };

  it('refuses every malformed Host with 403 ERR_FORBIDDEN_HOST, on reads and commands alike, and runs no route', async () => {
    const config = readFileSync(h.configPath);
    const change = JSON.stringify({ values: { log_level: 'debug' }, restart: true });
    const wrong: string[] = [];
    for (const host of malformedHosts(h.sup.port)) {
      for (const [method, path, body] of [['GET', '/supervisor/status', null], ['POST', '/supervisor/server/start?wait=false', null], ['PUT', '/supervisor/config', change]] as const) {
        const answer = await raw(method, path, [['Host', host]], body);
        if (answer.status !== 403 || answer.code !== 'ERR_FORBIDDEN_HOST' || !answer.detail?.includes('is not a valid host[:port]: ')) {
          wrong.push(`${method} ${path} with Host ${JSON.stringify(host)}: ${answer.status} ${answer.code} ${answer.detail}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(h.sup.system.refs.server.getSnapshot().value).toBe('stopped');
    expect(readFileSync(h.configPath).equals(config)).toBe(true);
  });

  it('names what is wrong with a malformed Host', async () => {
    expect(await raw('GET', '/supervisor/status', [['Host', `127.0.0.1:${h.sup.port}@evil.example`]])).toEqual({
      status: 403,
      code: 'ERR_FORBIDDEN_HOST',
      detail: `Host "127.0.0.1:${h.sup.port}@evil.example" is not a valid host[:port]: userinfo ("user@") is not allowed`,
    });
    expect(await raw('GET', '/supervisor/status', [['Host', '127.0.0.256']])).toMatchObject({ status: 403, detail: expect.stringContaining('not a valid IPv4 address') });
  });

  it('refuses two Host headers, and an absolute-form target naming a foreign host, with 403', async () => {
    expect(await raw('POST', '/supervisor/server/start?wait=false', [['Host', `127.0.0.1:${h.sup.port}`], ['Host', 'evil.example']])).toEqual({
      status: 403,
      code: 'ERR_FORBIDDEN_HOST',
      detail: 'the request has more than one Host header',
    });
    const absolute = await raw('POST', 'http://evil.example/supervisor/server/start?wait=false', [['Host', `127.0.0.1:${h.sup.port}`]]);
    expect(absolute).toMatchObject({ status: 403, code: 'ERR_FORBIDDEN_HOST', detail: expect.stringMatching(/^request target "evil.example" is not allowed/) });
    expect(await raw('GET', `http://127.0.0.1:${h.sup.port}/supervisor/health`, [['Host', `127.0.0.1:${h.sup.port}`]])).toMatchObject({ status: 200 });
    expect(h.sup.system.refs.server.getSnapshot().value).toBe('stopped');
  });

  it('still accepts the loopback names with any valid port, and allowed_hosts', async () => {
    for (const host of ['localhost', '127.0.0.1', '127.1.2.3:8080', `[::1]:${h.sup.port}`, 'LOCALHOST:1', 'parachute.local']) {
      expect({ host, answer: await raw('GET', '/supervisor/health', [['Host', host]]) }).toEqual({ host, answer: { status: 200, code: undefined, detail: undefined } });
    }
  });

  it('answers deeply nested JSON in a config value with 400 naming the key, and writes nothing', async () => {
    const config = readFileSync(h.configPath);
    const bodies = [
      `{"values": {"default_model": ${'['.repeat(30_000)}"sk-ant-api03-DEEPSECRET"${']'.repeat(30_000)}}}`,
      `{"values": {"max_message_length": ${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}}`,
      `{"values": {"default_model": "opus"}, "restart": ${'['.repeat(30_000)}${']'.repeat(30_000)}}`,
    ];
    for (const body of bodies) {
      expect(Buffer.byteLength(body)).toBeLessThan(64 * 1024);
      const answer = await request(`${h.url}/supervisor/config`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body });
      expect({ status: answer.status, code: answer.json?.code, key: answer.json?.key }).toEqual({
        status: 400,
        code: 'ERR_INVALID_VALUE',
        key: expect.stringMatching(/^(default_model|max_message_length|restart)$/),
      });
      expect(answer.text).not.toContain('DEEPSECRET');
    }
    expect(readFileSync(h.configPath).equals(config)).toBe(true);
    expect(h.sup.system.refs.server.getSnapshot().value).toBe('stopped');
  });
});
