import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A package loaded on first use instead of at boot, synchronously (through its CommonJS build), from node_modules:
 * for the large ones an idle supervisor does not touch until someone asks (config validation, the Models API client).
 * Each would cost megabytes of resident memory from the moment it is imported (test/bench/RESULTS.md, goal 2); inside
 * the daemon bundle their source (about 1 MB together) would stay in memory from boot.
 */
export function lazyRequire<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(specifier) as T);
}

/**
 * A module imported on first use, once; a failed import is tried again on the next call. Pass `() => import('name')`
 * with the name written out: the daemon bundle (scripts/build-daemon.mjs) then carries the package inside and runs it
 * only on that first call, instead of loading it from node_modules (loading modules from disk is itself work enough to
 * wake V8's optimizing compiler in an idle daemon: about 4 MiB of resident memory from then on).
 */
export function lazyImport<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
}
