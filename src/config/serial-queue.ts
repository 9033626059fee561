/** Runs one task at a time, in call order; a task that fails does not stop the ones queued after it. */
export type SerialQueue = <T>(task: () => Promise<T>) => Promise<T>;

/** A promise queue: each task starts when the one before it has settled. */
export function createSerialQueue(): SerialQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}
