import { fromCallback, fromPromise, type EventObject, type NonReducibleUnknown } from 'xstate';

// The default of every effect slot a machine declares: src/ fills the slot with .provide() (src/system.ts); a slot
// left unprovided throws "not provided: <slot>" the moment it runs, so a missing .provide() is a crash in the first
// test that reaches it, never a silent no-op.

/** The error an unprovided slot throws. */
export function notProvidedError(slot: string): Error {
  return new Error(`not provided: ${slot}`);
}

/** Defaults for the three kinds of effect slot. */
export const notProvided = {
  /** A long-lived effect (fromCallback): the actor errors as it starts. */
  callback<TEvent extends EventObject, TInput = NonReducibleUnknown>(slot: string) {
    return fromCallback<TEvent, TInput>(() => {
      throw notProvidedError(slot);
    });
  },
  /** A one-shot effect (fromPromise): rejects, so the invoking state's onError runs. */
  promise<TOutput, TInput = NonReducibleUnknown>(slot: string) {
    return fromPromise<TOutput, TInput>(async () => {
      throw notProvidedError(slot);
    });
  },
  /** An effectful action: throws when the action runs. */
  action(slot: string) {
    return (): void => {
      throw notProvidedError(slot);
    };
  },
};
