import type { ConfigRef, ServerSnapshot } from '../../src/actors/actor-refs.js';
import { statePath } from '../../src/actors/state-value.js';
import type { Harness } from './supervisor-harness.js';

export type { ServerSnapshot };

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
  const server = h.sup.system.refs.server;
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
export function configActor(h: Harness): ConfigRef {
  return h.sup.system.refs.config;
}

/** The lifecycle state paths ("stopping.terminating") entered from now on, in order (consecutive repeats merged). */
export function recordStates(h: Harness): { states: string[]; stop(): void } {
  const states: string[] = [];
  const subscription = h.sup.system.refs.server.subscribe((s) => {
    const state = statePath(s.value);
    if (states.at(-1) !== state) states.push(state);
  });
  return { states, stop: () => subscription.unsubscribe() };
}
