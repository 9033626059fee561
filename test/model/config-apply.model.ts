// The config applier's statechart as a model of the real daemon: the steps a test can cause from each state (a PUT,
// an outcome of the restart it steers through the fixture, a hand edit of config.yaml), and the paths xstate/graph
// generates. test/model/config-apply.replay.ts replays them against a real supervisor.
import { createActor, createEmptyActor, fromPromise, type ActorLogic, type AnyActorScope, type AnyTransitionDefinition, type SnapshotFrom } from 'xstate';
import { TestModel } from 'xstate/graph';
import {
  configApplyMachine,
  type ConfigApplyEmitted,
  type ConfigApplyEvent,
  type ConfigBackupHandle,
  type ConfigWritten,
} from '../../machines/config-apply.machine.js';
import { statePath } from '../../src/actors/state-value.js';
import { labelOf } from '../support/machine-coverage.js';

/** A snapshot of the config applier. */
export type ConfigSnapshot = SnapshotFrom<typeof configApplyMachine>;

/** config.yaml as the test has left it: as written, broken by hand, or edited by hand since the applier wrote it. */
export type FileState = 'ok' | 'broken' | 'edited';

/** A state of the model: the applier's snapshot and the file. */
export interface ConfigModelState {
  status: 'active';
  output: undefined;
  error: undefined;
  machine: ConfigSnapshot;
  file: FileState;
}

/** What the test does to config.yaml by hand; no machine event. */
export type FileStep = { type: 'file.break' } | { type: 'file.fix' } | { type: 'file.edit' };

/** An outcome of one of the applier's effects (an invoked actor's done or error event). */
export type OutcomeStep = { type: string; output?: unknown; error?: unknown };

/** One step of a path: a PUT, an effect's outcome, or a hand edit. */
export type ConfigStep = ConfigApplyEvent | OutcomeStep | FileStep;

// The done/error event of the effect invoked in a state, as XState names it.
const invokeId = (state: string) => (configApplyMachine.getStateNodeById(`configApply.${state}`).invoke[0] as { id: string }).id;
const done = (state: string) => `xstate.done.actor.${invokeId(state)}`;
const failed = (state: string) => `xstate.error.actor.${invokeId(state)}`;

/** The effects' outcomes, by what the test arranged. */
export const outcomes = {
  written: { type: done('writing'), output: { backup: { path: '' }, updatedKeys: ['max_message_length'], config: {} } },
  writeRefused: { type: failed('writing'), error: { code: 'ERR_CONFIG_INVALID', message: '' } },
  restarted: { type: done('applying'), output: undefined },
  restartFailed: { type: failed('applying'), error: { message: '' } },
  restored: { type: done('rollingBack.restoring'), output: undefined },
  restoreRefused: { type: failed('rollingBack.restoring'), error: { code: 'ERR_CONFIG_WRITE', message: '' } },
  restartedOnRestored: { type: done('rollingBack.restarting'), output: undefined },
  failedOnRestored: { type: failed('rollingBack.restarting'), error: { message: '' } },
} as const satisfies Record<string, OutcomeStep>;

/** A PUT /supervisor/config of one value, restarting the server or not. */
export function apply(restart: boolean): ConfigApplyEvent {
  return { type: 'config.apply', request: { requestId: 'model', values: { max_message_length: 1 }, restart } };
}

const file = { break: { type: 'file.break' }, fix: { type: 'file.fix' }, edit: { type: 'file.edit' } } as const;

/** The steps the test can cause from a state (docs/testing.md). */
export function configStepsFrom(state: ConfigModelState): ConfigStep[] {
  const c = state.machine.context;
  switch (statePath(state.machine.value)) {
    case 'idle':
      return [apply(false), apply(true), state.file === 'broken' ? file.fix : file.break];
    case 'writing':
      return [state.file === 'broken' ? outcomes.writeRefused : outcomes.written];
    case 'applying':
      // Changes sent while one is applied wait in the queue; one more than it holds is refused. Once any waits, the
      // path only fills the queue (draining 64 writes would add length and no transition).
      if (c.queue.length > 0) return [apply(false)];
      return [outcomes.restarted, outcomes.restartFailed, apply(false), ...(state.file === 'ok' ? [file.edit] : [])];
    case 'rollingBack.restoring':
      // The restore puts the old bytes back only over the applier's own write, never over a hand edit.
      return [state.file === 'edited' ? outcomes.restoreRefused : outcomes.restored];
    default:
      // rollingBack.restarting
      return [outcomes.restartedOnRestored, outcomes.failedOnRestored];
  }
}

/** How a step comes about: the test acts (a PUT, a restart it steers), the daemon's own effect answers, or a hand edit. */
export type ConfigStepKind = 'act' | 'auto' | 'file';

/** The kind of a step. */
export function configStepKind(step: ConfigStep): ConfigStepKind {
  if (step.type.startsWith('file.')) return 'file';
  if (step.type === outcomes.written.type || step.type === outcomes.writeRefused.type) return 'auto';
  if (step.type === outcomes.restored.type || step.type === outcomes.restoreRefused.type) return 'auto';
  return 'act';
}

/** The model as actor logic: the applier's own transition function, plus the file. */
export function configModelLogic(): ActorLogic<ConfigModelState, ConfigStep> {
  const machine = configApplyMachine;
  const scopeOf = (scope: unknown) => scope as Parameters<typeof machine.transition>[2];
  const model = (snapshot: ConfigSnapshot, fileState: FileState): ConfigModelState => ({
    status: 'active',
    output: undefined,
    error: undefined,
    machine: snapshot,
    // Back at rest, a hand edit is simply what the file holds.
    file: fileState === 'edited' && statePath(snapshot.value) === 'idle' ? 'ok' : fileState,
  });
  return {
    getInitialSnapshot: (scope) => model(machine.getInitialSnapshot(scopeOf(scope), undefined), 'ok'),
    getPersistedSnapshot: (state) => state,
    transition: (state, step, scope) => {
      if (step.type === 'file.break') return model(state.machine, 'broken');
      if (step.type === 'file.fix') return model(state.machine, 'ok');
      if (step.type === 'file.edit') return model(state.machine, 'edited');
      return model(machine.transition(state.machine, step as ConfigApplyEvent, scopeOf(scope)), state.file);
    },
  };
}

/** What the model keeps of a state. */
export function abstractConfigState(state: ConfigModelState): string {
  const c = state.machine.context;
  return JSON.stringify({ at: statePath(state.machine.value), file: state.file, queue: c.queue.length, restart: c.current?.restart ?? null });
}

/** A step as the path descriptions show it. */
export function configStepName(step: ConfigStep): string {
  if (step.type === 'config.apply') return `PUT (restart: ${(step as ConfigApplyEvent).request.restart})`;
  const outcome = Object.entries(outcomes).find(([, o]) => o.type === step.type);
  return outcome ? outcome[0] : step.type;
}

/** One generated path: the steps in order, and the labels of the transitions they take. */
export interface ConfigPath {
  description: string;
  steps: { step: ConfigStep; kind: ConfigStepKind; before: ConfigModelState; after: ConfigModelState }[];
  transitions: Set<string>;
}

/** Paths from xstate/graph's TestModel: the shortest to every edge of the abstract graph, then the fewest covering every transition. */
export function generateConfigPaths(): ConfigPath[] {
  const model = new TestModel(configModelLogic(), {
    events: configStepsFrom,
    serializeState: (state: ConfigModelState, step: ConfigStep | undefined, previous?: ConfigModelState) =>
      previous && step ? `${abstractConfigState(previous)} --${configStepName(step)}--> ${abstractConfigState(state)}` : abstractConfigState(state),
  });
  const candidates = model.getShortestPaths().map((path) => configPathOf(path.steps.slice(1).map((s) => s.event)));
  const chosen: ConfigPath[] = [];
  const taken = new Set<string>();
  for (;;) {
    const gain = (p: ConfigPath) => [...p.transitions].filter((t) => !taken.has(t)).length;
    const best = candidates.reduce<ConfigPath | null>((b, p) => (gain(p) > (b ? gain(b) : 0) || (b && gain(p) === gain(b) && gain(p) > 0 && p.steps.length < b.steps.length) ? p : b), null);
    if (!best || gain(best) === 0) return chosen;
    chosen.push(best);
    for (const t of best.transitions) taken.add(t);
  }
}

/** A path given step by step, each checked to be one the model offers where it is taken. */
export function configPathOf(given: ConfigStep[]): ConfigPath {
  const logic = configModelLogic();
  const self = createEmptyActor();
  const scope = { self, logger: () => undefined, id: '', sessionId: 'model', defer: () => undefined, system: self.system, stopChild: () => undefined, emit: () => undefined, actionExecutor: () => undefined } as unknown as AnyActorScope;
  let state = logic.getInitialSnapshot(scope, undefined);
  const steps = given.map((step) => {
    const before = state;
    if (!configStepsFrom(before).some((offered) => JSON.stringify(offered) === JSON.stringify(step))) {
      throw new Error(`${configStepName(step)} cannot be taken in ${abstractConfigState(before)}`);
    }
    state = logic.transition(before, step, scope);
    return { step, kind: configStepKind(step), before, after: state };
  });
  const path: ConfigPath = { description: describeSteps(steps.map((s) => s.step)), steps, transitions: new Set() };
  const oracle = createConfigOracle();
  for (const { step } of steps) if (!step.type.startsWith('file.')) for (const label of oracle.send(step)) path.transitions.add(label);
  oracle.actor.stop();
  return path;
}

// "PUT (restart: false) ×65" for a run of the same step.
function describeSteps(steps: ConfigStep[]): string {
  const names: string[] = [];
  let run = 0;
  steps.forEach((step, i) => {
    run += 1;
    const name = configStepName(step);
    if (name !== (steps[i + 1] ? configStepName(steps[i + 1] as ConfigStep) : null)) {
      names.push(run > 1 ? `${name} ×${run}` : name);
      run = 0;
    }
  });
  return names.join(' → ');
}

/** The bare applier with its effects never settling: the replay sends each outcome the daemon's effect had. */
export function createConfigOracle() {
  const pending = <TOutput, TInput>() => fromPromise<TOutput, TInput>(() => new Promise<TOutput>(() => undefined));
  const machine = configApplyMachine.provide({
    actors: {
      writeConfig: pending<ConfigWritten, { values: Record<string, unknown> }>(),
      restartServer: pending<void, void>(),
      restoreConfig: pending<void, { backup: ConfigBackupHandle }>(),
    },
  });
  const emitted: ConfigApplyEmitted[] = [];
  let microsteps: AnyTransitionDefinition[][] = [];
  const actor = createActor(machine, {
    inspect: (event) => {
      if (event.type === '@xstate.microstep' && event.actorRef === actor) microsteps.push((event as unknown as { _transitions: AnyTransitionDefinition[] })._transitions);
    },
  });
  actor.on('*', (event) => emitted.push(event as ConfigApplyEmitted));
  actor.start();
  return {
    actor,
    emitted,
    /** Sends one event; answers the labels of the transitions it took. */
    send(event: ConfigStep): string[] {
      microsteps = [];
      actor.send(event as ConfigApplyEvent);
      return microsteps.flat().map((t) => labelOf(machine, t));
    },
    snapshot: () => actor.getSnapshot(),
  };
}

