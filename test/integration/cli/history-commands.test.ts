import { runCommand } from '../../support/cli-harness.js';
import { startHarness, type Harness } from '../../support/supervisor-harness.js';
import { waitFor } from '../../support/wait-for.js';

describe('history and events commands against a real supervisor', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('prints the history as a table, one crash with its log tail, and JSON', async () => {
    h = await startHarness({ server: { stable_ms: 60_000, env: { FIXTURE_SAY: 'last words before the kill' } } });
    const { main_server_pid: pid } = await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    process.kill(pid, 'SIGKILL');
    const crash = await waitFor('the crash in the history', async () => (await h!.history()).find((e) => e.type === 'crashed'));
    const env = { SUPERVISOR_URL: h.url };

    const table = await runCommand(['history', '-n', '5'], { env });
    expect(table.code).toBe(0);
    const [header, ...rows] = table.out.trimEnd().split('\n');
    expect(header).toMatch(/^#\s+time\s+event\s+pid\s+code\/signal\s+ran for\s+reason$/);
    const crashRow = rows.find((row) => row.includes(' crashed '));
    expect(crashRow).toMatch(new RegExp(`^${crash.seq}\\s+\\S+Z\\s+crashed\\s+${pid}\\s+SIGKILL\\s+\\d.*\\s+exit: server was killed by SIGKILL$`));

    const one = await runCommand(['history', '--crash', String(crash.seq)], { env });
    expect(one.code).toBe(0);
    expect(one.out).toContain(`crash #${crash.seq} at ${crash.at as string}`);
    expect(one.out.trimEnd().split('\n').at(-1)).toBe('last words before the kill');

    const json = await runCommand(['history', '--json', '-n', '2'], { env });
    expect(JSON.parse(json.out)).toHaveLength(2);

    const missing = await runCommand(['history', '--crash', '99999'], { env });
    expect(missing.code).toBe(1);
    expect(missing.err).toContain(`no crash #99999 among the newest 1000 events (crashes: #${crash.seq})`);
    expect((await runCommand(['history', '-n', 'x'], { env })).code).toBe(2);
  });

  it('follows events with -f and exits 3 once the supervisor is gone for good', async () => {
    h = await startHarness();
    const url = h.url;
    await waitFor('running in the history', async () => (await h!.history()).some((e) => e.type === 'running'));
    const printed: string[] = [];
    const run = runCommand(['events', '-f', '-n', '1'], {
      env: { SUPERVISOR_URL: h.url },
      deps: { client: { timeoutMs: 2_000, reconnectDelayMs: 10, maxReconnects: 3 } },
      onOut: (line) => printed.push(line),
    });
    await waitFor('the newest past event', () => printed.some((l) => / running pid \d+ healthy after/.test(l)));
    await h.post('/supervisor/server/restart');
    await waitFor('the restart, followed', () => printed.filter((l) => / running pid /.test(l)).length === 2);
    expect(printed.map((l) => l.split(' ')[2])).toEqual(['running', 'stopping', 'stopped', 'starting', 'running']);
    await h.close();
    h = undefined;
    const result = await run;
    expect(result.code).toBe(3);
    expect(result.err).toContain(`cannot reach the supervisor at ${url}`);
  });
});
