import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkAdoption } from '../../../src/lifecycle/adoption.js';
import { readPidFile } from '../../../src/lifecycle/pid-file.js';
import { processFactsFor, psFacts, type ProcessFacts } from '../../../src/lifecycle/process-facts.js';
import { readProcStat } from '../../../src/lifecycle/process-group.js';

// A `ps` that answers from a table of argument lines, and fails like execFileSync for anything else.
function ps(answers: Record<string, string | { status: number; stdout: string } | { code: string }>) {
  const ran: string[] = [];
  const run = (args: string[]) => {
    const line = args.join(' ');
    ran.push(line);
    const answer = answers[line];
    if (typeof answer === 'string') return answer;
    if (answer && 'status' in answer) throw Object.assign(new Error(`ps exited with ${answer.status}`), answer);
    throw Object.assign(new Error(`spawn ps ${answer?.code ?? 'ENOENT'}`), { code: answer?.code ?? 'ENOENT' });
  };
  return { run, ran };
}

describe('psFacts (macOS: signal 0, ps, lsof)', () => {
  it('reads the group and the start time from ps -o pgid=,stat=,lstart=, whitespace made single', () => {
    const { run, ran } = ps({ '-o pgid=,stat=,lstart= -p 4242': '  4242 Ss   Sat Dec  6 06:40:00 2025\n' });
    expect(psFacts(run).identity(4242)).toEqual({ pgid: 4242, startMark: 'ps:Sat Dec 6 06:40:00 2025' });
    expect(ran).toEqual(['-o pgid=,stat=,lstart= -p 4242']);
  });

  it('has no identity for a zombie or for a pid ps does not know (exit status 1, no output)', () => {
    const { run } = ps({
      '-o pgid=,stat=,lstart= -p 7': '  7 Z+ Sat Dec  6 06:40:00 2025\n',
      '-o pgid=,stat=,lstart= -p 8': { status: 1, stdout: '' },
    });
    expect(psFacts(run).identity(7)).toBeNull();
    expect(psFacts(run).identity(8)).toBeNull();
  });

  it('throws, naming the pid, when ps cannot be run or says something unreadable', () => {
    expect(() => psFacts(ps({}).run).identity(9)).toThrow(/^cannot ask ps about pid 9: spawn ps ENOENT$/);
    expect(() => psFacts(ps({ '-o pgid=,stat=,lstart= -p 9': 'garbage\n' }).run).identity(9)).toThrow(
      'cannot read what ps says about pid 9: "garbage"',
    );
  });

  it('lists the live members of a group from ps -A, leaving out zombies and other groups', () => {
    // Signal 0 to this test's own group succeeds, so ps is asked.
    const pgid = readProcStat(process.pid)?.pgid as number;
    const table = `  ${pgid} ${pgid} S+\n  501 ${pgid} Z\n  502 ${pgid} R\n  600 601 S\n`;
    const { run } = ps({ '-A -o pid=,pgid=,stat=': table });
    expect(psFacts(run).groupMembers(pgid)).toEqual([pgid, 502]);
  });

  it('answers an empty group from signal 0 alone, without running ps', () => {
    const { run, ran } = ps({});
    expect(psFacts(run).groupMembers(2 ** 22 + 12345)).toEqual([]);
    expect(ran).toEqual([]);
  });
});

describe('processFactsFor', () => {
  it('reads /proc on Linux where it is mounted, and asks ps on macOS or where /proc is missing', () => {
    expect(processFactsFor('linux', () => true).kind).toBe('procfs');
    expect(processFactsFor('linux', () => false).kind).toBe('ps');
    expect(processFactsFor('darwin', () => true).kind).toBe('ps');
  });
});

describe('pid files and adoption', () => {
  const dir = mkdtempSync(join(tmpdir(), 'psup-facts-'));
  const facts = (identity: ProcessFacts['identity']): ProcessFacts => ({ ...psFacts(() => ''), identity });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the kernel start time an earlier version wrote as startTicks as a /proc start mark', () => {
    const path = join(dir, 'legacy.pid');
    writeFileSync(path, JSON.stringify({ pid: 5, pgid: 5, startedAt: 1, startTicks: 4242, command: ['x'], supervisorPid: 1 }));
    expect(readPidFile(path)).toMatchObject({ pid: 5, startMark: 'proc:4242' });
  });

  it('keeps the pid file and adopts nothing when the process cannot be checked', () => {
    const path = join(dir, 'unknown.pid');
    writeFileSync(path, JSON.stringify({ pid: 5, pgid: 5, startedAt: 1, startMark: 'ps:x', command: ['x'], supervisorPid: 1 }));
    const verdict = checkAdoption(path, facts(() => {
      throw new Error('cannot ask ps about pid 5');
    }));
    expect(verdict).toEqual({ adopt: null, reason: 'cannot check the process' });
    expect(readPidFile(path)).not.toBeNull();
  });

  it('adopts only a process whose group and start mark both match the record', () => {
    const path = join(dir, 'match.pid');
    const record = { pid: 5, pgid: 5, startedAt: 1, startMark: 'ps:Sat Dec 6 06:40:00 2025', command: ['x'], supervisorPid: 1 };
    writeFileSync(path, JSON.stringify(record));
    expect(checkAdoption(path, facts(() => ({ pgid: 5, startMark: record.startMark })))).toEqual({ adopt: { pid: 5, pgid: 5, startedAt: 1, adopted: true } });
    expect(checkAdoption(path, facts(() => ({ pgid: 6, startMark: record.startMark })))).toEqual({ adopt: null, reason: 'pid belongs to another process' });
  });
});
