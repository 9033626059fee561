// The contract check (test/support/contract.ts) catches drift: an undocumented field, status, event or content type
// fails with a message naming path, status and what is wrong. Bodies come from the real views where there is one.
import { createActor } from 'xstate';
import { serverLifecycleMachine } from '../../../machines/server-lifecycle.machine.js';
import { errorBody, SupervisorError } from '../../../src/errors.js';
import { statusView } from '../../../src/http/views.js';
import { fallbackModels } from '../../../src/models/fallback-models.js';
import { currentModelInfo } from '../../../src/models/current-model.js';
import { modelsView } from '../../../src/models/models-view.js';
import { closeSchema, createContract, findPath, type ContractAnswer } from '../../support/contract.js';
import { defaultPolicy } from '../../support/lifecycle-policy.js';

const contract = createContract();
const json = { 'content-type': 'application/json; charset=utf-8' };

function answer(method: string, url: string, status: number, body: unknown, headers: ContractAnswer['headers'] = json): ContractAnswer {
  return { method, url, status, headers, text: typeof body === 'string' ? body : JSON.stringify(body) };
}

// The status of a supervisor whose server has not started yet, as the route renders it.
function status(): Record<string, unknown> {
  const snapshot = createActor(serverLifecycleMachine, { input: { policy: defaultPolicy } }).getSnapshot();
  return statusView({
    now: 10_000,
    supervisorStartedAt: 0,
    supervisorVersion: '0.1.0',
    server: { value: snapshot.value, context: snapshot.context },
    configLoaded: true,
    defaultModel: 'opus',
    defaultModelInfo: currentModelInfo('opus', fallbackModels, null),
    metrics: null,
    lastCrash: null,
    historySeq: 0,
  });
}

const error = (code: ConstructorParameters<typeof SupervisorError>[0], extra: Record<string, unknown> = {}) =>
  errorBody(new SupervisorError(code, 'what was wrong', { extra }));

describe('the contract check', () => {
  it('passes what the views render', () => {
    expect(contract.check(answer('GET', '/supervisor/status', 200, status()))).toBeNull();
    const models = modelsView({
      cache: { credentialId: null, models: null, cachedAt: null, lastError: null, lookups: [] },
      fetching: false,
      credentialId: null,
      showAll: true,
      currentModel: 'claude-3-7-sonnet-20250219',
      ttlMs: 1,
      requestedAt: 0,
      now: 0,
      fallback: fallbackModels,
    });
    expect(contract.check(answer('GET', '/supervisor/models?show_all=true', 200, models))).toBeNull();
    expect(contract.check(answer('POST', '/supervisor/server/start', 200, { success: true, message: 'Server started', status: status() }))).toBeNull();
  });

  it('fails a field the document does not list, naming path, status and the field', () => {
    const violation = contract.check(answer('GET', '/supervisor/status', 200, { ...status(), uptime_ms: 5 }));
    expect(violation).toContain("GET /supervisor/status answered 200 with a body that does not match docs/openapi.yaml at paths['/supervisor/status'].get.responses['200']");
    expect(violation).toContain('must NOT have unevaluated properties ("uptime_ms")');
  });

  it('fails a field nested in a documented object, and a missing or mistyped one', () => {
    const nested = { success: true, message: 'Server started', status: { ...status(), extra: 1 } };
    expect(contract.check(answer('POST', '/supervisor/server/start', 200, nested))).toContain('/status must NOT have unevaluated properties ("extra")');
    const { main_server_state: _dropped, ...missing } = status();
    expect(contract.check(answer('GET', '/supervisor/status', 200, missing))).toContain("must have required property 'main_server_state'");
    expect(contract.check(answer('GET', '/supervisor/status', 200, { ...status(), restart_count: 1.5 }))).toContain('/restart_count must be integer');
  });

  it('fails a status the document does not list for the operation', () => {
    expect(contract.check(answer('GET', '/supervisor/status', 409, error('ERR_CONFLICT')))).toBe(
      "GET /supervisor/status answered 409, a status docs/openapi.yaml does not list at paths['/supervisor/status'].get.responses (it lists 200, 400, 401, 403, 413, 415, 500)",
    );
  });

  it('holds error bodies to their code and their fields', () => {
    expect(contract.check(answer('GET', '/supervisor/status', 403, error('ERR_FORBIDDEN_HOST')))).toBeNull();
    expect(contract.check(answer('GET', '/supervisor/status', 403, error('ERR_NOT_FOUND')))).toContain('/code must be equal to one of the allowed values');
    expect(contract.check(answer('GET', '/supervisor/status', 403, error('ERR_FORBIDDEN_HOST', { host: 'evil' })))).toContain('("host")');
    expect(contract.check(answer('GET', '/supervisor/config', 503, error('ERR_CONFIG_INVALID', { line: 3, column: 1 })))).toBeNull();
    expect(contract.check(answer('GET', '/supervisor/config', 503, error('ERR_CONFIG_INVALID')))).toContain("must have required property 'line'");
  });

  it('holds unlisted paths and methods to what the document says of them', () => {
    expect(contract.check(answer('GET', '/supervisor/nope', 404, error('ERR_NOT_FOUND')))).toBeNull();
    expect(contract.check(answer('GET', '/supervisor/nope', 200, { status: 'ok' }))).toContain('(the path is not listed)');
    expect(contract.check(answer('DELETE', '/supervisor/status', 405, error('ERR_METHOD_NOT_ALLOWED')))).toBeNull();
    expect(contract.check(answer('DELETE', '/supervisor/status', 404, error('ERR_NOT_FOUND')))).toContain('DELETE is not listed');
    // The web UI's paths answer other methods as unlisted paths.
    expect(contract.check(answer('POST', '/supervisor/ui/', 404, error('ERR_NOT_FOUND')))).toBeNull();
  });

  it('matches paths as Express does: exact first, then case-insensitively and without a trailing slash', () => {
    const paths = contract.document.paths as Parameters<typeof findPath>[0];
    expect(findPath(paths, '/supervisor/server/restart')?.template).toBe('/supervisor/server/{action}');
    expect(findPath(paths, '/supervisor/ui/')?.template).toBe('/supervisor/ui/');
    expect(findPath(paths, '/supervisor/ui')?.template).toBe('/supervisor/ui');
    expect(findPath(paths, '/Supervisor/Status/')?.template).toBe('/supervisor/status');
    expect(findPath(paths, '/supervisor/server/start/now')).toBeNull();
  });

  it('fails a content type the document does not list, and a JSON body where it lists none', () => {
    expect(contract.check(answer('GET', '/supervisor/status', 200, '<html></html>', { 'content-type': 'text/html' }))).toContain(
      'with content-type "text/html", which docs/openapi.yaml does not list',
    );
    expect(contract.check(answer('GET', '/supervisor/ui', 301, { moved: true }))).toContain('with a JSON body, but docs/openapi.yaml lists no content');
    expect(contract.check(answer('HEAD', '/supervisor/status', 200, ''))).toBeNull();
  });

  it('checks the data of every event of a stream against its event schema', () => {
    expect(contract.checkEvent('/supervisor/logs?lines=5', undefined, JSON.stringify({ line: 'hello' }))).toBeNull();
    expect(contract.checkEvent('/supervisor/logs', undefined, JSON.stringify({ error: 'Log file not found' }))).toBeNull();
    expect(contract.checkEvent('/supervisor/logs', undefined, JSON.stringify({ line: 'x', at: 1 }))).toContain('must match exactly one schema in oneOf');
    expect(contract.checkEvent('/supervisor/logs', 'progress', '{}')).toContain('sent a "progress" event, which docs/openapi.yaml does not list');
    const snapshot = { actor: 'server', value: 'stopped', status: 'active', context: {}, at: 1 };
    expect(contract.checkEvent('/supervisor/inspect', 'snapshot', JSON.stringify(snapshot))).toBeNull();
    expect(contract.checkEvent('/supervisor/inspect', 'snapshot', JSON.stringify({ ...snapshot, actor: 'scheduler' }))).toContain('/actor must be equal to one of the allowed values');
    const stream = `id: 6\ndata: {"line":"hello"}\n\nid: 12\ndata: {"line":"world","n":2}\n\n`;
    expect(contract.check(answer('GET', '/supervisor/logs?follow=false', 200, stream, { 'content-type': 'text/event-stream' }))).toContain('"n"');
  });
});

describe('closeSchema', () => {
  it('closes object schemas unless they say otherwise, leaving allOf members open', () => {
    const schema = {
      type: 'object',
      properties: { inner: { properties: { a: { type: 'string' } } }, free: { type: 'object', additionalProperties: true } },
      allOf: [{ properties: { b: { const: 1 } } }],
    };
    expect(closeSchema(schema)).toEqual({
      type: 'object',
      properties: {
        inner: { properties: { a: { type: 'string' } }, unevaluatedProperties: false },
        free: { type: 'object', additionalProperties: true },
      },
      allOf: [{ properties: { b: { const: 1 } } }],
      unevaluatedProperties: false,
    });
  });

  it('points component refs where the validator keeps them, and leaves data alone', () => {
    const schema = { $ref: '#/components/schemas/Error', examples: [{ properties: 1 }], const: { type: 'object' } };
    expect(closeSchema(schema, 'c#/$defs/')).toEqual({ $ref: 'c#/$defs/Error', examples: [{ properties: 1 }], const: { type: 'object' } });
  });
});
