import type { ServerActor } from '../system.js';
import { commandOutcome, commandTarget, type CommandOutcome, type ServerCommand } from './command-wait.js';

/**
 * Sends a command to the lifecycle and resolves when its target is reached, fails, or `boundMs` passes.
 * `fresh` (restart only): never join a start under way, whose process may have read an older config.
 */
export function runServerCommand(
  server: ServerActor,
  command: ServerCommand,
  boundMs: number,
  { signal, fresh = false }: { signal?: AbortSignal; fresh?: boolean } = {},
): Promise<Exclude<CommandOutcome, { kind: 'pending' }>> {
  server.send(command === 'restart' ? { type: 'server.restart', fresh } : { type: `server.${command}` });
  const target = commandTarget(command, server.getSnapshot());
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: Exclude<CommandOutcome, { kind: 'pending' }>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      subscription?.unsubscribe();
      signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const check = () => {
      const outcome = commandOutcome(target, server.getSnapshot());
      if (outcome.kind !== 'pending') finish(outcome);
    };
    const onAbort = () => finish({ kind: 'failed', code: 'ERR_BAD_REQUEST', message: 'the client went away' });
    const timer = setTimeout(
      () => finish({ kind: 'failed', code: 'ERR_COMMAND_TIMEOUT', message: `no outcome within ${boundMs} ms` }),
      boundMs,
    );
    const subscription: { unsubscribe(): void } | undefined = server.subscribe({
      next: check,
      complete: () => finish({ kind: 'failed', code: 'ERR_SHUTTING_DOWN', message: 'the supervisor is shutting down' }),
    });
    signal?.addEventListener('abort', onAbort);
    check();
  });
}
