import { randomUUID } from 'node:crypto';
import type { ActorRefFrom } from 'xstate';
import type { ConfigApplyAnswer, configApplyMachine } from '../../machines/config-apply.machine.js';
import { SupervisorError } from '../errors.js';
import { commandBoundMs, type CommandTimeouts } from '../lifecycle/command-wait.js';
import { serverDefaults } from './defaults.js';

/** The part of the config actor the HTTP layer talks to. */
export type ConfigApplyActorRef = Pick<ActorRefFrom<typeof configApplyMachine>, 'send' | 'on' | 'subscribe' | 'getSnapshot'>;

/** A validated change to apply. */
export interface ConfigChange {
  values: Record<string, unknown>;
  restart: boolean;
}

/** Sends one change to the config actor and resolves with its answer. */
export type ApplyConfig = (change: ConfigChange) => Promise<ConfigApplyAnswer>;

/** Bound on one change: two restarts (the new config, then the restored one). */
export function applyTimeoutMs(server: CommandTimeouts = serverDefaults): number {
  return 2 * commandBoundMs(server) + 5_000;
}

/**
 * Talks to the config actor (or a getter for it, for an actor system started later): each call sends
 * `config.apply` with a fresh requestId and waits for the matching `config.answered`. Rejects with
 * ERR_COMMAND_TIMEOUT after `timeoutMs` and ERR_SHUTTING_DOWN when the actor is not (or no longer) running.
 */
export function createConfigApplyClient(
  actor: ConfigApplyActorRef | (() => ConfigApplyActorRef | undefined),
  options: { timeoutMs?: number | (() => number) } = {},
): ApplyConfig {
  return (change) =>
    new Promise<ConfigApplyAnswer>((resolve, reject) => {
      // Asked per change: the timeouts in config.yaml may have been edited since start-up.
      const timeoutMs = typeof options.timeoutMs === 'function' ? options.timeoutMs() : (options.timeoutMs ?? applyTimeoutMs());
      const ref = typeof actor === 'function' ? actor() : actor;
      if (!ref || ref.getSnapshot().status !== 'active') {
        reject(new SupervisorError('ERR_SHUTTING_DOWN', 'The config actor is not running'));
        return;
      }
      const requestId = randomUUID();
      const settle = (finish: () => void) => {
        clearTimeout(timer);
        answered.unsubscribe();
        stopped.unsubscribe();
        finish();
      };
      const timer = setTimeout(
        () => settle(() => reject(new SupervisorError('ERR_COMMAND_TIMEOUT', `No answer to the config change within ${timeoutMs} ms; it may still be applied`))),
        timeoutMs,
      );
      const answered = ref.on('config.answered', ({ answer }) => {
        if (answer.requestId === requestId) settle(() => resolve(answer));
      });
      // The actor stopping (shutdown) or failing would otherwise leave the request waiting for the timeout.
      const stopped = ref.subscribe({
        complete: () => settle(() => reject(new SupervisorError('ERR_SHUTTING_DOWN', 'The config actor stopped before answering'))),
        error: (error) => settle(() => reject(new SupervisorError('ERR_INTERNAL', 'The config actor failed', { cause: error }))),
      });
      ref.send({ type: 'config.apply', request: { requestId, values: change.values, restart: change.restart } });
    });
}
