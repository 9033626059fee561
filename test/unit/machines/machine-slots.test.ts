// One check for every machine in machines/: a pure definition (xstate and its own files only), and every effect slot
// src/ must fill fails loudly when left unprovided (machines/not-provided.ts).
import { readdirSync, readFileSync } from 'node:fs';
import { createActor, setup, type AnyActorLogic, type AnyStateMachine } from 'xstate';
import { configApplyMachine } from '../../../machines/config-apply.machine.js';
import { modelCacheMachine } from '../../../machines/model-cache.machine.js';
import { notProvided } from '../../../machines/not-provided.js';
import { serverLifecycleMachine } from '../../../machines/server-lifecycle.machine.js';
import { supervisorMachine } from '../../../machines/supervisor.machine.js';
import { defaultPolicy } from '../../support/lifecycle-policy.js';

const machinesDir = new URL('../../../machines/', import.meta.url);
const files = readdirSync(machinesDir).filter((f) => f.endsWith('.ts'));
const source = (file: string) => readFileSync(new URL(file, machinesDir), 'utf8');

const machines: Record<string, AnyStateMachine> = {
  'supervisor.machine.ts': supervisorMachine,
  'server-lifecycle.machine.ts': serverLifecycleMachine,
  'config-apply.machine.ts': configApplyMachine,
  'model-cache.machine.ts': modelCacheMachine,
};
const machineList = Object.values(machines);

const isMachine = (logic: AnyActorLogic): logic is AnyStateMachine => machineList.includes(logic as AnyStateMachine);
// xstate's own action creators (assign, sendTo, raise, spawnChild, emit, enqueueActions …) carry a `type` like 'xstate.assign'.
const isBuiltInAction = (action: unknown) => {
  const type = typeof action === 'function' ? (action as unknown as { type?: unknown }).type : undefined;
  return typeof type === 'string' && type.startsWith('xstate.');
};

// Runs one actor slot on its own and resolves with the error it ended in (null if it did not fail).
function failureOf(logic: AnyActorLogic): Promise<Error | null> {
  return new Promise((resolve) => {
    const actor = createActor(logic, { input: {} });
    const timer = setTimeout(() => {
      actor.stop();
      resolve(null);
    }, 1_000);
    actor.subscribe({
      error: (error) => {
        clearTimeout(timer);
        resolve(error as Error);
      },
    });
    actor.start();
  });
}

describe('machines/', () => {
  it('holds the four machines this test knows (a new machine must be added here)', () => {
    expect(files.filter((f) => f.endsWith('.machine.ts')).sort()).toEqual(Object.keys(machines).sort());
  });

  it.each(files)('%s imports only xstate and files of machines/', (file) => {
    const imports = [...source(file).matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'/gm)].map((m) => m[1]);
    expect(imports.filter((path) => path !== 'xstate' && !/^\.\/[\w.-]+\.js$/.test(path ?? ''))).toEqual([]);
    // Dynamic imports and require would dodge the check above.
    expect(source(file)).not.toMatch(/\bimport\(|\brequire\(/);
  });

  it.each(files)('%s reads no clock, timer, process or environment', (file) => {
    // Quoted, `process.exited` and `process.kill` are event names, not Node's process.
    const nodeProcess = /(?<!['"\w.])process\.(env|argv|cwd|exit|hrtime|kill|memoryUsage|nextTick|pid|platform|stdout|stderr|uptime)\b/;
    expect(source(file)).not.toMatch(/Date\.now|new Date|setTimeout|setInterval|performance\./);
    expect(source(file)).not.toMatch(nodeProcess);
  });
});

describe.each(Object.entries(machines))('effect slots of %s', (_file, machine) => {
  const { actors, actions } = machine.implementations;

  it('fail with "not provided: <slot>" when run unprovided (or are machines of machines/, checked on their own)', async () => {
    const failures: Record<string, string | null> = {};
    for (const [slot, logic] of Object.entries(actors)) {
      if (isMachine(logic as AnyActorLogic)) continue;
      failures[slot] = (await failureOf(logic as AnyActorLogic))?.message ?? null;
    }
    expect(failures).toEqual(Object.fromEntries(Object.keys(failures).map((slot) => [slot, `not provided: ${slot}`])));
  });

  it('has no action with an effect of its own: each is an xstate action creator or throws "not provided: <slot>"', () => {
    const effects = Object.entries(actions).filter(([, action]) => !isBuiltInAction(action));
    for (const [slot, action] of effects) expect(() => (action as () => void)()).toThrow(`not provided: ${slot}`);
  });
});

describe('a missing .provide() is a crash, not a silent no-op', () => {
  it('the supervisor with an unprovided lifecycle fails as soon as the lifecycle starts (stopped releases the socket)', () => {
    const root = createActor(supervisorMachine, { input: { policy: defaultPolicy, boot: { type: 'start' }, keepServer: false } });
    const errors: unknown[] = [];
    root.subscribe({ error: (error) => errors.push(error) });
    root.start();
    expect(root.getSnapshot().status).toBe('error');
    expect(errors).toEqual([new Error('not provided: releaseSocket')]);
  });

  it('an unprovided action slot throws when its transition runs', () => {
    const machine = setup({ actions: { announce: notProvided.action('announce') } }).createMachine({
      on: { ping: { actions: 'announce' } },
    });
    const actor = createActor(machine);
    const errors: unknown[] = [];
    actor.subscribe({ error: (error) => errors.push(error) });
    actor.start();
    actor.send({ type: 'ping' });
    expect(errors).toEqual([new Error('not provided: announce')]);
  });
});
