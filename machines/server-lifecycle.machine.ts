import { assign, emit, enqueueActions, sendTo, setup, spawnChild, stopChild } from 'xstate';
import type { LifecycleFact, StartCause } from './lifecycle-facts.js';
import { notProvided } from './not-provided.js';
import { crashedFact, gaveUpFact, haltedFact, restartScheduledFact, runningFact, startingFact, stoppedFact, stoppingFact } from './server-lifecycle.facts.js';
import type {
  LifecycleError,
  LivenessInput,
  ProbeInput,
  ProcessCommand,
  ServerLifecycleContext,
  ServerLifecycleEvent,
  ServerLifecycleInput,
  ServerProcessInput,
} from './server-lifecycle.types.js';

type ExitedEvent = Extract<ServerLifecycleEvent, { type: 'process.exited' }>;

/** Crash times still inside the intensity window ending at `at`. */
export function crashesInWindow(crashTimes: readonly number[], at: number, periodMs: number): number[] {
  return crashTimes.filter((t) => t > at - periodMs);
}

/**
 * The restart delay after the n-th consecutive crash. A run of crashes that began with a running server's crash
 * restarts at once the first time (a server that was up comes back at once), then waits backoffMs doubling from the
 * second crash; one that began with a failed start (it never came up: retrying at once would most likely fail the
 * same way) waits backoffMs from the first. Capped at backoffMaxMs.
 */
export function backoffDelay(consecutiveCrashes: number, backoffMs: number, backoffMaxMs: number, beganRunning = true): number {
  const exponent = beganRunning ? consecutiveCrashes - 2 : consecutiveCrashes - 1;
  if (exponent < 0) return 0;
  return Math.min(backoffMs * 2 ** Math.min(exponent, 30), backoffMaxMs);
}

// The action that emits the fact `factOf` builds from the context and event, when this event makes one.
function emitFactOf(factOf: (context: ServerLifecycleContext, event: ServerLifecycleEvent) => LifecycleFact | null) {
  return enqueueActions<ServerLifecycleContext, ServerLifecycleEvent, undefined, ServerLifecycleEvent, never, never, never, never, LifecycleFact>(
    ({ context, event, enqueue }) => {
      const fact = factOf(context, event);
      if (fact) enqueue.emit(fact);
    },
  );
}

// The delay before the restart the latest crash scheduled (shown as nextRestartAt and used as the timer).
function restartDelay(context: ServerLifecycleContext): number {
  return backoffDelay(context.consecutiveCrashes, context.policy.backoffMs, context.policy.backoffMaxMs, context.streakBeganRunning);
}

function isCleanExit(event: ExitedEvent): boolean {
  return event.code === 0 && event.signal === null;
}

function exitMessage(event: ExitedEvent): string {
  return event.signal ? `server was killed by ${event.signal}` : `server exited with code ${event.code}`;
}

function error(code: string, message: string, at: number): LifecycleError {
  return { code, message, at };
}

// The start cause a command asks for (a person, unless it says otherwise).
function commandCause(event: ServerLifecycleEvent): StartCause {
  return (event.type === 'server.start' || event.type === 'server.restart') && event.cause ? event.cause : 'manual';
}

// The shared crash outcome for an exit that counts as a crash: budget spent, restart later, or halt. The crashed fact
// is told after recordCrash (its message) and before recordExit (which forgets the process).
const crashTransitions = [
  {
    guard: 'crashBudgetSpent',
    target: '#serverLifecycle.crashed.exhausted',
    actions: ['recordCrash', 'tellCrashed', 'recordExit', 'setCrashLoopError'],
  },
  {
    guard: 'restartAllowed',
    target: '#serverLifecycle.crashed.backoff',
    actions: ['recordCrash', 'tellCrashed', 'recordExit', 'scheduleRestart'],
  },
  { target: '#serverLifecycle.crashed.halted', actions: ['recordCrash', 'tellCrashed', 'recordExit'] },
] as const;

// Every way into starting is a new attempt: the previous process actor goes and a new one is spawned, which first
// reports the policy it read from config.yaml (process.launching); starting is then entered again on that policy.
const launch = ['stopProcess', 'beginAttempt', 'spawnProcess', 'clearAdopt'] as const;
// A command that launches an attempt at once (from stopped or crashed) names its cause first.
const commandLaunch = ['noteCommandCause', ...launch] as const;


/** The main server's lifecycle: stopped → starting → running → stopping, and crashed with OTP-style restarts. */
export const serverLifecycleMachine = setup({
  types: {
    context: {} as ServerLifecycleContext,
    events: {} as ServerLifecycleEvent,
    input: {} as ServerLifecycleInput,
    // What happened, for the history (listen with `actor.on(type, …)`; lifecycle-facts.ts).
    emitted: {} as LifecycleFact,
  },
  actors: {
    // Owns one server process (spawned or adopted) and reports process.* facts; provided from src/.
    serverProcess: notProvided.callback<ProcessCommand, ServerProcessInput>('serverProcess'),
    // Polls the health endpoint until it answers 2xx once (health.ok); provided from src/.
    readinessProbe: notProvided.callback<ServerLifecycleEvent, ProbeInput>('readinessProbe'),
    // Polls the health endpoint while running (health.ok / health.failed); provided from src/.
    livenessProbe: notProvided.callback<ServerLifecycleEvent, LivenessInput>('livenessProbe'),
  },
  actions: {
    // The server is not meant to come back on its own: the listening socket held for it (socket: inherit) is closed,
    // so clients are refused instead of waiting; provided from src/.
    releaseSocket: notProvided.action('releaseSocket'),
    // The policy the process actor read for this attempt (config.yaml is read on every start, never latched).
    adoptPolicy: assign({
      policy: ({ event, context }) => (event.type === 'process.launching' ? event.policy : context.policy),
    }),
    beginAttempt: assign({
      generation: ({ context }) => context.generation + 1,
      process: null,
      healthy: false,
      healthFailureCount: 0,
      runningSince: null,
      nextRestartAt: null,
      afterStop: 'stopped' as const,
    }),
    spawnProcess: spawnChild('serverProcess', {
      id: 'serverProcess',
      input: ({ context }) => ({ adopt: context.adopt }),
    }),
    clearAdopt: assign({ adopt: null }),
    stopProcess: stopChild('serverProcess'),
    terminateProcess: sendTo('serverProcess', { type: 'process.terminate' } as ProcessCommand),
    killProcess: sendTo('serverProcess', { type: 'process.kill' } as ProcessCommand),
    recordSpawn: assign({
      process: ({ event }) =>
        event.type === 'process.spawned'
          ? { pid: event.pid, pgid: event.pgid, startedAt: event.at, adopted: event.adopted === true }
          : null,
    }),
    recordSpawnFailure: assign({
      lastError: ({ event, context }) =>
        event.type === 'process.spawnFailed' ? error(event.code, event.message, event.at) : context.lastError,
    }),
    markRunning: assign({
      healthy: true,
      healthFailureCount: 0,
      runningSince: ({ event }) => (event.type === 'health.ok' ? event.at : null),
      serverVersion: ({ event, context }) => (event.type === 'health.ok' ? event.version : context.serverVersion),
      lastError: null,
    }),
    recordHealthy: assign({
      healthy: true,
      healthFailureCount: 0,
      serverVersion: ({ event, context }) => (event.type === 'health.ok' ? event.version ?? context.serverVersion : context.serverVersion),
    }),
    recordUnhealthy: assign({
      healthy: false,
      healthFailureCount: ({ context }) => context.healthFailureCount + 1,
    }),
    setHealthError: assign({
      lastError: ({ event, context }) =>
        event.type === 'health.failed'
          ? error('ERR_HEALTH_FAILED', `health check failed ${context.healthFailureCount} times in a row: ${event.message}`, event.at)
          : context.lastError,
      afterStop: 'crashed' as const,
    }),
    setStartTimeoutError: assign({
      // A delayed event has no timestamp of its own: the attempt began startTimeoutMs ago.
      lastError: ({ context }) =>
        error(
          'ERR_START_TIMEOUT',
          `server did not answer ${context.policy.healthPath} on port ${context.policy.port} within ${context.policy.startTimeoutMs} ms` +
            // Health requests to a socket nobody accepts on wait in its backlog: the usual cause is a server ignoring fd 3.
            (context.policy.socket === 'inherit' ? ' (with supervisor.server.socket: inherit the server must listen on file descriptor 3)' : ''),
          (context.process?.startedAt ?? 0) + context.policy.startTimeoutMs,
        ),
      afterStop: 'crashed' as const,
    }),
    recordStartFailure: assign({
      lastError: ({ event, context }) =>
        event.type === 'process.exited' && event.startFailure ? error(event.startFailure.code, event.startFailure.message, event.at) : context.lastError,
    }),
    recordExit: assign({
      lastExit: ({ event, context }) =>
        event.type === 'process.exited' ? { code: event.code, signal: event.signal, at: event.at } : context.lastExit,
      process: null,
      healthy: false,
      runningSince: null,
    }),
    recordCrash: assign(({ context, event }) => {
      if (event.type !== 'process.exited') return {};
      const forced = context.afterStop === 'crashed';
      return {
        crashTimes: [...crashesInWindow(context.crashTimes, event.at, context.policy.periodMs), event.at],
        consecutiveCrashes: context.consecutiveCrashes + 1,
        // Read before recordExit clears runningSince: was this attempt ever healthy?
        streakBeganRunning: context.consecutiveCrashes === 0 ? context.runningSince !== null : context.streakBeganRunning,
        lastError: forced && context.lastError ? context.lastError : error('ERR_SERVER_EXITED', exitMessage(event), event.at),
      };
    }),
    setCrashLoopError: assign({
      lastError: ({ context, event }) =>
        error(
          'ERR_CRASH_LOOP',
          `server crashed ${context.crashTimes.length} times within ${context.policy.periodMs} ms (intensity ${context.policy.intensity}); ` +
            `not restarting until a manual start. Last: ${context.lastError?.message ?? 'unknown'}`,
          event.type === 'process.exited' ? event.at : 0,
        ),
    }),
    scheduleRestart: assign({
      nextRestartAt: ({ context, event }) => (event.type === 'process.exited' ? event.at : 0) + restartDelay(context),
    }),
    countRestart: assign({ restartCount: ({ context }) => context.restartCount + 1 }),
    resetCrashes: assign({ crashTimes: [], consecutiveCrashes: 0, lastError: null, nextRestartAt: null }),
    resetBackoff: assign({ consecutiveCrashes: 0 }),
    clearSchedule: assign({ nextRestartAt: null }),
    afterStopRestart: assign({ afterStop: 'restart' as const, startCause: ({ event }) => commandCause(event) }),
    noteCommandCause: assign({ startCause: ({ event }) => commandCause(event) }),
    noteCrashRestart: assign({ startCause: 'crash_restart' as const }),
    tellStarting: emitFactOf(startingFact),
    tellRunning: emitFactOf(runningFact),
    tellCrashed: emitFactOf(crashedFact),
    tellStopped: emitFactOf(stoppedFact),
    tellStopping: emit(({ context, event }) => stoppingFact(context, event)),
    tellRestartScheduled: emit(({ context }) => restartScheduledFact(restartDelay(context))),
    tellGaveUp: emit(({ context }) => gaveUpFact(context)),
    tellHalted: emit(({ context }) => haltedFact(context)),
    afterStopStopped: assign({ afterStop: 'stopped' as const }),
    setAdopt: assign({ adopt: ({ event, context }) => (event.type === 'server.adopt' ? event.process : context.adopt) }),
  },
  guards: {
    hasProcess: ({ context }) => context.process !== null,
    // The process actor found why this start cannot succeed (e.g. the server ignored fd 3): no retry.
    startCannotSucceed: ({ event }) => event.type === 'process.exited' && event.startFailure !== undefined,
    // transient and temporary let a clean exit (code 0) end in stopped; permanent restarts it.
    exitIsNotACrash: ({ context, event }) =>
      event.type === 'process.exited' && isCleanExit(event) && context.policy.restart !== 'permanent',
    crashBudgetSpent: ({ context, event }) =>
      event.type === 'process.exited' &&
      crashesInWindow(context.crashTimes, event.at, context.policy.periodMs).length + 1 > context.policy.intensity,
    restartAllowed: ({ context }) => context.policy.restart !== 'temporary',
    healthBudgetSpent: ({ context }) => context.healthFailureCount + 1 >= context.policy.healthFailures,
    afterStopIsStopped: ({ context }) => context.afterStop === 'stopped',
    afterStopIsRestart: ({ context }) => context.afterStop === 'restart',
    freshRestart: ({ event }) => event.type === 'server.restart' && event.fresh === true,
  },
  delays: {
    startTimeout: ({ context }) => context.policy.startTimeoutMs,
    stopTimeout: ({ context }) => context.policy.stopTimeoutMs,
    restartBackoff: ({ context }) => restartDelay(context),
    stableAfter: ({ context }) => context.policy.stableMs,
  },
}).createMachine({
  id: 'serverLifecycle',
  description: 'Owns one main server process: starts it, watches it, stops it and restarts it after crashes.',
  context: ({ input }) => ({
    policy: input.policy,
    process: null,
    generation: 0,
    runningSince: null,
    restartCount: 0,
    crashTimes: [],
    consecutiveCrashes: 0,
    streakBeganRunning: true,
    lastExit: null,
    lastError: null,
    nextRestartAt: null,
    healthy: false,
    healthFailureCount: 0,
    serverVersion: null,
    afterStop: 'stopped',
    adopt: null,
    startCause: 'autostart',
  }),
  // Whatever the state, the policy in force is the one the latest process actor read.
  on: {
    'process.launching': { actions: 'adoptPolicy' },
  },
  initial: 'stopped',
  states: {
    stopped: {
      description: 'No server process; waits for a start command.',
      entry: ['stopProcess', 'releaseSocket'],
      on: {
        'server.start': { target: 'starting', actions: ['resetCrashes', ...commandLaunch] },
        'server.restart': { target: 'starting', actions: ['resetCrashes', ...commandLaunch] },
        'server.adopt': { target: 'starting', actions: ['resetCrashes', 'setAdopt', ...launch] },
      },
    },
    starting: {
      description: 'The process is spawned (or adopted) and the health probe is asked until it answers 2xx.',
      invoke: {
        src: 'readinessProbe',
        input: ({ context }) => ({ host: context.policy.healthHost, port: context.policy.port, healthPath: context.policy.healthPath }),
      },
      after: {
        startTimeout: { target: 'stopping', actions: 'setStartTimeoutError' },
      },
      on: {
        // Entered again on the policy the process actor read: the probe asks its port, the timeout is its value.
        'process.launching': { target: 'starting', reenter: true, actions: 'adoptPolicy' },
        'process.spawned': { actions: ['recordSpawn', 'tellStarting'] },
        'process.spawnFailed': { target: 'crashed.halted', actions: ['recordSpawnFailure', 'tellCrashed'] },
        'process.exited': [
          { guard: 'startCannotSucceed', target: 'crashed.halted', actions: ['recordStartFailure', 'tellCrashed', 'recordExit'] },
          { guard: 'exitIsNotACrash', target: 'stopped', actions: ['tellStopped', 'recordExit'] },
          ...crashTransitions,
        ],
        'health.ok': { guard: 'hasProcess', target: 'running', actions: ['tellRunning', 'markRunning'] },
        'server.stop': { target: 'stopping', actions: 'afterStopStopped' },
        // A start or restart while starting joins the attempt under way, unless the restart must see a changed config.
        'server.start': {},
        'server.restart': [{ guard: 'freshRestart', target: 'stopping', actions: 'afterStopRestart' }, {}],
      },
    },
    running: {
      description: 'Healthy; the liveness probe keeps asking and repeated failures count as a crash.',
      invoke: {
        src: 'livenessProbe',
        input: ({ context }) => ({ host: context.policy.healthHost, port: context.policy.port, healthPath: context.policy.healthPath, pid: context.process?.pid ?? null }),
      },
      after: {
        stableAfter: { actions: 'resetBackoff' },
      },
      on: {
        'process.exited': [{ guard: 'exitIsNotACrash', target: 'stopped', actions: ['tellStopped', 'recordExit'] }, ...crashTransitions],
        'health.ok': { actions: 'recordHealthy' },
        'health.failed': [
          { guard: 'healthBudgetSpent', target: 'stopping', actions: ['recordUnhealthy', 'setHealthError'] },
          { actions: 'recordUnhealthy' },
        ],
        'server.start': {},
        'server.restart': { target: 'stopping', actions: 'afterStopRestart' },
        'server.stop': { target: 'stopping', actions: 'afterStopStopped' },
      },
    },
    stopping: {
      description: 'SIGTERM went to the process group; SIGKILL follows after stopTimeout. Then stopped, restart or crash.',
      entry: ['tellStopping', 'terminateProcess'],
      initial: 'terminating',
      states: {
        terminating: {
          description: 'Waiting for the group to exit after SIGTERM.',
          after: { stopTimeout: { target: 'killing' } },
        },
        killing: {
          description: 'The group ignored SIGTERM for stopTimeout; SIGKILL sent.',
          entry: 'killProcess',
        },
      },
      on: {
        'process.spawned': { actions: 'recordSpawn' },
        'process.spawnFailed': [
          { guard: 'afterStopIsStopped', target: 'stopped' },
          { guard: 'afterStopIsRestart', target: 'starting', actions: launch },
          { target: 'crashed.halted', actions: ['recordSpawnFailure', 'tellCrashed'] },
        ],
        'process.exited': [
          { guard: 'afterStopIsStopped', target: 'stopped', actions: ['tellStopped', 'recordExit'] },
          { guard: 'afterStopIsRestart', target: 'starting', actions: ['tellStopped', 'recordExit', ...launch] },
          ...crashTransitions,
        ],
        // Commands while stopping change only where the stop leads; two restarts make one.
        'server.start': { actions: 'afterStopRestart' },
        'server.restart': { actions: 'afterStopRestart' },
        'server.stop': { actions: 'afterStopStopped' },
      },
    },
    crashed: {
      description: 'The server died unexpectedly or failed to start.',
      entry: 'stopProcess',
      initial: 'halted',
      states: {
        backoff: {
          description: 'Waiting restartBackoff before an automatic restart.',
          entry: 'tellRestartScheduled',
          after: { restartBackoff: { target: '#serverLifecycle.starting', actions: ['countRestart', 'noteCrashRestart', ...launch] } },
        },
        exhausted: {
          description: 'More than `intensity` crashes within `periodMs`: no automatic restart until a manual start.',
          entry: ['releaseSocket', 'tellGaveUp'],
        },
        halted: {
          description: 'Not restarted automatically (restart policy, or a start error retrying would not fix).',
          entry: ['releaseSocket', 'tellHalted'],
        },
      },
      on: {
        'server.start': { target: 'starting', actions: ['resetCrashes', ...commandLaunch] },
        'server.restart': { target: 'starting', actions: ['resetCrashes', ...commandLaunch] },
        'server.stop': { target: 'stopped', actions: 'clearSchedule' },
      },
    },
  },
});
