// Preloaded into a supervisor under measurement (`node --expose-gc --import <this file> …`): on SIGUSR2 it runs full
// garbage collections and appends what survived to the file named by env GC_PROBE_OUT, one JSON line per signal. With
// env GC_PROBE_SNAPSHOTS (a folder) it also writes a heap snapshot there each time, for finding what holds memory.
// The supervisor itself never handles SIGUSR2; nothing else of its behaviour changes.
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapStatistics, writeHeapSnapshot } from 'node:v8';

const out = process.env.GC_PROBE_OUT;
const snapshots = process.env.GC_PROBE_SNAPSHOTS;
/** @type {(() => void) | undefined} present with --expose-gc */
const gc = /** @type {{ gc?: () => void }} */ (globalThis).gc;
let taken = 0;

if (out && gc) {
  process.on('SIGUSR2', () => {
    // Two passes: objects freed by the first (weak references, finalizers) are collected by the second.
    gc();
    gc();
    const memory = process.memoryUsage();
    const heap = getHeapStatistics();
    taken += 1;
    if (snapshots) writeHeapSnapshot(join(snapshots, `probe-${taken}.heapsnapshot`));
    appendFileSync(
      out,
      `${JSON.stringify({
        n: taken,
        heapUsed: memory.heapUsed,
        heapCommitted: heap.total_heap_size,
        external: memory.external,
        arrayBuffers: memory.arrayBuffers,
        rss: memory.rss,
      })}\n`,
    );
  });
}
