import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkAdoption } from '../../../src/lifecycle/adoption.js';
import { readPidFile } from '../../../src/lifecycle/pid-file.js';
import { isAlive, readProcStat } from '../../../src/lifecycle/process-group.js';
import { startHarness, type Harness } from '../../support/supervisor-harness.js';
import { waitFor } from '../../support/wait-for.js';

function pidRecord(pid: number, startTicks: number | null) {
  return JSON.stringify({ pid, pgid: pid, startedAt: Date.now(), startTicks, command: ['x'], supervisorPid: 1 });
}

describe('pid files from an earlier supervisor', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('removes a pid file whose process is gone, and starts a fresh server', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'psup-pid-'));
    mkdirSync(join(dir, 'logs'));
    const dead = spawn(process.execPath, ['-e', '']);
    const deadPid = dead.pid as number;
    await new Promise((resolve) => dead.once('exit', resolve));
    const pidPath = join(dir, 'logs', 'server.pid');
    writeFileSync(pidPath, pidRecord(deadPid, 1));
    expect(checkAdoption(pidPath)).toEqual({ adopt: null, reason: 'process is gone' });
    expect(existsSync(pidPath)).toBe(false);
  });

  it('kills what is left of the group of a server that died while no supervisor watched it', async () => {
    // A server (its own group's leader, as the spawner starts it) with a grandchild in its group, then SIGKILLed
    // while no supervisor runs: the grandchild lives on in the group of a dead leader.
    const code = `const c = require('node:child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
console.log(c.pid); setInterval(() => {}, 1000);`;
    const server = spawn(process.execPath, ['-e', code], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    const pid = server.pid as number;
    let out = '';
    server.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const grandchild = await waitFor('the grandchild pid', () => Number(/^(\d+)\n/.exec(out)?.[1]) || undefined);
    try {
      const dir = mkdtempSync(join(tmpdir(), 'psup-pid-'));
      const pidPath = join(dir, 'server.pid');
      writeFileSync(pidPath, pidRecord(pid, readProcStat(pid)?.startTicks ?? null));
      server.kill('SIGKILL');
      await new Promise((resolve) => server.once('exit', resolve));
      expect(readProcStat(grandchild)?.pgid).toBe(pid);

      expect(checkAdoption(pidPath)).toEqual({ adopt: null, reason: 'process is gone' });
      expect(isAlive(grandchild)).toBe(false);
      expect(existsSync(pidPath)).toBe(false);
    } finally {
      if (isAlive(grandchild)) process.kill(grandchild, 'SIGKILL');
    }
  });

  it('does not adopt a live process of another program that reuses the pid', async () => {
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });
    const pid = other.pid as number;
    try {
      const dir = mkdtempSync(join(tmpdir(), 'psup-pid-'));
      const pidPath = join(dir, 'server.pid');
      // Same pid and group, but another start time: a recycled pid, not our server.
      const ticks = readProcStat(pid)?.startTicks ?? 0;
      writeFileSync(pidPath, pidRecord(pid, ticks + 1));
      expect(checkAdoption(pidPath)).toEqual({ adopt: null, reason: 'pid belongs to another process' });
      expect(existsSync(pidPath)).toBe(false);
      expect(isAlive(pid)).toBe(true);
      writeFileSync(pidPath, pidRecord(pid, ticks));
      expect(checkAdoption(pidPath)).toMatchObject({ adopt: { pid, pgid: pid, adopted: true } });
    } finally {
      process.kill(-pid, 'SIGKILL');
    }
  });

  it('a supervisor starting next to a stale pid file starts its own server and records it', async () => {
    h = await startHarness({ server: { autostart: false } });
    await h.sup.close();
    const dir = h.dir;
    mkdirSync(join(dir, 'logs'), { recursive: true });
    writeFileSync(join(dir, 'logs', 'server.pid'), pidRecord(process.pid, 1));
    h = await startHarness({ dir });
    await h.post('/supervisor/server/start');
    const status = await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    expect(status.main_server_adopted).toBe(false);
    expect(readPidFile(join(dir, 'logs', 'server.pid'))).toMatchObject({ pid: status.main_server_pid, pgid: status.main_server_pid });
    await waitFor('this test process is untouched', () => isAlive(process.pid));
  });
});
