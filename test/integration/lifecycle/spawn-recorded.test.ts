import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPidFile } from '../../../src/lifecycle/pid-file.js';
import { isAlive, readProcStat } from '../../../src/lifecycle/process-group.js';
import { factsUnderTest } from '../../support/facts-under-test.js';
import { spawnRecorded } from '../../../src/lifecycle/spawn-recorded.js';
import { makeFolderReadOnly, type ReadOnlyFolder } from '../../support/read-only-folder.js';
import { waitFor } from '../../support/wait-for.js';

const facts = factsUnderTest();

describe(`spawnRecorded (${facts.kind})`, () => {
  let dir: string;
  const children: number[] = [];
  let readOnly: ReadOnlyFolder | null = null;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'psup-spawn-'))));
  afterEach(async () => {
    for (const pid of children.splice(0)) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await waitFor(`pid ${pid} to be gone`, () => !isAlive(pid));
    }
    readOnly?.undo();
    readOnly = null;
    rmSync(dir, { recursive: true, force: true });
  });

  it('has the pid file written, naming the new process and its start time, by the time it returns', () => {
    const pidPath = join(dir, 'server.pid');
    const command = [process.execPath, '-e', 'setTimeout(() => {}, 30000)'];
    const { child, pidFileError } = spawnRecorded(command, { detached: true, stdio: 'ignore' }, pidPath, () => 1234, facts);
    children.push(child.pid as number);
    // Read synchronously, before any event (not even 'spawn') has been delivered.
    const record = readPidFile(pidPath);
    expect(pidFileError).toBeNull();
    expect(record).toEqual({
      pid: child.pid,
      pgid: child.pid,
      startedAt: 1234,
      startMark: facts.identity(child.pid as number)?.startMark,
      command,
      supervisorPid: process.pid,
    });
    // The mark is what this machine's kernel says: /proc's start ticks, or ps's start time (to the second, in UTC).
    const ticks = readProcStat(child.pid as number)?.startTicks;
    if (facts.kind === 'procfs') expect(record?.startMark).toBe(`proc:${ticks}`);
    else expect(record?.startMark).toMatch(/^ps:[A-Z][a-z]{2} [A-Z][a-z]{2} +\d{1,2} \d\d:\d\d:\d\d \d{4}$/);
  });

  it('writes nothing for a command that cannot run, and leaves the error to the error event', async () => {
    const pidPath = join(dir, 'server.pid');
    const { child } = spawnRecorded([join(dir, 'no-such-server')], { stdio: 'ignore' }, pidPath, Date.now, facts);
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => child.once('error', resolve));
    expect(error.code).toBe('ENOENT');
    expect(existsSync(pidPath)).toBe(false);
  });

  it('still starts the server when the pid file cannot be written, and says why', () => {
    readOnly = makeFolderReadOnly(dir);
    const { child, pidFileError } = spawnRecorded(
      [process.execPath, '-e', 'setTimeout(() => {}, 30000)'],
      { detached: true, stdio: 'ignore' },
      join(dir, 'server.pid'),
      Date.now,
      facts,
    );
    children.push(child.pid as number);
    expect(isAlive(child.pid as number)).toBe(true);
    expect(pidFileError).toMatch(/EACCES|EPERM|EROFS/);
  });
});
