import {
  SupervisorClient,
  SupervisorHttpError,
  SupervisorUnreachableError,
  resolveSupervisorUrl,
} from '../../../src/client/supervisor-client.js';

interface Call {
  url: string;
  init: RequestInit;
}

// A fetch stand-in that records each call and answers with the next scripted response.
function scriptedFetch(...answers: (Response | Error | ((call: Call) => Response | Promise<Response>))[]) {
  const calls: Call[] = [];
  const fetch = (async (url: string, init: RequestInit) => {
    const call = { url, init };
    calls.push(call);
    const answer = answers.shift();
    if (answer === undefined) throw new Error(`unexpected request ${init.method} ${url}`);
    if (answer instanceof Error) throw answer;
    return typeof answer === 'function' ? answer(call) : answer;
  }) as unknown as typeof globalThis.fetch;
  return { fetch, calls };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const header = (call: Call | undefined, name: string) => new Headers(call?.init.headers).get(name);

describe('resolveSupervisorUrl', () => {
  it('prefers --url, then SUPERVISOR_URL, then SUPERVISOR_PORT on loopback, then 3334', () => {
    expect(resolveSupervisorUrl('http://h:1/', { SUPERVISOR_URL: 'http://e:2' })).toBe('http://h:1');
    expect(resolveSupervisorUrl(undefined, { SUPERVISOR_URL: 'http://e:2', SUPERVISOR_PORT: '9' })).toBe('http://e:2');
    expect(resolveSupervisorUrl(undefined, { SUPERVISOR_PORT: '4000' })).toBe('http://127.0.0.1:4000');
    expect(resolveSupervisorUrl(undefined, { SUPERVISOR_URL: '' })).toBe('http://127.0.0.1:3334');
  });

  it('refuses malformed addresses, naming the value', () => {
    expect(() => resolveSupervisorUrl('localhost:3334', {})).toThrow('"localhost:3334"');
    expect(() => resolveSupervisorUrl('ftp://h', {})).toThrow('http://');
    expect(() => resolveSupervisorUrl(undefined, { SUPERVISOR_PORT: '70000' })).toThrow('SUPERVISOR_PORT');
  });
});

describe('SupervisorClient requests', () => {
  it('sends the bearer token from SUPERVISOR_TOKEN', async () => {
    const { fetch, calls } = scriptedFetch(json(200, { status: 'ok' }));
    const client = SupervisorClient.fromEnvironment({ SUPERVISOR_TOKEN: 't0k' }, { url: 'http://x:1', fetch });
    await expect(client.health()).resolves.toEqual({ status: 'ok' });
    expect(calls[0]?.url).toBe('http://x:1/supervisor/health');
    expect(header(calls[0], 'authorization')).toBe('Bearer t0k');
  });

  it('puts config values as JSON with the restart flag', async () => {
    const answer = { success: true, updated_keys: ['debug'], server_restarted: false, config: { debug: true } };
    const { fetch, calls } = scriptedFetch(json(200, answer));
    const client = new SupervisorClient({ baseUrl: 'http://x:1', fetch });
    await expect(client.updateConfig({ debug: true }, { restart: false })).resolves.toEqual(answer);
    expect(calls[0]?.init.method).toBe('PUT');
    expect(header(calls[0], 'content-type')).toBe('application/json');
    expect(JSON.parse(String(calls[0]?.init.body))).toEqual({ values: { debug: true }, restart: false });
  });

  it('asks for models with show_all and refresh, and posts lifecycle commands without waiting on request', async () => {
    const { fetch, calls } = scriptedFetch(json(200, { models: [] }), json(202, { success: true }));
    const client = new SupervisorClient({ baseUrl: 'http://x:1', fetch });
    await client.models({ showAll: true, refresh: true });
    await client.serverCommand('restart', { wait: false });
    expect(calls.map((c) => `${c.init.method} ${c.url}`)).toEqual([
      'GET http://x:1/supervisor/models?show_all=true&refresh=true',
      'POST http://x:1/supervisor/server/restart?wait=false',
    ]);
  });
});

describe('SupervisorClient errors', () => {
  it('turns an error body into SupervisorHttpError with status, detail and code', async () => {
    const { fetch } = scriptedFetch(json(403, { detail: 'port is not editable', code: 'ERR_KEY_NOT_EDITABLE' }));
    const error = await new SupervisorClient({ baseUrl: 'http://x:1', fetch }).updateConfig({ port: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SupervisorHttpError);
    expect(error).toMatchObject({ status: 403, detail: 'port is not editable', code: 'ERR_KEY_NOT_EDITABLE' });
  });

  it('keeps extra fields of the error body, such as rolled_back', async () => {
    const { fetch } = scriptedFetch(json(409, { detail: 'unhealthy; previous config restored', code: 'ERR_CONFIG_ROLLED_BACK', rolled_back: true }));
    const error = await new SupervisorClient({ baseUrl: 'http://x:1', fetch }).updateConfig({ default_model: 'opus' }).catch((e: unknown) => e);
    expect((error as SupervisorHttpError).body).toMatchObject({ rolled_back: true });
  });

  it('reports a non-JSON error page by its status text, not its HTML', async () => {
    const { fetch } = scriptedFetch(new Response('<html>oops</html>', { status: 502, statusText: 'Bad Gateway' }));
    const error = await new SupervisorClient({ baseUrl: 'http://x:1', fetch }).status().catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 502, detail: 'Bad Gateway', code: null });
  });

  it('turns a failed connection into SupervisorUnreachableError naming the reason', async () => {
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    const { fetch } = scriptedFetch(refused);
    const error = await new SupervisorClient({ baseUrl: 'http://x:1', fetch }).status().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SupervisorUnreachableError);
    expect((error as Error).message).toBe('cannot reach the supervisor at http://x:1: connection refused');
  });

  it('gives up after the timeout with SupervisorUnreachableError (timedOut)', async () => {
    // Never answers until aborted, like a supervisor that accepted the connection and hangs.
    const hanging = (call: Call) =>
      new Promise<Response>((_resolve, reject) => call.init.signal?.addEventListener('abort', () => reject(call.init.signal?.reason)));
    const { fetch } = scriptedFetch(hanging);
    const error = await new SupervisorClient({ baseUrl: 'http://x:1', fetch, timeoutMs: 20 }).status().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'SupervisorUnreachableError', timedOut: true });
  });

  it("rethrows the caller's abort as is", async () => {
    const hanging = (call: Call) =>
      new Promise<Response>((_resolve, reject) => call.init.signal?.addEventListener('abort', () => reject(call.init.signal?.reason)));
    const { fetch } = scriptedFetch(hanging);
    const controller = new AbortController();
    const pending = new SupervisorClient({ baseUrl: 'http://x:1', fetch }).status({ signal: controller.signal });
    controller.abort(new Error('user gave up'));
    await expect(pending).rejects.toThrow('user gave up');
  });
});

describe('SupervisorClient.logs', () => {
  const sse = (text: string) => new Response(text, { status: 200, headers: { 'content-type': 'text/event-stream' } });

  it('yields lines and error events and asks for lines without following', async () => {
    const { fetch, calls } = scriptedFetch(sse('id: 2\ndata: {"line":"a"}\n\ndata: {"error":"no log file"}\n\n'));
    const events = [];
    for await (const event of new SupervisorClient({ baseUrl: 'http://x:1', fetch }).logs({ lines: 5, follow: false })) events.push(event);
    expect(events).toEqual([
      { kind: 'line', id: '2', line: 'a' },
      { kind: 'error', id: '2', error: 'no log file' },
    ]);
    expect(calls[0]?.url).toBe('http://x:1/supervisor/logs?follow=false&lines=5');
  });

  it('reconnects a dropped followed stream with Last-Event-ID and gives up after maxReconnects silent attempts', async () => {
    const refused = new TypeError('fetch failed');
    const { fetch, calls } = scriptedFetch(sse('id: 10\ndata: {"line":"one"}\n\n'), refused, sse('id: 20\ndata: {"line":"two"}\n\n'), refused, refused);
    const client = new SupervisorClient({ baseUrl: 'http://x:1', fetch, reconnectDelayMs: 1, maxReconnects: 2 });
    const lines: string[] = [];
    const error = await (async () => {
      for await (const event of client.logs()) if (event.kind === 'line') lines.push(event.line);
    })().catch((e: unknown) => e);
    expect(lines).toEqual(['one', 'two']);
    expect(calls.map((c) => header(c, 'last-event-id'))).toEqual([null, '10', '10', '20', '20']);
    expect(error).toBeInstanceOf(SupervisorUnreachableError);
  });
});

describe('SupervisorClient.inspect and machines', () => {
  it('yields named inspection events with parsed data', async () => {
    const stream = 'event: snapshot\ndata: {"actor":"server","value":"running"}\n\nevent: event\ndata: {"actor":"server","type":"server.stop"}\n\n';
    const { fetch, calls } = scriptedFetch(new Response(stream, { status: 200 }), json(200, { id: 'supervisor' }));
    const client = new SupervisorClient({ baseUrl: 'http://x:1', fetch });
    const events = [];
    for await (const event of client.inspect()) events.push(event);
    expect(events).toEqual([
      { event: 'snapshot', id: null, data: { actor: 'server', value: 'running' } },
      { event: 'event', id: null, data: { actor: 'server', type: 'server.stop' } },
    ]);
    await expect(client.machines()).resolves.toEqual({ id: 'supervisor' });
    expect(calls.map((c) => c.url)).toEqual(['http://x:1/supervisor/inspect', 'http://x:1/supervisor/machines']);
  });
});
