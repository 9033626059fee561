import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkAdoption } from '../../../src/lifecycle/adoption.js';
import { readPidFile } from '../../../src/lifecycle/pid-file.js';
import { groupMembers, isAlive } from '../../../src/lifecycle/process-group.js';
import { factsUnderTest } from '../../support/facts-under-test.js';
import { startHarness, type Harness } from '../../support/supervisor-harness.js';
import { waitFor } from '../../support/wait-for.js';

// Whatever facts the supervisor is given (/proc, or ps as on macOS), the checks below observe through /proc.
const facts = factsUnderTest();

function pidRecord(pid: number, startMark: string | null) {
  return JSON.stringify({ pid, pgid: pid, startedAt: Date.now(), startMark, command: ['x'], supervisorPid: 1 });
}

// The start mark of a live process, as the facts under test read it.
function startMark(pid: number): string {
  const identity = facts.identity(pid);
  if (!identity) throw new Error(`pid ${pid} is not alive`);
  return identity.startMark;
}

describe(`pid files from an earlier supervisor (${facts.kind})`, () => {
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
    writeFileSync(pidPath, pidRecord(deadPid, 'proc:1'));
    expect(checkAdoption(pidPath, facts)).toEqual({ adopt: null, reason: 'process is gone' });
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
      writeFileSync(pidPath, pidRecord(pid, startMark(pid)));
      server.kill('SIGKILL');
      await new Promise((resolve) => server.once('exit', resolve));
      expect(facts.identity(grandchild)?.pgid).toBe(pid);

      expect(checkAdoption(pidPath, facts)).toEqual({ adopt: null, reason: 'process is gone' });
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
      // Same pid and group, but the start time of another process (init's, hours ago): a recycled pid, not our server.
      writeFileSync(pidPath, pidRecord(pid, startMark(1)));
      expect(checkAdoption(pidPath, facts)).toEqual({ adopt: null, reason: 'pid belongs to another process' });
      expect(existsSync(pidPath)).toBe(false);
      expect(isAlive(pid)).toBe(true);
      // No start time recorded: it cannot be told from a stranger either.
      writeFileSync(pidPath, pidRecord(pid, null));
      expect(checkAdoption(pidPath, facts)).toEqual({ adopt: null, reason: 'pid belongs to another process' });
      writeFileSync(pidPath, pidRecord(pid, startMark(pid)));
      expect(checkAdoption(pidPath, facts)).toMatchObject({ adopt: { pid, pgid: pid, adopted: true } });
    } finally {
      process.kill(-pid, 'SIGKILL');
    }
  });

  it('a supervisor starting next to a stale pid file starts its own server and records it', async () => {
    h = await startHarness({ server: { autostart: false } });
    await h.sup.close();
    const dir = h.dir;
    mkdirSync(join(dir, 'logs'), { recursive: true });
    writeFileSync(join(dir, 'logs', 'server.pid'), pidRecord(process.pid, 'proc:1'));
    h = await startHarness({ dir });
    await h.post('/supervisor/server/start');
    const status = await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    expect(status.main_server_adopted).toBe(false);
    expect(readPidFile(join(dir, 'logs', 'server.pid'))).toMatchObject({ pid: status.main_server_pid, pgid: status.main_server_pid, startMark: startMark(status.main_server_pid) });
    await waitFor('this test process is untouched', () => isAlive(process.pid));
  });

  it('adopts the server an earlier supervisor left running, notices its crash by polling, and kills the grandchild it left', async () => {
    const grandchildFile = join(tmpdir(), `psup-adopt-grandchild-${process.pid}-${Date.now()}`);
    const server = { stop_timeout_ms: 300, env: { GRANDCHILD_PID_FILE: grandchildFile } };
    const first = await startHarness({ fixture: 'spawns-grandchild.mjs', keepServer: true, server });
    const { main_server_pid: pid } = await first.waitForStatus('running', (s) => s.main_server_status === 'running');
    const grandchild = await waitFor('grandchild pid file', () => Number(readFileSync(grandchildFile, 'utf8')) || undefined);
    await first.close();
    try {
      h = await startHarness({ dir: first.dir });
      const adopted = await h.waitForStatus('the kept server adopted and running', (s) => s.main_server_status === 'running');
      expect(adopted).toMatchObject({ main_server_pid: pid, main_server_adopted: true, restart_count: 0 });
      // The adopted server is not our child: its death is seen by polling its pid, and what it left behind is killed.
      process.kill(pid, 'SIGKILL');
      const restarted = await h.waitForStatus('a new server after the crash', (s) => s.main_server_status === 'running' && s.main_server_pid !== pid);
      expect(restarted).toMatchObject({ main_server_adopted: false, restart_count: 1 });
      expect(isAlive(grandchild)).toBe(false);
      expect(groupMembers(pid)).toEqual([]);
    } finally {
      await h?.close();
      h = undefined;
      if (groupMembers(pid).length > 0) process.kill(-pid, 'SIGKILL');
      rmSync(grandchildFile, { force: true });
      rmSync(first.dir, { recursive: true, force: true });
    }
  });
});
