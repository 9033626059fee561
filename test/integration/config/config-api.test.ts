import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { parse } from 'yaml';
import { createActor } from 'xstate';
import { applyConfigChange } from '../../../src/actors/actor-requests.js';
import { configApplyMachine } from '../../../machines/config-apply.machine.js';
import { configApplyActors } from '../../../src/config/config-apply.logic.js';
import { createConfigRouter } from '../../../src/http/config.routes.js';
import { makeConfigDir, type ConfigDir } from '../../support/config-dir.js';

// Every credential in the test config; none may ever show up in a response body.
const secrets = [
  'sk-ant-api03-TOPLEVELKEY',
  'sk-ant-oat01-OAUTHTOKEN',
  'nested-provider-key-123',
  'ghp_envtoken456',
  'sk-ant-api03-UNDERINNOCENTKEY',
  'sk-ant-api03-INLIST',
  'hunter2-db-password',
];

const original = `# Parachute config
# edited by hand — keep these comments

port: 3333            # main server port
host: 127.0.0.1
default_model: 'sonnet'   # the model the server uses
api_key: "${secrets[0]}"
claude_code_oauth_token: ${secrets[1]}

log_level: info
providers:
    openai:
        api_key: ${secrets[2]}
        base_url: https://example.invalid
supervisor:
  server:
    command: [node, server.js]
    env:
      GITHUB_TOKEN: ${secrets[3]}
notes: "remember ${secrets[4]}"
mcp_servers:
  - name: files
    args: ["--token-free", "${secrets[5]}"]
    database: { password: ${secrets[6]} }
# trailing comment
`;

// A model name the regex accepts but the fake server refuses to come up on.
const BAD_MODEL = 'claude-refuses-to-start';

interface Harness {
  url: string;
  cd: ConfigDir;
  /** default_model in the file each time the fake server was (re)started. */
  restarts: (string | undefined)[];
  maxConcurrentRestarts: number;
  request(method: string, body?: unknown, raw?: string): Promise<{ status: number; body: Record<string, unknown>; text: string }>;
}

const bodies: string[] = [];
const servers: Server[] = [];
const dirs: ConfigDir[] = [];

async function startHarness(text: string | null = original): Promise<Harness> {
  const cd = makeConfigDir(text);
  dirs.push(cd);
  const restarts: (string | undefined)[] = [];
  let running = 0;
  const h: Partial<Harness> = { cd, restarts, maxConcurrentRestarts: 0 };
  // The fake lifecycle: "starts" the server on whatever the file holds now, and fails on BAD_MODEL.
  const restartServer = async (): Promise<void> => {
    running += 1;
    h.maxConcurrentRestarts = Math.max(h.maxConcurrentRestarts ?? 0, running);
    try {
      await new Promise<void>((resolve) => setImmediate(resolve));
      const model = (parse(readFileSync(cd.path, 'utf8')) as { default_model?: string }).default_model;
      restarts.push(model);
      if (model === BAD_MODEL) throw new Error('Server start failed: exited with code 1 before becoming healthy');
    } finally {
      running -= 1;
    }
  };
  const actor = createActor(configApplyMachine.provide({ actors: configApplyActors({ configPath: () => cd.path, restartServer }) })).start();
  const app = express();
  // strict: false lets top-level strings and null through, so the router's own body checks are exercised
  // (the real app's strict parser refuses those before they reach it).
  app.use(express.json({ strict: false }));
  app.use(createConfigRouter({ configPath: () => cd.path, apply: (change) => applyConfigChange(actor, change, 10_000) }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  servers.push(server);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/supervisor/config`;
  h.url = url;
  h.request = async (method, body, raw) => {
    const response = await fetch(url, {
      method,
      headers: body === undefined && raw === undefined ? {} : { 'content-type': 'application/json' },
      body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const responseText = await response.text();
    bodies.push(responseText);
    return { status: response.status, body: JSON.parse(responseText) as Record<string, unknown>, text: responseText };
  };
  return h as Harness;
}

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  dirs.forEach((cd) => cd.remove());
});

describe('GET /supervisor/config', () => {
  it('returns the whole config with every secret redacted', async () => {
    const h = await startHarness();
    const { status, body } = await h.request('GET');
    expect(status).toBe(200);
    expect(body.config).toEqual({
      port: 3333,
      host: '127.0.0.1',
      default_model: 'sonnet',
      api_key: '[REDACTED]',
      claude_code_oauth_token: '[REDACTED]',
      log_level: 'info',
      providers: { openai: { api_key: '[REDACTED]', base_url: 'https://example.invalid' } },
      supervisor: { server: { command: ['node', 'server.js'], env: { GITHUB_TOKEN: '[REDACTED]' } } },
      notes: '[REDACTED]',
      mcp_servers: [{ name: 'files', args: ['--token-free', '[REDACTED]'], database: { password: '[REDACTED]' } }],
    });
  });

  it('reads the file fresh on every request', async () => {
    const h = await startHarness('default_model: opus\n');
    expect((await h.request('GET')).body.config).toEqual({ default_model: 'opus' });
    h.cd.write('default_model: haiku # edited by hand\ndebug: true\n');
    expect((await h.request('GET')).body.config).toEqual({ default_model: 'haiku', debug: true });
  });

  it('answers 503 naming line and column when the file does not parse, and keeps serving', async () => {
    const h = await startHarness(`port: 3333\napi_key: ${secrets[0]}\ndefault_model: [sonnet\nlog_level: info\n`);
    const { status, body } = await h.request('GET');
    expect(status).toBe(503);
    expect(body).toMatchObject({ code: 'ERR_CONFIG_INVALID', line: expect.any(Number), column: expect.any(Number) });
    expect(body.detail).toMatch(new RegExp(`line ${String(body.line)}, column ${String(body.column)}`));
    h.cd.write('default_model: opus\n');
    expect((await h.request('GET')).status).toBe(200);
  });

  it('shows a missing file as an empty config', async () => {
    const h = await startHarness(null);
    expect(await h.request('GET')).toMatchObject({ status: 200, body: { config: {} } });
  });
});

describe('PUT /supervisor/config', () => {
  it('changes only the edited line, restarts the server on it, and answers with the redacted config', async () => {
    const h = await startHarness();
    const { status, body } = await h.request('PUT', { values: { default_model: 'opus' }, restart: true });
    expect(status).toBe(200);
    expect(body).toMatchObject({ success: true, updated_keys: ['default_model'], server_restarted: true });
    expect(body.config).toMatchObject({ default_model: 'opus', api_key: '[REDACTED]', port: 3333 });
    expect(h.cd.text()).toBe(original.replace("default_model: 'sonnet'   #", "default_model: 'opus'   #"));
    expect(h.restarts).toEqual(['opus']);
    expect(h.cd.mode()).toBe(0o600);
    expect(h.cd.strays()).toEqual([]);
  });

  it('appends new keys after the trailing comment and keeps every other byte', async () => {
    const h = await startHarness();
    const { status, body } = await h.request('PUT', {
      values: { debug: true, max_message_length: 4096, log_format: 'json', transcription_enabled: false, log_level: 'warning' },
      restart: false,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ server_restarted: false, config: { max_message_length: 4096, log_level: 'warning' } });
    expect(h.cd.text()).toBe(
      `${original.replace('log_level: info', 'log_level: warning')}debug: true\nmax_message_length: 4096\nlog_format: json\ntranscription_enabled: false\n`,
    );
    expect(h.restarts).toEqual([]);
  });

  it('restarts by default when restart is left out', async () => {
    const h = await startHarness();
    const { body } = await h.request('PUT', { values: { default_model: 'haiku' } });
    expect(body).toMatchObject({ success: true, server_restarted: true });
    expect(h.restarts).toEqual(['haiku']);
  });

  it('rolls back to the previous bytes and restarts on them when the server does not come back healthy', async () => {
    const h = await startHarness();
    h.cd.write(original.replace('\n', '\r\n'));
    const before = h.cd.bytes();
    const { status, body } = await h.request('PUT', { values: { default_model: BAD_MODEL, debug: true }, restart: true });
    expect(status).toBe(409);
    expect(body).toMatchObject({ code: 'ERR_CONFIG_ROLLED_BACK', rolled_back: true });
    expect(body.detail).toMatch(/exited with code 1.*; previous config restored$/);
    expect(h.cd.bytes().equals(before)).toBe(true);
    expect(h.restarts).toEqual([BAD_MODEL, 'sonnet']);
    expect(h.cd.strays()).toEqual([]);
  });

  it('rolls back a file it created by removing it again', async () => {
    const h = await startHarness(null);
    const { status } = await h.request('PUT', { values: { default_model: BAD_MODEL } });
    expect(status).toBe(409);
    expect(h.cd.strays()).toEqual([]);
    expect(() => h.cd.bytes()).toThrow(/ENOENT/);
  });

  it('creates a missing file with mode 0600', async () => {
    const h = await startHarness(null);
    expect((await h.request('PUT', { values: { default_model: 'opus' }, restart: false })).status).toBe(200);
    expect(h.cd.text()).toBe('default_model: opus\n');
    expect(h.cd.mode()).toBe(0o600);
  });

  it.each([
    ['a secret', { api_key: 'sk-ant-api03-new' }],
    ['the oauth token', { claude_code_oauth_token: 'x' }],
    ['a key matching the secret pattern', { openai_secret: 'x' }],
    ['auth_mode', { auth_mode: 'none' }],
    ['host', { host: '0.0.0.0' }],
    ['port', { port: 80 }],
    ['cors_origins', { cors_origins: ['*'] }],
    ['providers', { providers: {} }],
    ['plugin paths', { plugin_paths: ['/tmp/evil'] }],
    ['mcp_servers', { mcp_servers: [] }],
    ['the supervisor section', { supervisor: { server: { command: ['sh', '-c', 'id'] } } }],
    ['a dotted supervisor key', { 'supervisor.server.command': ['sh'] }],
    ['a protected key next to a valid one', { default_model: 'opus', port: 1 }],
  ])('refuses %s with 403 and leaves the file byte-identical', async (_what, values) => {
    const h = await startHarness();
    const { status, body } = await h.request('PUT', { values });
    expect(status).toBe(403);
    expect(body.code).toBe('ERR_KEY_NOT_EDITABLE');
    expect(h.cd.text()).toBe(original);
    expect(h.restarts).toEqual([]);
  });

  it('refuses an unknown key with 400 and leaves the file byte-identical', async () => {
    const h = await startHarness();
    const { status, body } = await h.request('PUT', { values: { default_model: 'opus', favourite_colour: 'blue' } });
    expect(status).toBe(400);
    expect(body).toMatchObject({ code: 'ERR_UNKNOWN_KEY', keys: ['favourite_colour'] });
    expect(body.detail).toContain('favourite_colour');
    expect(h.cd.text()).toBe(original);
  });

  it.each([
    [{ default_model: 'gpt-4' }, 'default_model', '"gpt-4"', 'a model name matching'],
    [{ debug: 'yes' }, 'debug', '"yes"', 'true or false'],
    [{ max_message_length: -5 }, 'max_message_length', '-5', 'a positive integer'],
    [{ max_message_length: 1.5 }, 'max_message_length', '1.5', 'a positive integer'],
    [{ log_level: 'loud' }, 'log_level', '"loud"', 'one of debug|info|warning|error|critical'],
    [{ log_format: 7 }, 'log_format', '7', 'one of text|json'],
    [{ transcription_enabled: null }, 'transcription_enabled', 'null', 'true or false'],
    [{ default_model: 'opus', debug: 'no' }, 'debug', '"no"', 'true or false'],
  ])('refuses %j with 400 naming key, value and expected type, writing nothing', async (values, key, shown, expected) => {
    const h = await startHarness();
    const { status, body } = await h.request('PUT', { values, restart: true });
    expect(status).toBe(400);
    expect(body).toMatchObject({ code: 'ERR_INVALID_VALUE', key });
    expect(body.detail).toContain(`Invalid value for ${key}: ${shown} (expected ${expected}`);
    expect(h.cd.text()).toBe(original);
    expect(h.restarts).toEqual([]);
  });

  it.each([
    ['an array body', '[1, 2]'],
    ['a string body', '"default_model"'],
    ['null', 'null'],
    ['values missing', '{"restart": false}'],
    ['values a list', '{"values": [["default_model", "opus"]]}'],
    ['values a string', '{"values": "default_model=opus"}'],
    ['values empty', '{"values": {}}'],
    ['restart not a boolean', '{"values": {"default_model": "opus"}, "restart": "yes"}'],
  ])('refuses %s with 400', async (_what, raw) => {
    const h = await startHarness();
    const { status, body } = await h.request('PUT', undefined, raw);
    expect(status).toBe(400);
    expect(body.code).toMatch(/^ERR_(BAD_REQUEST|INVALID_VALUE)$/);
    expect(h.cd.text()).toBe(original);
  });

  it('refuses a request without a JSON body with 400', async () => {
    const h = await startHarness();
    const response = await fetch(h.url, { method: 'PUT' });
    bodies.push(await response.clone().text());
    expect(response.status).toBe(400);
    expect(h.cd.text()).toBe(original);
  });

  it('answers 503 for a file that does not parse and leaves it byte-identical', async () => {
    const broken = `# hand-broken\napi_key: ${secrets[0]}\ndefault_model: "sonnet\nport: 3333\n`;
    const h = await startHarness(broken);
    const { status, body } = await h.request('PUT', { values: { default_model: 'opus' }, restart: true });
    expect(status).toBe(503);
    expect(body).toMatchObject({ code: 'ERR_CONFIG_INVALID', line: expect.any(Number), column: expect.any(Number) });
    expect(h.cd.text()).toBe(broken);
    expect(h.cd.strays()).toEqual([]);
    expect(h.restarts).toEqual([]);
  });

  it('serializes 20 concurrent changes: each answered with its own value, one valid file, no temp files', async () => {
    const h = await startHarness();
    const models = Array.from({ length: 20 }, (_, i) => `claude-concurrent-${i}`);
    const answers = await Promise.all(models.map((model) => h.request('PUT', { values: { default_model: model }, restart: true })));
    answers.forEach((answer, i) => {
      expect(answer.status).toBe(200);
      expect((answer.body.config as Record<string, unknown>).default_model).toBe(models[i]);
    });
    const final = parse(h.cd.text()) as Record<string, unknown>;
    expect(models).toContain(final.default_model);
    expect(h.cd.text()).toBe(original.replace("'sonnet'", `'${String(final.default_model)}'`));
    expect(h.cd.strays()).toEqual([]);
    expect([...h.restarts].sort()).toEqual([...models].sort());
    expect(h.maxConcurrentRestarts).toBe(1);
    expect(h.cd.mode()).toBe(0o600);
  });

  it('answers other methods with 405', async () => {
    const h = await startHarness();
    const { status, body } = await h.request('POST', { values: { default_model: 'opus' } });
    expect(status).toBe(405);
    expect(body.code).toBe('ERR_METHOD_NOT_ALLOWED');
    expect(h.cd.text()).toBe(original);
  });
});

describe('secrets', () => {
  it('never appeared in any response body above', () => {
    expect(bodies.length).toBeGreaterThan(40);
    const leaks = bodies.flatMap((text) => [...secrets, 'sk-ant-'].filter((secret) => text.includes(secret)));
    expect(leaks).toEqual([]);
  });
});
