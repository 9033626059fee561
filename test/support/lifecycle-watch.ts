import type { SnapshotFrom } from 'xstate';
import type { ConfigApplyActorRef } from '../../src/config/config-apply.client.js';
import { statePath } from '../../src/http/views.js';
import type { ServerActor } from '../../src/system.js';
import type { Harness } from './supervisor-harness.js';

export type ServerSnapshot = SnapshotFrom<ServerActor>;

/**
 * Resolves with the first lifecycle snapshot (current or coming) that satisfies `predicate`, after running `act` on it
 * synchronously: a fault injected there lands at exactly that state, not some polling interval later.
 */
export function whenServer(
  h: Harness,
  what: string,
  predicate: (snapshot: ServerSnapshot) => boolean,
  act: (snapshot: ServerSnapshot) => void = () => undefined,
  timeoutMs = 10_000,
): Promise<ServerSnapshot> {
  const server = h.sup.system.server;
  return new Promise((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => finish(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`))), timeoutMs);
    const finish = (settle: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // Deferred: the current snapshot may match before `subscription` below is assigned.
      queueMicrotask(() => subscription.unsubscribe());
      settle();
    };
    const check = (snapshot: ServerSnapshot) => {
      if (done || !predicate(snapshot)) return;
      try {
        act(snapshot);
        finish(() => resolve(snapshot));
      } catch (error) {
        finish(() => reject(error as Error));
      }
    };
    const subscription = server.subscribe(check);
    check(server.getSnapshot());
  });
}

/** The config actor of a running supervisor (systemId 'config'). */
export function configActor(h: Harness): ConfigApplyActorRef {
  const actor = h.sup.system.root.system.get('config') as ConfigApplyActorRef | undefined;
  if (!actor) throw new Error('no config actor in the system');
  return actor;
}

/** The lifecycle state paths ("stopping.terminating") entered from now on, in order (consecutive repeats merged). */
export function recordStates(h: Harness): { states: string[]; stop(): void } {
  const states: string[] = [];
  const subscription = h.sup.system.server.subscribe((s) => {
    const state = statePath(s.value);
    if (states.at(-1) !== state) states.push(state);
  });
  return { states, stop: () => subscription.unsubscribe() };
}
