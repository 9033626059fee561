/** How a bounded wait ends when no answer comes: its bound passes, or the caller gives up. */
export interface WaitBound<T> {
  ms: number;
  /** The result when `ms` passes first. */
  onTimeout(): T;
  /** Aborting it ends the wait with `onAbort()`. */
  signal?: AbortSignal;
  onAbort?(): T;
}

/**
 * Waits for `watch` to answer, at most `bound.ms`. `watch` subscribes to whatever it waits on, may answer at once,
 * and returns its unsubscribe. The first of answer, timeout and abort wins; the timer, the abort listener and the
 * subscription are all released.
 */
export function boundedWait<T>(watch: (answer: (result: T) => void) => () => void, bound: WaitBound<T>): Promise<T> {
  return new Promise<T>((resolve) => {
    let settled = false;
    let release: (() => void) | null = null;
    const finish = (result: T) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      bound.signal?.removeEventListener('abort', onAbort);
      release?.();
      resolve(result);
    };
    const onAbort = () => bound.onAbort && finish(bound.onAbort());
    const timer = setTimeout(() => finish(bound.onTimeout()), bound.ms);
    bound.signal?.addEventListener('abort', onAbort);
    const unsubscribe = watch(finish);
    // An answer given while `watch` was still subscribing finds nothing to release yet.
    if (settled) unsubscribe();
    else release = unsubscribe;
  });
}
