import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { MetricsSampler } from '../../../src/metrics/metrics-sampler.js';
import { waitFor } from '../../support/wait-for.js';

// The /proc/<pid>/stat files this process holds open (pidusage keeps one per sampled pid between samples).
function heldStatFiles(): string[] {
  const held: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (/^\/proc\/\d+\/stat$/.test(target)) held.push(target);
    } catch {
      // closed while we looked
    }
  }
  return held;
}

describe('metrics sampler (real processes, /proc)', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });

  it('lets go of the /proc file of a process soon after it was last sampled (one per server restart otherwise piles up)', async () => {
    const sampler = new MetricsSampler(1_000, Date.now, 300);
    const pids: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const child = spawn('sleep', ['30'], { stdio: 'ignore' });
      children.push(child);
      pids.push(child.pid as number);
    }
    for (const pid of pids) expect(await sampler.sample(pid)).toMatchObject({ memoryBytes: expect.any(Number) });
    const held = heldStatFiles();
    for (const pid of pids) expect(held).toContain(`/proc/${pid}/stat`);
    await waitFor('the sampled processes\' /proc files to be closed', () => pids.every((pid) => !heldStatFiles().includes(`/proc/${pid}/stat`)), { timeoutMs: 5_000 });
  });
});
