import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPidFile } from '../../../src/lifecycle/pid-file.js';
import { isAlive, readProcStat } from '../../../src/lifecycle/process-group.js';
import { spawnRecorded } from '../../../src/lifecycle/spawn-recorded.js';
import { makeFolderReadOnly, type ReadOnlyFolder } from '../../support/read-only-folder.js';
import { waitFor } from '../../support/wait-for.js';

describe('spawnRecorded', () => {
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

  it('has the pid file written, naming the new process and its kernel start time, by the time it returns', () => {
    const pidPath = join(dir, 'server.pid');
    const command = [process.execPath, '-e', 'setTimeout(() => {}, 30000)'];
    const { child, pidFileError } = spawnRecorded(command, { detached: true, stdio: 'ignore' }, pidPath, () => 1234);
    children.push(child.pid as number);
    // Read synchronously, before any event (not even 'spawn') has been delivered.
    const record = readPidFile(pidPath);
    expect(pidFileError).toBeNull();
    expect(record).toEqual({
      pid: child.pid,
      pgid: child.pid,
      startedAt: 1234,
      startTicks: readProcStat(child.pid as number)?.startTicks,
      command,
      supervisorPid: process.pid,
    });
    expect(record?.startTicks).toEqual(expect.any(Number));
  });

  it('writes nothing for a command that cannot run, and leaves the error to the error event', async () => {
    const pidPath = join(dir, 'server.pid');
    const { child } = spawnRecorded([join(dir, 'no-such-server')], { stdio: 'ignore' }, pidPath, Date.now);
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
    );
    children.push(child.pid as number);
    expect(isAlive(child.pid as number)).toBe(true);
    expect(pidFileError).toMatch(/EACCES|EPERM|EROFS/);
  });
});
