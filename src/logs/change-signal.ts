import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';

/** Wakes a waiter when the log (or a backup) may have changed: fs.watch on the folder plus a poll fallback. */
export interface ChangeSignal {
  /** Resolves at the next change notice (or poll tick), or at once if one arrived since the last wait. */
  next(): Promise<void>;
  /** Stops watching and polling; a pending next() resolves. */
  close(): void;
}

/** Watches the log's folder (rotation renames and recreations included) and polls every `pollMs` as a fallback. */
export function watchLogChanges(logPath: string, pollMs: number): ChangeSignal {
  const name = basename(logPath);
  let pending = true; // the first next() returns at once, so the caller reads before it waits
  let wake: (() => void) | null = null;
  let closed = false;
  const notify = (): void => {
    pending = true;
    const resolve = wake;
    wake = null;
    resolve?.();
  };

  // fs.watch is fast but not guaranteed (network file systems, a folder created later): the poll covers for it, and
  // retries the watch while there is none (the folder may appear once the server first starts).
  let watcher: FSWatcher | null = null;
  const startWatching = (): void => {
    try {
      const current = watch(dirname(logPath), (_event, file) => {
        if (file === null || String(file).startsWith(name)) notify();
      });
      current.on('error', () => {
        current.close();
        if (watcher === current) watcher = null;
      });
      watcher = current;
    } catch {
      watcher = null;
    }
  };
  startWatching();
  // Watcher and timer stay ref'd on purpose: a follower left open is then a visible leak, not a silent one.
  const poll = setInterval(() => {
    if (!watcher && !closed) startWatching();
    notify();
  }, pollMs);

  return {
    next() {
      if (pending || closed) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        wake = resolve;
      });
    },
    close() {
      if (closed) return;
      closed = true;
      clearInterval(poll);
      watcher?.close();
      watcher = null;
      notify();
    },
  };
}
