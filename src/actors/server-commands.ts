// The commands helper: send start/stop/restart to the lifecycle and wait, bounded, for the outcome it caused.
import type { ServerLifecycleContext } from '../../machines/server-lifecycle.types.js';
import type { ServerRef } from './actor-refs.js';
import { boundedWait } from './bounded-wait.js';
import { topState } from './state-value.js';

export type ServerCommand = 'start' | 'stop' | 'restart';

/** A lifecycle snapshot as far as command waiting needs it. */
export interface LifecycleView {
  value: unknown;
  context: Pick<ServerLifecycleContext, 'generation' | 'afterStop' | 'lastError'>;
}

/**
 * What a command waits for, decided from the snapshot right after the command was sent: a start or restart waits for
 * its attempt (`generation`) to run, a stop for `stopped` before any attempt newer than the one at hand begins.
 */
export type CommandTarget = { kind: 'running'; generation: number; command: 'start' | 'restart' } | { kind: 'stopped'; generation: number };

/** The outcome of waiting so far. */
export type CommandOutcome = { kind: 'pending' } | { kind: 'done' } | { kind: 'failed'; code: string; message: string };

/** How a command ended: done, or failed with a code and a message. */
export type CommandResult = Exclude<CommandOutcome, { kind: 'pending' }>;

/** The timeouts a command's bound is made of. */
export type CommandTimeouts = { startTimeoutMs: number; stopTimeoutMs: number };

/** Safety-net bound on one server command: a restart may need a full stop and a full start (the machine's timers decide first). */
export function commandBoundMs(server: CommandTimeouts): number {
  return server.stopTimeoutMs + server.startTimeoutMs + 5_000;
}

/** Which attempt a command is answered by: coalesced commands share the attempt under way or the one queued. */
export function commandTarget(command: ServerCommand, after: LifecycleView): CommandTarget {
  if (command === 'stop') return { kind: 'stopped', generation: after.context.generation };
  const state = topState(after.value);
  // While stopping with a start queued, the next attempt (generation + 1) is the one that answers.
  const queued = state === 'stopping' && after.context.afterStop === 'restart';
  return { kind: 'running', generation: after.context.generation + (queued ? 1 : 0), command };
}

/** Whether the lifecycle has reached the command's target, or can no longer reach it. */
export function commandOutcome(target: CommandTarget, view: LifecycleView): CommandOutcome {
  const state = topState(view.value);
  // The last command wins while the server is stopping (a start after a stop starts again, a stop after a restart
  // cancels the queued start): the command it overtook is answered at once, instead of waiting out its bound.
  if (target.kind === 'stopped') {
    if (state === 'stopped') return { kind: 'done' };
    if (view.context.generation > target.generation) {
      return { kind: 'failed', code: 'ERR_CONFLICT', message: 'a start or restart asked for meanwhile overtook this stop; the server is starting again' };
    }
    return { kind: 'pending' };
  }
  if (view.context.generation < target.generation) {
    if (state === 'stopped') return { kind: 'failed', code: 'ERR_CONFLICT', message: `a stop asked for meanwhile overtook this ${target.command}; the server stays stopped` };
    return { kind: 'pending' };
  }
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

/** How a command is sent: `fresh` (restart only, see runServerCommand) and who asks (the history's cause; default manual). */
export interface CommandOptions {
  signal?: AbortSignal;
  fresh?: boolean;
  cause?: 'manual' | 'config_apply';
}

/** Sends a command without waiting for its outcome (`?wait=false`). */
export function sendServerCommand(server: ServerRef, command: ServerCommand): void {
  server.send({ type: `server.${command}` });
}

/**
 * Sends a command to the lifecycle and resolves when its target is reached, fails, or `boundMs` passes.
 * `fresh` (restart only): never join a start under way, whose process may have read an older config.
 */
export function runServerCommand(
  server: ServerRef,
  command: ServerCommand,
  boundMs: number,
  { signal, fresh = false, cause }: CommandOptions = {},
): Promise<CommandResult> {
  server.send(command === 'restart' ? { type: 'server.restart', fresh, ...(cause ? { cause } : {}) } : { type: `server.${command}` });
  const target = commandTarget(command, server.getSnapshot());
  return boundedWait<CommandResult>(
    (answer) => {
      const check = () => {
        const outcome = commandOutcome(target, server.getSnapshot());
        if (outcome.kind !== 'pending') answer(outcome);
      };
      const subscription = server.subscribe({
        next: check,
        complete: () => answer({ kind: 'failed', code: 'ERR_SHUTTING_DOWN', message: 'the supervisor is shutting down' }),
      });
      check();
      return () => subscription.unsubscribe();
    },
    {
      ms: boundMs,
      onTimeout: () => ({ kind: 'failed', code: 'ERR_COMMAND_TIMEOUT', message: `no outcome within ${boundMs} ms` }),
      signal,
      onAbort: () => ({ kind: 'failed', code: 'ERR_BAD_REQUEST', message: 'the client went away' }),
    },
  );
}
