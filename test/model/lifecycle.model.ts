// The server lifecycle statechart as a model of the real daemon: which steps a test can cause from each state, and the
// paths through it that xstate/graph generates. A step is one thing the test does or waits for (a command over HTTP, an
// order to the steerable fixture, a timer to fire, a change to the port); the machine's own transition function says
// where it leads. test/model/lifecycle.replay.ts replays each path against a real supervisor.
import { createActor, createEmptyActor, fromCallback, SimulatedClock, type ActorLogic, type AnyActorScope, type AnyTransitionDefinition, type EventObject, type SnapshotFrom } from 'xstate';
import { TestModel, type TestPath } from 'xstate/graph';
import type { LifecycleFact } from '../../machines/lifecycle-facts.js';
import { backoffDelay, serverLifecycleMachine } from '../../machines/server-lifecycle.machine.js';
import type {
  LifecyclePolicy,
  LivenessInput,
  ProbeInput,
  ProcessCommand,
  RestartType,
  ServerLifecycleEvent,
  ServerProcessInput,
  SocketMode,
} from '../../machines/server-lifecycle.types.js';
import { statePath, topState } from '../../src/actors/state-value.js';
import { labelOf } from '../support/machine-coverage.js';

/** A snapshot of the server lifecycle. */
export type LifecycleSnapshot = SnapshotFrom<typeof serverLifecycleMachine>;

/** How the test has left the server's port: free, taken by a listener, or clogged (the port check waits 500 ms, then fails). */
export type PortState = 'free' | 'blocked' | 'clogged';

/**
 * A state of the model (an actor snapshot, for xstate/graph): the lifecycle machine's snapshot, the port, and whether
 * the liveness probe has been put to work in this stint of `running`. Only then does it probe often; and then the
 * server is not made to exit while running, since a probe landing between the exit and its report (the group is
 * drained first) would be a health.failed no path could predict.
 */
export interface ModelState {
  status: 'active';
  output: undefined;
  error: undefined;
  machine: LifecycleSnapshot;
  port: PortState;
  probed: boolean;
}

/** What the test does to the port; no machine event. */
export type PortStep = { type: 'port.block' } | { type: 'port.clog' } | { type: 'port.free' };

/** A timer of the lifecycle that fires (a delayed event). */
export type TimerStep = { type: (typeof timers)[keyof typeof timers] };

/** One step of a path. */
export type ModelStep = ServerLifecycleEvent | TimerStep | PortStep;

/** The lifecycle's delayed events, by the name of their delay. */
export const timers = {
  startTimeout: 'xstate.after.startTimeout.serverLifecycle.starting',
  stopTimeout: 'xstate.after.stopTimeout.serverLifecycle.stopping.terminating',
  restartBackoff: 'xstate.after.restartBackoff.serverLifecycle.crashed.backoff',
  stableAfter: 'xstate.after.stableAfter.serverLifecycle.running',
} as const;

/** The supervisor settings one family of paths runs under (config.yaml's supervisor.server). */
export interface Variant {
  name: string;
  restart: RestartType;
  socket: SocketMode;
}

/** The settings paths run under; the last two add what only they reach (a crash that is never restarted, a server ignoring fd 3). */
export const variants: Variant[] = [
  { name: 'restart: transient', restart: 'transient', socket: 'none' },
  { name: 'restart: temporary', restart: 'temporary', socket: 'none' },
  { name: 'socket: inherit', restart: 'transient', socket: 'inherit' },
];

// The policy in every path; the timings are the replay's choice per attempt (lifecycle.replay.ts).
/** Two crashes are allowed within the period; a third is a crash loop. */
export const intensity = 2;
/** Two failed liveness probes in a row are a crash. */
export const healthFailures = 2;
/** Longer than any path: every crash of a path counts. */
export const periodMs = 600_000;

/** The policy the model's traversal starts from (the replay's oracle starts from the real one). */
export function nominalPolicy(variant: Variant): LifecyclePolicy {
  return {
    port: 1,
    healthHost: '127.0.0.1',
    socket: variant.socket,
    healthPath: '/api/health',
    restart: variant.restart,
    startTimeoutMs: 1,
    stopTimeoutMs: 1,
    backoffMs: 1,
    backoffMaxMs: 1,
    intensity,
    periodMs,
    stableMs: 1,
    healthFailures,
  };
}

const at = 0;
/**
 * The model's stand-ins for what the daemon's effects report: pids and times are the real ones in the replay, which
 * checks the fields these fix (code, signal, version, message, adopted).
 */
export const facts = {
  spawned: { type: 'process.spawned', pid: 0, pgid: 0, at },
  adoptedSpawned: { type: 'process.spawned', pid: 0, pgid: 0, at, adopted: true },
  portTaken: { type: 'process.spawnFailed', code: 'ERR_PORT_IN_USE', message: 'port taken', at },
  killed: { type: 'process.exited', code: null, signal: 'SIGKILL', at },
  // An adopted server is not the supervisor's child: its end is seen by polling its pid, with no code or signal.
  adoptedGone: { type: 'process.exited', code: null, signal: null, at },
  exitedClean: { type: 'process.exited', code: 0, signal: null, at },
  crashed: { type: 'process.exited', code: 3, signal: null, at },
  boundPortItself: { type: 'process.exited', code: 1, signal: null, at, startFailure: { code: 'ERR_SOCKET_NOT_INHERITED', message: '' } },
  healthy: { type: 'health.ok', at, version: 'steerable-1' },
  unhealthy: { type: 'health.failed', at, message: 'health answered HTTP 503' },
} as const satisfies Record<string, ServerLifecycleEvent>;

/** The commands a test sends (over HTTP; the fresh restart through the door, as the config applier does). */
export const commands = {
  start: { type: 'server.start' },
  stop: { type: 'server.stop' },
  restart: { type: 'server.restart' },
  freshRestart: { type: 'server.restart', fresh: true, cause: 'config_apply' },
  adopt: { type: 'server.adopt', process: { pid: 0, pgid: 0, startedAt: 0, adopted: true } },
} as const satisfies Record<string, ServerLifecycleEvent>;

const port = { block: { type: 'port.block' }, clog: { type: 'port.clog' }, free: { type: 'port.free' } } as const;

/** True while the process actor checks the port (no process yet, none spawned): a start or a stop in flight. */
export function portCheckUnderWay(machine: LifecycleSnapshot): boolean {
  const top = topState(machine.value);
  return (top === 'starting' || top === 'stopping') && machine.context.process === null;
}

// The first attempt after server.adopt takes over a live process instead of spawning one.
function adoptingAttempt(machine: LifecycleSnapshot): boolean {
  return machine.context.generation === 1 && machine.context.startCause === 'autostart';
}

/** The restart after the latest crash comes at once (a running server's first crash): crashed.backoff cannot be held. */
export function instantRestart(machine: LifecycleSnapshot): boolean {
  const c = machine.context;
  return backoffDelay(c.consecutiveCrashes, 1, 1, c.streakBeganRunning) === 0;
}

/** The steps the test can cause from a state (see docs/testing.md for why each is causable, and how). */
export function stepsFrom(state: ModelState, variant: Variant): ModelStep[] {
  const { machine, port: held, probed } = state;
  const c = machine.context;
  const where = statePath(machine.value);
  const checking = portCheckUnderWay(machine);
  const steps: ModelStep[] = [];
  // However an adopted server ends, the supervisor sees only that it is gone.
  const ends = (...ways: ServerLifecycleEvent[]) => (c.process?.adopted ? [facts.adoptedGone] : ways);
  switch (where) {
    case 'stopped':
      steps.push(commands.start, commands.restart);
      if (c.generation === 0 && held === 'free' && variant.socket === 'none') steps.push(commands.adopt);
      break;
    case 'starting':
      if (checking && held === 'free') steps.push(adoptingAttempt(machine) ? facts.adoptedSpawned : facts.spawned);
      else if (checking && held === 'blocked') steps.push(facts.portTaken);
      // Clogged: the check takes 500 ms, a window for one step that leaves starting (a stop, a restart that will not
      // join, a start timeout shorter than the check) before the check ends in ERR_PORT_IN_USE.
      else if (checking) steps.push(facts.portTaken, commands.freshRestart, commands.stop, { type: timers.startTimeout });
      else {
        steps.push(facts.healthy, ...ends(facts.crashed, facts.exitedClean), commands.start, commands.restart, commands.freshRestart, commands.stop, { type: timers.startTimeout });
        if (variant.socket === 'inherit') steps.push(facts.boundPortItself);
      }
      break;
    case 'running':
      if (!probed) steps.push(...ends(facts.killed, facts.exitedClean));
      steps.push(facts.unhealthy, commands.start, commands.restart, commands.stop, { type: timers.stableAfter });
      if (c.healthFailureCount > 0) steps.push(facts.healthy);
      break;
    case 'stopping.terminating':
      // Stopped before its process was spawned (a clogged check): the check still ends in ERR_PORT_IN_USE.
      if (checking) steps.push(facts.portTaken);
      // The fixture holds SIGTERM until told to exit, or until the stop timeout sends SIGKILL.
      else steps.push(...ends(facts.exitedClean), { type: timers.stopTimeout }, commands.start, commands.restart, commands.stop);
      break;
    case 'stopping.killing':
      // SIGKILL went to the group: the exit follows at once, nothing can come between.
      steps.push(...ends(facts.killed));
      break;
    case 'crashed.backoff':
      steps.push({ type: timers.restartBackoff });
      if (!instantRestart(machine)) steps.push(commands.start, commands.restart, commands.stop);
      break;
    default:
      // crashed.halted, crashed.exhausted
      steps.push(commands.start, commands.restart, commands.stop);
  }
  // The port is changed only while no process runs or is being started (our own server would hold it).
  if (variant.socket === 'none' && (where === 'stopped' || where === 'crashed.halted' || where === 'crashed.exhausted')) {
    steps.push(...(held === 'free' ? [port.block, port.clog] : [port.free]));
  }
  return steps;
}

/** How a step comes about: the test acts, it happens by itself at once, or after a wait (a timer, a slow port check). */
export type StepKind = 'act' | 'auto' | 'wait' | 'port';

/** The kind of `step` taken from `before`. */
export function stepKind(before: ModelState, step: ModelStep): StepKind {
  if (step.type.startsWith('port.')) return 'port';
  if (step.type === 'process.spawned') return 'auto';
  if (step.type === 'process.spawnFailed') return before.port === 'clogged' ? 'wait' : 'auto';
  if (step.type === 'process.exited' && statePath(before.machine.value) === 'stopping.killing') return 'auto';
  if (step.type === timers.restartBackoff && instantRestart(before.machine)) return 'auto';
  if (step.type.startsWith('xstate.after.')) return 'wait';
  return 'act';
}

// The event the process actor sends first in every attempt, folded into the step that launched the attempt.
function launching(policy: LifecyclePolicy): ServerLifecycleEvent {
  return { type: 'process.launching', policy, at };
}

/** True when the step launched a new attempt (its process actor then reports process.launching). */
export function launched(before: LifecycleSnapshot, after: LifecycleSnapshot): boolean {
  return after.context.generation > before.context.generation;
}

// The actor scope xstate/graph runs machines in: no system, and effects never executed.
function mockScope(): AnyActorScope {
  const self = createEmptyActor();
  return { self, logger: () => undefined, id: '', sessionId: 'model', defer: () => undefined, system: self.system, stopChild: () => undefined, emit: () => undefined, actionExecutor: () => undefined } as unknown as AnyActorScope;
}

/** The model as actor logic: the lifecycle machine's own transition function, plus the port. */
export function lifecycleModelLogic(variant: Variant): ActorLogic<ModelState, ModelStep> {
  const machine = serverLifecycleMachine;
  const policy = nominalPolicy(variant);
  // xstate/graph hands the model its mock scope; the machine runs in it as it would in its own.
  const scopeOf = (scope: unknown) => scope as Parameters<typeof machine.transition>[2];
  const model = (machineState: LifecycleSnapshot, port: PortState, probed = false): ModelState => ({
    status: 'active',
    output: undefined,
    error: undefined,
    machine: machineState,
    port,
    probed,
  });
  return {
    getInitialSnapshot: (scope) => model(machine.getInitialSnapshot(scopeOf(scope), { policy }), 'free'),
    getPersistedSnapshot: (state) => state,
    transition: (state, step, scope) => {
      if (step.type === 'port.block') return model(state.machine, 'blocked');
      if (step.type === 'port.clog') return model(state.machine, 'clogged');
      if (step.type === 'port.free') return model(state.machine, 'free');
      let next = machine.transition(state.machine, step as ServerLifecycleEvent, scopeOf(scope));
      if (launched(state.machine, next)) next = machine.transition(next, launching(next.context.policy), scopeOf(scope));
      const stillRunning = topState(next.value) === 'running';
      const probing = topState(state.machine.value) === 'running' && (step.type === 'health.ok' || step.type === 'health.failed');
      return model(next, state.port, stillRunning && (state.probed || probing));
    },
  };
}

/** What the model keeps of a state: enough to tell apart every state in which a step leads somewhere else. */
export function abstractState(state: ModelState): string {
  const c = state.machine.context;
  return JSON.stringify({
    at: statePath(state.machine.value),
    port: state.port,
    probed: state.probed,
    process: c.process ? (c.process.adopted ? 'adopted' : 'spawned') : null,
    failures: c.healthFailureCount,
    afterStop: c.afterStop,
    crashes: c.crashTimes.length,
    streak: c.consecutiveCrashes === 0 ? null : [Math.min(c.consecutiveCrashes, 3), c.streakBeganRunning],
    fresh: c.generation === 0,
    adopting: adoptingAttempt(state.machine),
  });
}

/** A step as the path descriptions show it. */
export function stepName(step: ModelStep): string {
  switch (step.type) {
    case 'process.exited':
      if (step.startFailure) return `exited (${step.startFailure.code})`;
      return step.signal ? `exited (${step.signal})` : step.code === null ? 'gone (adopted)' : `exited (code ${step.code})`;
    case 'process.spawned':
      return step.adopted ? 'spawned (adopted)' : 'spawned';
    case 'process.spawnFailed':
      return `spawnFailed (${step.code})`;
    case 'server.restart':
      return step.fresh ? 'server.restart (fresh)' : 'server.restart';
    default:
      return step.type.startsWith('xstate.after.') ? `after ${step.type.split('.')[2]}` : step.type;
  }
}

/** One generated path: the steps in order, each with the model state it leads to. */
export interface ModelPath {
  variant: Variant;
  description: string;
  steps: { step: ModelStep; kind: StepKind; before: ModelState; after: ModelState }[];
  /** Labels of the machine transitions it takes (found by running it on the bare machine). */
  transitions: Set<string>;
}

/**
 * Paths through the model, from xstate/graph's TestModel: the shortest path to every (state, step) edge of the
 * abstract graph (each vertex names the edge it was reached by, as xstate's createTestModel does), then the fewest of
 * them that together take every transition they can take.
 */
export function generatePaths(): ModelPath[] {
  const candidates: ModelPath[] = [];
  for (const variant of variants) {
    const model = new TestModel(lifecycleModelLogic(variant), {
      events: (state: ModelState) => stepsFrom(state, variant),
      serializeState: (state: ModelState, step: ModelStep | undefined, previous?: ModelState) =>
        previous && step ? `${abstractState(previous)} --${stepName(step)}--> ${abstractState(state)}` : abstractState(state),
    });
    for (const path of model.getShortestPaths()) candidates.push(toModelPath(variant, path));
  }
  return selectCovering(candidates);
}

// TestModel's steps: the first is xstate.init (the initial state); each later one is a step and where it led. The
// states it keeps are representatives of their abstract state (any concrete state that reached it first), so the
// steps are run again from the start for the concrete states of this path, which must agree with the abstract ones.
function toModelPath(variant: Variant, path: TestPath<ModelState, ModelStep>): ModelPath {
  const logic = lifecycleModelLogic(variant);
  const scope = mockScope();
  let state = logic.getInitialSnapshot(scope, undefined);
  const steps = path.steps.slice(1).map(({ event: step, state: expected }) => {
    const before = state;
    state = logic.transition(before, step, scope);
    if (abstractState(state) !== abstractState(expected)) {
      throw new Error(`the abstraction is unsound: ${stepName(step)} from ${abstractState(before)} led to ${abstractState(state)}, not ${abstractState(expected)}`);
    }
    return { step, kind: stepKind(before, step), before, after: state };
  });
  const model: ModelPath = { variant, description: steps.map((s) => stepName(s.step)).join(' → '), steps, transitions: new Set() };
  model.transitions = transitionsOf(model);
  return model;
}

/** A path given step by step (each must be one the model offers where it is taken), for tests that pick their own. */
export function pathOf(variant: Variant, given: ModelStep[]): ModelPath {
  const logic = lifecycleModelLogic(variant);
  const scope = mockScope();
  let state = logic.getInitialSnapshot(scope, undefined);
  const steps = given.map((step) => {
    const before = state;
    if (!stepsFrom(before, variant).some((offered) => JSON.stringify(offered) === JSON.stringify(step))) {
      throw new Error(`${stepName(step)} cannot be taken in ${abstractState(before)}`);
    }
    state = logic.transition(before, step, scope);
    return { step, kind: stepKind(before, step), before, after: state };
  });
  const path: ModelPath = { variant, description: steps.map((s) => stepName(s.step)).join(' → '), steps, transitions: new Set() };
  path.transitions = transitionsOf(path);
  return path;
}

// Greedy set cover: the path taking the most transitions not yet taken (the shorter on a tie), until none adds one.
function selectCovering(candidates: ModelPath[]): ModelPath[] {
  const chosen: ModelPath[] = [];
  const taken = new Set<string>();
  for (;;) {
    let best: ModelPath | null = null;
    let bestGain = 0;
    for (const path of candidates) {
      const gain = [...path.transitions].filter((t) => !taken.has(t)).length;
      if (gain > bestGain || (gain === bestGain && gain > 0 && best && path.steps.length < best.steps.length)) {
        best = path;
        bestGain = gain;
      }
    }
    if (!best) return chosen;
    chosen.push(best);
    for (const t of best.transitions) taken.add(t);
  }
}

/** The bare machine with its effects stubbed and time simulated: the oracle a replay runs alongside the daemon. */
export function createOracle(policy: LifecyclePolicy) {
  const stub = <TEvent extends EventObject, TInput>() => fromCallback<TEvent, TInput>(() => () => undefined);
  const machine = serverLifecycleMachine.provide({
    actors: {
      serverProcess: stub<ProcessCommand, ServerProcessInput>(),
      readinessProbe: stub<ServerLifecycleEvent, ProbeInput>(),
      livenessProbe: stub<ServerLifecycleEvent, LivenessInput>(),
    },
    actions: { releaseSocket: () => undefined },
  });
  const emitted: LifecycleFact[] = [];
  let microsteps: AnyTransitionDefinition[][] = [];
  const actor = createActor(machine, {
    input: { policy },
    // Timers never fire by themselves: the replay sends the delayed event when the daemon's timer fired.
    clock: new SimulatedClock(),
    inspect: (event) => {
      if (event.type === '@xstate.microstep' && event.actorRef === actor) microsteps.push((event as unknown as { _transitions: AnyTransitionDefinition[] })._transitions);
    },
  });
  actor.on('*', (fact) => emitted.push(fact as LifecycleFact));
  actor.start();
  return {
    actor,
    emitted,
    /** Sends one event; answers the labels of the transitions it took. */
    send(event: ServerLifecycleEvent | TimerStep): string[] {
      microsteps = [];
      actor.send(event as ServerLifecycleEvent);
      return microsteps.flat().map((t) => labelOf(machine, t));
    },
    snapshot: () => actor.getSnapshot(),
  };
}

// The transitions a path takes, by running its machine events (with process.launching where an attempt begins) on the
// bare machine.
function transitionsOf(path: ModelPath): Set<string> {
  const oracle = createOracle(nominalPolicy(path.variant));
  const taken = new Set<string>();
  try {
    for (const { step, before, after } of path.steps) {
      if (step.type.startsWith('port.')) continue;
      for (const label of oracle.send(step as ServerLifecycleEvent)) taken.add(label);
      if (launched(before.machine, after.machine)) for (const label of oracle.send(launching(after.machine.context.policy))) taken.add(label);
    }
  } finally {
    oracle.actor.stop();
  }
  return taken;
}
