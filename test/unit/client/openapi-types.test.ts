// The typed client against docs/openapi.yaml: the committed generated types are what the document gives today, and
// each client method resolves to exactly the type the document gives its operation's success answer. The type-level
// checks are compiled by `npm run typecheck` (and by ts-jest here): a drift is a compile error naming the method.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { SupervisorClient } from '../../../src/client/supervisor-client.js';
import type { components, operations } from '../../../src/client/supervisor-api.generated.js';
import type { ConfigValue, ErrorResponse, LogEvent } from '../../../src/client/supervisor-types.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const generated = join(root, 'src/client/supervisor-api.generated.ts');

// True only when A and B are the same type (not merely assignable one way).
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Expect<T extends true> = T;
type Answer<M extends keyof SupervisorClient> = SupervisorClient[M] extends (...args: never[]) => Promise<infer R> ? R : never;
type Json<O extends keyof operations, S extends keyof operations[O]['responses']> = operations[O]['responses'][S] extends {
  content: { 'application/json': infer B };
}
  ? B
  : never;
type Schemas = components['schemas'];

// Each client method resolves to its operation's documented answer.
export type _ClientAnswers = [
  Expect<Equal<Answer<'health'>, Json<'getHealth', 200>>>,
  Expect<Equal<Answer<'status'>, Json<'getStatus', 200>>>,
  Expect<Equal<Answer<'startServer'>, Json<'serverCommand', 200> | Json<'serverCommand', 202>>>,
  Expect<Equal<Answer<'stopServer'>, Json<'serverCommand', 200> | Json<'serverCommand', 202>>>,
  Expect<Equal<Answer<'restartServer'>, Json<'serverCommand', 200> | Json<'serverCommand', 202>>>,
  Expect<Equal<Answer<'getConfig'>, Json<'getConfig', 200>>>,
  Expect<Equal<Answer<'updateConfig'>, Json<'updateConfig', 200>>>,
  Expect<Equal<Answer<'models'>, Json<'getModels', 200>>>,
  Expect<Equal<Answer<'refreshModels'>, Json<'refreshModels', 200>>>,
  Expect<Equal<Answer<'machines'>, Json<'getMachines', 200>>>,
  Expect<Equal<Answer<'history'>, Json<'getHistory', 200>>>,
  Expect<Equal<Answer<'metricsHistory'>, Json<'getMetricsHistory', 200>>>,
];

// The client's own shapes hold every documented body they stand for.
type Values = Schemas['ConfigValues'];
export type _ClientShapes = [
  // Every error body the document gives is an ErrorResponse the client can read.
  Expect<
    | Schemas['Error']
    | Schemas['ServerCommandFailed']
    | Schemas['ConfigInvalidError']
    | Schemas['UnknownKeyError']
    | Schemas['KeyNotEditableError']
    | Schemas['InvalidConfigValueError']
    | Schemas['ConfigRolledBackError']
    | Schemas['ConfigRestoreFailedError'] extends ErrorResponse
      ? true
      : false
  >,
  // Every editable value is a ConfigValue.
  Expect<{ [K in keyof Values]-?: Exclude<Values[K], undefined> extends ConfigValue ? true : false }[keyof Values]>,
  // A log event carries the documented line or error.
  Expect<Equal<Extract<LogEvent, { kind: 'line' }>['line'], Schemas['LogLine']['line']>>,
  Expect<Equal<Extract<LogEvent, { kind: 'error' }>['error'], Schemas['LogError']['error']>>,
  // The events stream yields the documented history event.
  Expect<Equal<SupervisorClient['events'] extends (...args: never[]) => AsyncGenerator<infer E> ? E : never, Schemas['HistoryEvent']>>,
];

describe('the generated API types', () => {
  it('are what `npm run openapi:types` gives from docs/openapi.yaml today', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openapi-types-'));
    try {
      const output = join(dir, 'generated.ts');
      // The same command as the npm script, so a difference means the committed file is stale.
      await promisify(execFile)(process.execPath, [join(root, 'node_modules/openapi-typescript/bin/cli.js'), 'docs/openapi.yaml', '--output', output], { cwd: root });
      const fresh = readFileSync(output, 'utf8');
      // If this fails: run `npm run openapi:types` and commit src/client/supervisor-api.generated.ts.
      expect(readFileSync(generated, 'utf8') === fresh).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
