import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { isAlive } from '../../../src/lifecycle/process-group.js';
import { runCli, servedUrl, type CliProcess } from '../../support/built-cli.js';
import { freePort } from '../../support/free-port.js';
import { request } from '../../support/http.js';
import { fixture } from '../../support/supervisor-harness.js';
import { waitFor } from '../../support/wait-for.js';

// Every server of a test carries its tag in argv, so /proc tells exactly how many of them are alive, whoever started them.
function serversTagged(tag: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').includes(tag) && isAlive(Number(name))) pids.push(Number(name));
    } catch {
      // gone while we looked
    }
  }
  return pids;
}

describe('faults: the supervisor SIGKILLed in the middle of a restart (built CLI, real processes)', () => {
  let dir: string;
  let configPath: string;
  let serverPort: number;
  let tag: string;
  const clis: CliProcess[] = [];

  const writeConfig = (server: Record<string, unknown>) => {
    const command = [process.execPath, fixture('slow-server.mjs'), tag];
    const settings = { command, backoff_ms: 50, stop_timeout_ms: 10_000, ...server };
    writeFileSync(configPath, stringify({ port: serverPort, supervisor: { log_dir: join(dir, 'logs'), server: settings } }));
  };
  const serve = () => {
    const cli = runCli(['serve', '--port', '0', '--config', configPath]);
    clis.push(cli);
    return cli;
  };
  const status = async (url: string) => (await request(`${url}/supervisor/status`)).json;
  // On a timeout the error tells the whole story: the last status, what each supervisor printed, and server.log.
  const statusWhen = async (url: string, what: string, predicate: (s: Record<string, unknown>) => boolean, timeoutMs = 15_000) => {
    let last: unknown = null;
    try {
      return await waitFor(
        what,
        async () => {
          const s = await status(url);
          last = s;
          return predicate(s) ? s : undefined;
        },
        { timeoutMs },
      );
    } catch (error) {
      const story = clis.map((cli, i) => `--- supervisor ${i + 1} ---\n${cli.stdout()}${cli.stderr()}`).join('\n');
      throw new Error(`${(error as Error).message}\nlast status: ${JSON.stringify(last)}\n${story}\n--- server.log ---\n${serverLog()}`);
    }
  };
  const serverLog = () => {
    try {
      return readFileSync(join(dir, 'logs', 'server.log'), 'utf8');
    } catch {
      return '';
    }
  };

  /** Exactly one server is left: status names it, it is alive, and it is the process answering health. */
  async function expectExactlyOneServer(url: string) {
    const s = await statusWhen(url, 'running', (x) => x.main_server_status === 'running');
    await waitFor('the other servers to be gone', () => serversTagged(tag).length === 1);
    expect(serversTagged(tag)).toEqual([s.main_server_pid]);
    const health = await request(`http://127.0.0.1:${serverPort}/api/health`);
    expect(health.json).toMatchObject({ status: 'ok', pid: s.main_server_pid });
    return s;
  }

  const readPidFileText = () => {
    try {
      return readFileSync(join(dir, 'logs', 'server.pid'), 'utf8');
    } catch (error) {
      return String(error);
    }
  };

  async function stopAndExpectNothingLeft(cli: CliProcess) {
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    expect(serversTagged(tag)).toEqual([]);
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'psup-sigkill-'));
    configPath = join(dir, 'config.yaml');
    serverPort = await freePort();
    tag = `psup-fault-${randomUUID()}`;
  });
  afterEach(async () => {
    const ran = clis.splice(0);
    for (const cli of ran) {
      if (cli.child.exitCode === null && cli.child.signalCode === null) {
        cli.child.kill('SIGTERM');
        await cli.exited;
      }
    }
    // Nothing may outlive the test; kill leftovers so one failure does not spill into the next test.
    const left = serversTagged(tag);
    for (const pid of left) process.kill(pid, 'SIGKILL');
    const story = ran.map((cli, i) => `--- supervisor ${i + 1} ---\n${cli.stdout()}${cli.stderr()}`).join('\n');
    const log = serverLog();
    rmSync(dir, { recursive: true, force: true });
    expect({ left, story: left.length > 0 ? `${story}\n--- server.log ---\n${log}` : '' }).toEqual({ left: [], story: '' });
  });

  it('during the stop phase: the old server finishes stopping and the next supervisor runs exactly one', async () => {
    writeConfig({ env: { SLOW_STOP_MS: '1500' } });
    const first = serve();
    const firstUrl = await servedUrl(first);
    const { main_server_pid: old } = await statusWhen(firstUrl, 'running', (s) => s.main_server_status === 'running');
    expect((await request(`${firstUrl}/supervisor/server/restart?wait=false`, { method: 'POST' })).status).toBe(202);
    await statusWhen(firstUrl, 'stopping', (s) => s.main_server_status === 'stopping');
    first.child.kill('SIGKILL');
    await first.exited;

    const second = serve();
    const after = await expectExactlyOneServer(await servedUrl(second));
    expect(after.main_server_pid).not.toBe(old);
    await stopAndExpectNothingLeft(second);
  });

  it('during the stop phase of a server that never exits on SIGTERM: the next supervisor adopts it, then replaces it', async () => {
    // SIGTERM closes the listener but the process lingers for a minute: alive, in the pid file, never healthy again.
    // (stop_timeout_ms only bounds the final stop of the replacement, which lingers the same way.)
    writeConfig({ env: { SLOW_STOP_MS: '60000' }, start_timeout_ms: 3_000, stop_timeout_ms: 3_000 });
    const first = serve();
    const firstUrl = await servedUrl(first);
    const { main_server_pid: old } = await statusWhen(firstUrl, 'running', (s) => s.main_server_status === 'running');
    await request(`${firstUrl}/supervisor/server/restart?wait=false`, { method: 'POST' });
    await statusWhen(firstUrl, 'stopping', (s) => s.main_server_status === 'stopping');
    await waitFor('the old server to close its listener', async () =>
      request(`http://127.0.0.1:${serverPort}/api/health`).then(
        () => false,
        () => true,
      ),
    );
    first.child.kill('SIGKILL');
    await first.exited;
    expect(isAlive(old)).toBe(true);

    const second = serve();
    const secondUrl = await servedUrl(second);
    await waitFor('the adoption line', () => second.stdout().includes(`adopting the running server (pid ${old})`));
    const after = await expectExactlyOneServer(secondUrl);
    expect(after.main_server_pid).not.toBe(old);
    expect(isAlive(old)).toBe(false);
    await stopAndExpectNothingLeft(second);
  });

  it('after the new server is spawned but before it is healthy: the next supervisor adopts that one', async () => {
    writeConfig({ env: { SLOW_START_MS: '1500' } });
    const first = serve();
    const firstUrl = await servedUrl(first);
    const { main_server_pid: old } = await statusWhen(firstUrl, 'running', (s) => s.main_server_status === 'running');
    await request(`${firstUrl}/supervisor/server/restart?wait=false`, { method: 'POST' });
    const { main_server_pid: spawned } = await statusWhen(
      firstUrl,
      'the new server spawned',
      (s) => s.main_server_status === 'starting' && typeof s.main_server_pid === 'number' && s.main_server_pid !== old,
    );
    first.child.kill('SIGKILL');
    await first.exited;
    expect(isAlive(spawned as number)).toBe(true);
    expect(isAlive(old)).toBe(false);

    const second = serve();
    const secondUrl = await servedUrl(second);
    await waitFor('the adoption line', () => second.stdout().includes(`adopting the running server (pid ${spawned})`), { timeoutMs: 3_000 }).catch(
      (error: Error) => {
        throw new Error(`${error.message}\nsecond supervisor said:\n${second.stdout()}${second.stderr()}\npid file: ${readPidFileText()}\n${serverLog()}`);
      },
    );
    const after = await expectExactlyOneServer(secondUrl);
    expect(after).toMatchObject({ main_server_pid: spawned, main_server_adopted: true });
    await stopAndExpectNothingLeft(second);
  });

  it('stops an adopted server that is still starting when the next supervisor is itself stopped', async () => {
    writeConfig({ env: { SLOW_START_MS: '3000' } });
    const first = serve();
    const firstUrl = await servedUrl(first);
    await statusWhen(firstUrl, 'running', (s) => s.main_server_status === 'running');
    await request(`${firstUrl}/supervisor/server/restart?wait=false`, { method: 'POST' });
    const { main_server_pid: spawned } = await statusWhen(firstUrl, 'the new server spawned', (s) => s.main_server_status === 'starting' && typeof s.main_server_pid === 'number');
    first.child.kill('SIGKILL');
    await first.exited;

    const second = serve();
    const secondUrl = await servedUrl(second);
    await waitFor('the adoption line', () => second.stdout().includes(`adopting the running server (pid ${spawned})`));
    expect((await status(secondUrl)).main_server_status).toBe('starting');
    await stopAndExpectNothingLeft(second);
  });

  it('keeps the history across a supervisor SIGKILL: seq goes on, a torn last line is skipped, the adopted pid is told', async () => {
    writeConfig({});
    const first = serve();
    const firstUrl = await servedUrl(first);
    const running = await statusWhen(firstUrl, 'running', (x) => x.main_server_status === 'running');
    const history = async (url: string) => (await request(`${url}/supervisor/history?limit=1000`)).json.events as { seq: number; type: string; [k: string]: unknown }[];
    const before = await waitFor('running in the history', async () => {
      const events = await history(firstUrl);
      return events.some((e) => e.type === 'running') ? events : undefined;
    });
    first.child.kill('SIGKILL');
    await first.exited;
    // As if it had died in the middle of writing an event.
    const historyPath = join(dir, 'logs', 'history.jsonl');
    writeFileSync(historyPath, `${readFileSync(historyPath, 'utf8')}{"seq":${(before[0]?.seq ?? 0) + 1},"at":"2026-`);
    const second = serve();
    const secondUrl = await servedUrl(second);
    await statusWhen(secondUrl, 'running', (x) => x.main_server_status === 'running' && x.main_server_pid === running.main_server_pid);
    const after = await history(secondUrl);
    expect(after.slice(-before.length)).toEqual(before);
    const started = after.find((e) => e.type === 'supervisor_started' && e.seq > (before[0]?.seq ?? 0));
    expect(started).toMatchObject({ seq: (before[0]?.seq ?? 0) + 1, adopted_pid: running.main_server_pid });
    const seqs = after.map((e) => e.seq);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => b - a));
    await stopAndExpectNothingLeft(second);
  });
});
