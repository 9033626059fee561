// Appends bench lines to fd 1, which the bench opened on server.log with O_APPEND (as the spawner does).
// Each line carries process.hrtime.bigint() at write time: CLOCK_MONOTONIC, comparable across processes on Linux.
import { writeSync } from 'node:fs';

/** @param {string} text */
function append(text) {
  const bytes = Buffer.from(text);
  let done = 0;
  while (done < bytes.length) done += writeSync(1, bytes, done, bytes.length - done);
}

process.on('message', async (/** @type {{ mode: string, tag: string, count: number, intervalMs?: number }} */ job) => {
  if (job.mode === 'paced') {
    // One line at a time, spaced out: latency as a user watching a live log sees it.
    for (let i = 0; i < job.count; i += 1) {
      append(`${job.tag} ${i} ${process.hrtime.bigint()} GET /api/health 200 0.4ms\n`);
      await new Promise((resolve) => setTimeout(resolve, job.intervalMs ?? 2));
    }
  } else {
    // As fast as possible, in 64 KiB writes: throughput.
    let batch = '';
    for (let i = 0; i < job.count; i += 1) {
      batch += `${job.tag} ${i} ${process.hrtime.bigint()} ${'x'.repeat(60)}\n`;
      if (batch.length >= 64 * 1024) {
        append(batch);
        batch = '';
      }
    }
    if (batch) append(batch);
  }
  process.send?.({ done: true });
});
