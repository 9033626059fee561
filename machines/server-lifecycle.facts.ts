// What the server lifecycle tells the history: pure builders of its facts from the context and the event at hand,
// used by the machine's emit actions (server-lifecycle.machine.ts).
import type { CrashReason, LifecycleFact, StopCause } from './lifecycle-facts.js';
import type { ServerLifecycleContext, ServerLifecycleEvent } from './server-lifecycle.types.js';

type Fact<T extends LifecycleFact['type']> = Extract<LifecycleFact, { type: T }>;

/** `running`: the attempt's process answered its health check, `took_ms` after it was spawned (or adopted). */
export function runningFact(context: ServerLifecycleContext, event: ServerLifecycleEvent): Fact<'running'> | null {
  if (event.type !== 'health.ok' || !context.process) return null;
  return { type: 'running', pid: context.process.pid, took_ms: Math.max(0, event.at - context.process.startedAt) };
}

/** `starting`: a process was spawned for the attempt (an adopted one was started by an earlier supervisor: none). */
export function startingFact(context: ServerLifecycleContext, event: ServerLifecycleEvent): Fact<'starting'> | null {
  if (event.type !== 'process.spawned' || event.adopted === true) return null;
  return { type: 'starting', pid: event.pid, cause: context.startCause };
}

// A crash the lifecycle forced (it stopped the process itself) carries its reason in the error it recorded.
function crashReason(context: ServerLifecycleContext): CrashReason {
  if (context.afterStop !== 'crashed') return 'exit';
  if (context.lastError?.code === 'ERR_HEALTH_FAILED') return 'liveness';
  if (context.lastError?.code === 'ERR_START_TIMEOUT') return 'start_timeout';
  return 'exit';
}

/** `crashed`: an exit that counts as a crash (read after recordCrash, before recordExit clears the process), or a spawn that failed. */
export function crashedFact(context: ServerLifecycleContext, event: ServerLifecycleEvent): Fact<'crashed'> | null {
  if (event.type === 'process.spawnFailed') {
    return { type: 'crashed', pid: null, code: null, signal: null, ran_for_ms: null, reason: 'spawn_failed', message: event.message, logSpan: null };
  }
  if (event.type !== 'process.exited') return null;
  const process = context.process;
  return {
    type: 'crashed',
    pid: process?.pid ?? null,
    code: event.code,
    signal: event.signal,
    ran_for_ms: process ? Math.max(0, event.at - process.startedAt) : null,
    reason: crashReason(context),
    message: context.lastError?.message ?? 'the server crashed',
    logSpan: event.log ?? null,
  };
}

/** `stopped`: the process ended without it counting as a crash (read before recordExit clears the process). */
export function stoppedFact(context: ServerLifecycleContext, event: ServerLifecycleEvent): Fact<'stopped'> | null {
  if (event.type !== 'process.exited') return null;
  return { type: 'stopped', pid: context.process?.pid ?? null, code: event.code, signal: event.signal };
}

/** `stopping`: why the lifecycle is stopping the server, from the event that sent it there. */
export function stoppingFact(context: ServerLifecycleContext, event: ServerLifecycleEvent | { type: string }): Fact<'stopping'> {
  let cause: StopCause;
  if (event.type === 'server.stop') cause = (event as { cause?: 'manual' | 'shutdown' }).cause ?? 'manual';
  else if (event.type === 'server.restart') cause = (event as { cause?: string }).cause === 'config_apply' ? 'config_apply' : 'restart';
  else if (event.type === 'health.failed') cause = 'liveness';
  // The only other way in is the start timeout (a delayed event of its own type).
  else cause = context.lastError?.code === 'ERR_HEALTH_FAILED' ? 'liveness' : 'start_timeout';
  return { type: 'stopping', cause };
}

/** `restart_scheduled`: an automatic restart in `delay_ms`. */
export function restartScheduledFact(delayMs: number): Fact<'restart_scheduled'> {
  return { type: 'restart_scheduled', delay_ms: delayMs };
}

/** `gave_up`: more than `intensity` crashes within the period; no automatic restart until a manual start. */
export function gaveUpFact(context: ServerLifecycleContext): Fact<'gave_up'> {
  return { type: 'gave_up', crashes: context.crashTimes.length, period_ms: context.policy.periodMs };
}

/** `halted`: not restarted automatically (restart policy, or a start error retrying would not fix). */
export function haltedFact(context: ServerLifecycleContext): Fact<'halted'> {
  return { type: 'halted', code: context.lastError?.code ?? 'ERR_SERVER_EXITED', message: context.lastError?.message ?? 'the server is not restarted automatically' };
}
