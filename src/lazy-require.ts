import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A package loaded on first use instead of at boot, synchronously (through its CommonJS build).
 * For what an idle supervisor does not touch until someone asks (validation, SSE, metrics, the Models API client):
 * each costs megabytes of resident memory from the moment it is imported (test/bench/RESULTS.md, goal 2).
 */
export function lazyRequire<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(specifier) as T);
}
