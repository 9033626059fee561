import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { procfsFacts, psFacts, type ProcessFacts } from '../../../src/lifecycle/process-facts.js';
import { groupMembers as truthMembers, isAlive as truthAlive, readProcStat } from '../../../src/lifecycle/process-group.js';
import { waitFor } from '../../support/wait-for.js';

// Both ways of asking, on this machine's real processes: /proc, and signal 0 + ps + lsof as on macOS (procps' ps
// understands the same options as macOS's). The truth they are checked against is read from /proc.
const kinds: ProcessFacts[] = [procfsFacts, psFacts()];

describe.each(kinds)('process facts through $kind', (facts) => {
  const started: ChildProcess[] = [];
  afterEach(async () => {
    for (const child of started.splice(0)) {
      const pgid = child.pid as number;
      if (truthMembers(pgid).length > 0) process.kill(-pgid, 'SIGKILL');
      await waitFor(`group ${pgid} to be gone`, () => truthMembers(pgid).length === 0);
    }
  });

  // A process leading its own group, as the supervisor starts the server.
  function leader(args: string[]): ChildProcess {
    const child = spawn(args[0] as string, args.slice(1), { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
    started.push(child);
    return child;
  }

  it('names a live process by its group and a start mark that stays the same and differs from another process', () => {
    const child = leader([process.execPath, '-e', 'setInterval(() => {}, 1000)']);
    const pid = child.pid as number;
    const identity = facts.identity(pid);
    expect(identity).toEqual({ pgid: pid, startMark: expect.stringMatching(facts.kind === 'procfs' ? /^proc:\d+$/ : /^ps:\w{3} \w{3} \d{1,2} \d\d:\d\d:\d\d \d{4}$/) });
    expect(facts.identity(pid)).toEqual(identity);
    // init started long before: a pid recycled for this process could not pass for it.
    expect(facts.identity(1)?.startMark).not.toBe(identity?.startMark);
    expect(facts.isAlive(pid)).toBe(true);
  });

  it('has no identity and no liveness for a pid that is gone', async () => {
    const child = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => child.once('exit', resolve));
    expect(facts.identity(child.pid as number)).toBeNull();
    expect(facts.isAlive(child.pid as number)).toBe(false);
    expect(facts.groupMembers(child.pid as number)).toEqual([]);
  });

  it('counts a grandchild as a member of the group until it is killed, and a zombie never', async () => {
    // sh starts a grandchild that lives and one that exits at once, then becomes `sleep`, which never reaps the latter.
    const child = leader(['/bin/sh', '-c', 'sleep 30 & echo $!; sleep 0 & echo $!; exec sleep 30']);
    const pgid = child.pid as number;
    const [grandchild, zombie] = await new Promise<number[]>((resolve) => {
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const pids = out.split('\n').filter(Boolean).map(Number);
        if (pids.length === 2) resolve(pids);
      });
    });
    await waitFor('the short-lived grandchild to be a zombie', () => readProcStat(zombie as number)?.state === 'Z');
    expect(facts.groupMembers(pgid).sort()).toEqual([pgid, grandchild].sort());
    expect(facts.identity(zombie as number)).toBeNull();
    process.kill(pgid, 'SIGKILL');
    await waitFor('the leader to be gone', () => !truthAlive(pgid));
    // The leader is gone; the grandchild it left still holds the group.
    expect(facts.groupMembers(pgid)).toEqual([grandchild]);
    process.kill(-pgid, 'SIGKILL');
    await waitFor('the group to be empty', () => facts.groupMembers(pgid).length === 0);
    expect(truthMembers(pgid)).toEqual([]);
  });

  it('finds the pid and command line of the process listening on a port', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      const holder = facts.portHolder(port);
      expect(holder).toEqual({ pid: process.pid, command: expect.stringContaining(process.execPath) });
    } finally {
      server.close();
    }
  });
});
