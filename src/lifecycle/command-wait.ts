import type { ServerLifecycleContext } from '../../machines/server-lifecycle.types.js';

/** A lifecycle snapshot as far as command waiting needs it. */
export interface LifecycleView {
  value: unknown;
  context: Pick<ServerLifecycleContext, 'generation' | 'afterStop' | 'lastError'>;
}

export type ServerCommand = 'start' | 'stop' | 'restart';

/** What a command waits for, decided from the snapshot right after the command was sent. */
export type CommandTarget = { kind: 'running'; generation: number } | { kind: 'stopped' };

/** The outcome of waiting so far. */
export type CommandOutcome = { kind: 'pending' } | { kind: 'done' } | { kind: 'failed'; code: string; message: string };

/** The timeouts a command's bound is made of. */
export type CommandTimeouts = { startTimeoutMs: number; stopTimeoutMs: number };

/** Safety-net bound on one server command: a restart may need a full stop and a full start (the machine's timers decide first). */
export function commandBoundMs(server: CommandTimeouts): number {
  return server.stopTimeoutMs + server.startTimeoutMs + 5_000;
}

/** The top-level state name of a lifecycle state value. */
export function topState(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') return Object.keys(value)[0] ?? 'unknown';
  return 'unknown';
}

/** Which attempt a command is answered by: coalesced commands share the attempt under way or the one queued. */
export function commandTarget(command: ServerCommand, after: LifecycleView): CommandTarget {
  if (command === 'stop') return { kind: 'stopped' };
  const state = topState(after.value);
  // While stopping with a start queued, the next attempt (generation + 1) is the one that answers.
  const queued = state === 'stopping' && after.context.afterStop === 'restart';
  return { kind: 'running', generation: after.context.generation + (queued ? 1 : 0) };
}

/** Whether the lifecycle has reached the command's target, or can no longer reach it. */
export function commandOutcome(target: CommandTarget, view: LifecycleView): CommandOutcome {
  const state = topState(view.value);
  if (target.kind === 'stopped') return state === 'stopped' ? { kind: 'done' } : { kind: 'pending' };
  if (view.context.generation < target.generation) return { kind: 'pending' };
  if (state === 'running') return { kind: 'done' };
  if (state === 'crashed') {
    const error = view.context.lastError;
    return { kind: 'failed', code: error?.code ?? 'ERR_START_FAILED', message: error?.message ?? 'the server crashed while starting' };
  }
  if (state === 'stopped' && view.context.generation === target.generation) {
    const error = view.context.lastError;
    return { kind: 'failed', code: error?.code ?? 'ERR_START_FAILED', message: error?.message ?? 'the server stopped before it was healthy' };
  }
  return { kind: 'pending' };
}
