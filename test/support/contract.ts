// The contract check: answers the tests receive are validated against docs/openapi.yaml, so the document cannot
// drift from the app. Stricter than the document reads: every object it describes is closed (no field it does not
// list), unless it says `additionalProperties` itself. Used by test/support/http.ts, sse-client.ts and
// fake-supervisor.ts; violations also fail the running test from test/support/contract-setup.ts.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/** Where the document is, for messages and for tests that read it. */
export const openApiPath = fileURLToPath(new URL('../../docs/openapi.yaml', import.meta.url));

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** One HTTP answer as a test received it. */
export interface ContractAnswer {
  method: string;
  /** Full URL or path (with query); only the path is matched. */
  url: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body as text; '' when there was none (HEAD) or it was not read (an event stream). */
  text: string;
}

// Keywords whose values are schemas, as a map, a list, or one schema; every other keyword is copied as data.
const schemaMaps = ['properties', 'patternProperties', '$defs', 'dependentSchemas'];
const schemaLists = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const schemaValues = ['additionalProperties', 'unevaluatedProperties', 'items', 'contains', 'propertyNames', 'not', 'if', 'then', 'else', 'unevaluatedItems'];
const componentsId = 'openapi-components';

/**
 * A copy of `schema` in which every object schema that does not say `additionalProperties` or
 * `unevaluatedProperties` gets `unevaluatedProperties: false`, and `#/components/schemas/X` refs point at `refBase`.
 * Direct members of an `allOf` stay open: they describe parts of one object, closed where they are combined.
 */
export function closeSchema(schema: Json, refBase = '#/components/schemas/', inAllOf = false): Json {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$ref' && typeof value === 'string') out[key] = value.replace('#/components/schemas/', refBase);
    else if (schemaMaps.includes(key) && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, closeSchema(sub, refBase)]));
    } else if (schemaLists.includes(key) && Array.isArray(value)) out[key] = value.map((sub) => closeSchema(sub, refBase, key === 'allOf'));
    else if (schemaValues.includes(key)) out[key] = closeSchema(value, refBase);
    else out[key] = value;
  }
  const type = schema.type;
  const objectLike = type === 'object' || (Array.isArray(type) && type.includes('object')) || 'properties' in schema;
  if (objectLike && !inAllOf && !('additionalProperties' in schema) && !('unevaluatedProperties' in schema)) out.unevaluatedProperties = false;
  return out;
}

/** The document and a validator for it, built once per test file. */
export interface Contract {
  document: JsonObject;
  /** Null when `answer` is what the document says; else a message naming method, path, status and what is wrong. */
  check(answer: ContractAnswer): string | null;
  /** Null when an event of the stream at `url` is documented and its `data` matches; else what is wrong. */
  checkEvent(url: string, event: string | undefined, data: string): string | null;
}

/** Builds the contract check for a document (the repository's by default). */
export function createContract(document: JsonObject = loadDocument()): Contract {
  // Strict: an unknown keyword (a typo in the document) is an error. Not strictTypes: OpenAPI schemas often narrow
  // `properties` without repeating `type: object` (e.g. in an allOf member).
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, allowUnionTypes: true });
  addFormats.default(ajv);
  const refBase = `${componentsId}#/$defs/`;
  const schemas = (document.components as JsonObject | undefined)?.schemas;
  const defs = Object.entries(isObject(schemas) ? schemas : {}).map(([name, schema]) => [name, closeSchema(schema, refBase)]);
  ajv.addSchema({ $id: componentsId, $defs: Object.fromEntries(defs) });
  const compiled = new Map<string, ValidateFunction>();
  const paths = (document.paths ?? {}) as JsonObject;

  // One compiled validator per place in the document.
  const validate = (at: string, schema: Json, value: Json): string | null => {
    let validator = compiled.get(at);
    if (!validator) {
      validator = ajv.compile(closeSchema(schema, refBase) as JsonObject);
      compiled.set(at, validator);
    }
    return validator(value) ? null : describe(validator.errors);
  };

  // The responses a request may get: its operation's, or what the document says of unlisted methods and paths.
  const responsesFor = (method: string, path: string): { responses: JsonObject; at: string } => {
    const found = findPath(paths, path);
    if (!found) return { responses: resolve(document, document['x-other-paths']), at: 'x-other-paths (the path is not listed)' };
    const where = `paths['${found.template}']`;
    const key = method === 'HEAD' && !found.item.head ? 'get' : method.toLowerCase();
    const operation = found.item[key];
    if (isObject(operation)) return { responses: resolve(document, operation.responses), at: `${where}.${key}.responses` };
    return { responses: resolve(document, found.item['x-other-methods'] ?? document['x-other-methods']), at: `${where} x-other-methods (${method} is not listed)` };
  };

  const checkEvent = (url: string, event: string | undefined, data: string): string | null => {
    const path = pathOf(url);
    const name = event ?? 'message';
    const found = findPath(paths, path);
    const operation = found?.item.get;
    const ok = isObject(operation) ? resolve(document, resolve(document, operation.responses)['200']) : null;
    const events = ok?.['x-sse-events'];
    if (!found || !isObject(events)) return `GET ${path} sent an event stream, but docs/openapi.yaml lists no x-sse-events for it`;
    const schema = events[name];
    if (schema === undefined) {
      return `GET ${path} sent a "${name}" event, which docs/openapi.yaml does not list (it lists ${Object.keys(events).join(', ')})`;
    }
    const at = `paths['${found.template}'].get.responses['200'] x-sse-events.${name}`;
    const parsed = parseJson(data);
    if (!parsed.ok) return `GET ${path} sent a "${name}" event whose data is not JSON: ${data.slice(0, 200)}`;
    const problem = validate(at, schema, parsed.value);
    return problem && `GET ${path} sent a "${name}" event whose data does not match docs/openapi.yaml at ${at}: ${problem}\n  data: ${data.slice(0, 500)}`;
  };

  const check = (answer: ContractAnswer): string | null => {
    const method = answer.method.toUpperCase();
    const path = pathOf(answer.url);
    const { responses, at } = responsesFor(method, path);
    const status = String(answer.status);
    const label = `${method} ${path} answered ${status}`;
    const response = responses[status] ?? responses[`${status[0]}XX`] ?? responses.default;
    if (response === undefined) return `${label}, a status docs/openapi.yaml does not list at ${at} (it lists ${Object.keys(responses).join(', ')})`;
    const content = resolve(document, response).content;
    const mediaType = mediaTypeOf(answer.headers['content-type']);
    // No body to judge: a HEAD answer, an empty body, or a response the document gives no content (a redirect's note).
    if (answer.text === '' || !isObject(content)) {
      const jsonWhereNone = mediaType === 'application/json' && answer.text !== '' && !isObject(content);
      return jsonWhereNone ? `${label} with a JSON body, but docs/openapi.yaml lists no content at ${at}['${status}']` : null;
    }
    if (!(mediaType in content)) {
      return `${label} with content-type ${JSON.stringify(mediaType)}, which docs/openapi.yaml does not list at ${at}['${status}'] (it lists ${Object.keys(content).join(', ')})`;
    }
    if (mediaType === 'text/event-stream') {
      for (const { event, data } of eventsIn(answer.text)) {
        const problem = checkEvent(answer.url, event, data);
        if (problem) return problem;
      }
      return null;
    }
    if (mediaType !== 'application/json') return null;
    const parsed = parseJson(answer.text);
    if (!parsed.ok) return `${label} with content-type application/json but a body that is not JSON: ${answer.text.slice(0, 200)}`;
    const schema = (content[mediaType] as JsonObject).schema ?? {};
    const problem = validate(`${at}['${status}']`, schema, parsed.value);
    return problem && `${label} with a body that does not match docs/openapi.yaml at ${at}['${status}']: ${problem}\n  body: ${answer.text.slice(0, 500)}`;
  };

  return { document, check, checkEvent };
}

function parseJson(text: string): { ok: true; value: Json } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as Json };
  } catch {
    return { ok: false };
  }
}

/** The events of an event stream's text: blocks ended by a blank line, with their `event` and joined `data` lines. */
export function eventsIn(text: string): { event: string | undefined; data: string }[] {
  const events: { event: string | undefined; data: string }[] = [];
  for (const block of text.split(/\r\n\r\n|\n\n|\r\r/)) {
    let event: string | undefined;
    const data: string[] = [];
    for (const line of block.split(/\r\n|\n|\r/)) {
      const colon = line.indexOf(':');
      if (colon === 0) continue;
      const name = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (name === 'data') data.push(value);
      else if (name === 'event') event = value;
    }
    if (data.length > 0) events.push({ event, data: data.join('\n') });
  }
  return events;
}

/** docs/openapi.yaml, parsed. */
export function loadDocument(path = openApiPath): JsonObject {
  return parse(readFileSync(path, 'utf8')) as JsonObject;
}

/**
 * The listed path that `path` is served as: an exact template match first (most literal segments win), then as
 * Express matches by default (case-insensitive, a trailing slash ignored). Null when the document does not list it.
 */
export function findPath(paths: JsonObject, path: string): { template: string; item: JsonObject } | null {
  const exact = bestMatch(paths, path, (a, b) => a === b);
  if (exact) return exact;
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  return bestMatch(paths, trimmed, (a, b) => a.toLowerCase() === b.toLowerCase(), true);
}

function bestMatch(
  paths: JsonObject,
  path: string,
  same: (a: string, b: string) => boolean,
  trimTemplates = false,
): { template: string; item: JsonObject } | null {
  const segments = path.split('/');
  let best: { template: string; item: JsonObject; literal: number } | null = null;
  for (const [template, item] of Object.entries(paths)) {
    const shape = trimTemplates && template.length > 1 ? template.replace(/\/+$/, '') : template;
    const parts = shape.split('/');
    if (parts.length !== segments.length || !isObject(item)) continue;
    let literal = 0;
    const matches = parts.every((part, i) => {
      const segment = segments[i] ?? '';
      if (/^\{[^}]+\}$/.test(part)) return segment !== '';
      literal += 1;
      return same(part, segment);
    });
    if (matches && (!best || literal > best.literal)) best = { template, item, literal };
  }
  return best && { template: best.template, item: best.item };
}

function pathOf(url: string): string {
  return new URL(url, 'http://contract.invalid').pathname;
}

function mediaTypeOf(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return (value ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

// Follows local `$ref`s (`#/components/responses/X`, `#/x-other-paths`) to the object they name.
function resolve(document: JsonObject, value: Json | undefined): JsonObject {
  let current = value;
  for (let hops = 0; isObject(current) && typeof current.$ref === 'string'; hops++) {
    if (hops > 10) throw new Error(`docs/openapi.yaml: $ref loop at ${current.$ref}`);
    const ref: string = current.$ref;
    if (!ref.startsWith('#/')) throw new Error(`docs/openapi.yaml: only local $refs are supported, got ${ref}`);
    current = ref
      .slice(2)
      .split('/')
      .reduce<Json | undefined>((node, key) => (isObject(node) ? node[key.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), document);
    if (current === undefined) throw new Error(`docs/openapi.yaml: $ref ${ref} points at nothing`);
  }
  if (!isObject(current)) throw new Error(`docs/openapi.yaml: expected an object, got ${JSON.stringify(current)}`);
  return current;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map((error) => {
      const extra = error.params.unevaluatedProperty ?? error.params.allowedValues ?? error.params.allowedValue ?? error.params.missingProperty;
      return `${error.instancePath || '(body)'} ${error.message ?? 'is invalid'}${extra === undefined ? '' : ` (${JSON.stringify(extra)})`}`;
    })
    .join('; ');
}

let shared: Contract | null = null;
/** The contract of the repository's document, built on first use in this test file. */
export function contract(): Contract {
  return (shared ??= createContract());
}

const registry = Symbol.for('parachute-supervisor.contract-violations');
type Registry = { [registry]?: string[] };

/** Notes a violation; contract-setup.ts fails the running test with it after the test body ends. */
export function recordViolation(message: string): void {
  ((globalThis as Registry)[registry] ??= []).push(message);
}

/** The violations noted since the last call, and forgets them. */
export function takeViolations(): string[] {
  const found = (globalThis as Registry)[registry] ?? [];
  (globalThis as Registry)[registry] = [];
  return found;
}

/** Checks an answer of the supervisor API (a `/supervisor/…` path); returns and records the violation, if any. */
export function checkAnswer(answer: ContractAnswer): string | null {
  if (!isSupervisorPath(pathOf(answer.url))) return null;
  return noted(() => contract().check(answer));
}

/** Checks one event of a supervisor event stream; returns and records the violation, if any. */
export function checkEvent(url: string, event: string | undefined, data: string): string | null {
  if (!isSupervisorPath(pathOf(url))) return null;
  return noted(() => contract().checkEvent(url, event, data));
}

// A document the check cannot use (a broken $ref, a schema ajv refuses) is reported like a mismatch, never thrown
// where nobody catches it (inside a socket's event handler).
function noted(run: () => string | null): string | null {
  let violation: string | null;
  try {
    violation = run();
  } catch (error) {
    violation = `docs/openapi.yaml cannot be used to check the answer: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (violation) recordViolation(violation);
  return violation;
}

function isSupervisorPath(path: string): boolean {
  return path.toLowerCase().startsWith('/supervisor/') || path.toLowerCase() === '/supervisor';
}
