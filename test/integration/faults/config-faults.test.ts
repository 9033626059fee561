import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { endFaultTest, type ProcessTracker, trackServerProcesses, truthfulStatus } from '../../support/fault-checks.js';
import { request } from '../../support/http.js';
import { configActor } from '../../support/lifecycle-watch.js';
import { makeFolderReadOnly, type ReadOnlyFolder } from '../../support/read-only-folder.js';
import { startHarness, type Harness } from '../../support/supervisor-harness.js';

const put = (h: Harness, body: unknown) =>
  request(`${h.url}/supervisor/config`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('faults: the config folder turns read-only', () => {
  let h: Harness | undefined;
  let tracker: ProcessTracker | undefined;
  let readOnly: ReadOnlyFolder | null = null;
  afterEach(async () => {
    await endFaultTest(h, tracker, readOnly);
    [h, tracker, readOnly] = [undefined, undefined, null];
  });

  // Entries of the harness folder: config.yaml and logs/; a temp file left by a failed write would show here.
  const entries = (dir: string) => readdirSync(dir).sort();

  it('refuses a change it cannot write: 500, file byte-identical, no temp file, server not restarted', async () => {
    h = await startHarness();
    tracker = trackServerProcesses(h);
    const before = await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    const original = readFileSync(h.configPath);
    const generation = h.sup.system.refs.server.getSnapshot().context.generation;
    readOnly = makeFolderReadOnly(h.dir);

    const answer = await put(h, { values: { default_model: 'claude-opus-4-6' }, restart: true });
    expect(answer.status).toBe(500);
    expect(answer.json.code).toBe('ERR_CONFIG_WRITE');
    expect(answer.json.detail).toMatch(/^cannot write .*config\.yaml: /);
    expect(readFileSync(h.configPath).equals(original)).toBe(true);
    expect(entries(h.dir)).toEqual(['config.yaml', 'logs']);
    expect(h.sup.system.refs.server.getSnapshot().context.generation).toBe(generation);
    const status = await truthfulStatus(h);
    expect(status).toMatchObject({ main_server_status: 'running', main_server_pid: before.main_server_pid, default_model: 'claude-sonnet-4-5' });

    // The same change goes through once the folder is writable again: the refusal was the folder's doing.
    readOnly.undo();
    readOnly = null;
    const retry = await put(h, { values: { default_model: 'claude-opus-4-6' }, restart: true });
    expect(retry.status).toBe(200);
    expect(retry.json).toMatchObject({ success: true, server_restarted: true });
    expect((await truthfulStatus(h)).default_model).toBe('claude-opus-4-6');
  });

  it('says so when the folder turns read-only between the write and the rollback: 500, rolled_back false, file whole', async () => {
    h = await startHarness({ fixture: 'picky-server.mjs', config: { default_model: 'claude-sonnet-4-5' }, server: { backoff_ms: 50, intensity: 2 } });
    tracker = trackServerProcesses(h);
    await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    const original = readFileSync(h.configPath);
    const config = configActor(h);
    // Read-only the moment the new file is in place and the restart begins, so only the restore can fail.
    let unavailable: unknown = null;
    const subscription = config.subscribe((s) => {
      if (s.value === 'applying' && readOnly === null && unavailable === null) {
        try {
          readOnly = makeFolderReadOnly(h?.dir ?? '');
        } catch (error) {
          unavailable = error;
        }
      }
    });
    const answer = await put(h, { values: { default_model: 'claude-broken-1' } });
    subscription.unsubscribe();
    if (unavailable !== null) throw unavailable;

    expect(answer.status).toBe(500);
    expect(answer.json).toMatchObject({ code: 'ERR_CONFIG_WRITE', rolled_back: false, server_restarted: false });
    expect(answer.json.detail).toMatch(/did not come back healthy on the new config: .*; restoring the previous config failed: cannot restore /);
    // Nothing half-written: the file is the complete new version (the write that did happen), and no temp file is left.
    const now = readFileSync(h.configPath, 'utf8');
    expect(parse(now)).toMatchObject({ default_model: 'claude-broken-1' });
    expect(now).toBe(original.toString('utf8').replace('claude-sonnet-4-5', 'claude-broken-1'));
    expect(entries(h.dir)).toEqual(['config.yaml', 'logs']);
    // The server cannot run on that file: the lifecycle spends its crash budget and says so, truthfully.
    const crashed = await h.waitForStatus('crash budget spent', (s) => s.main_server_state === 'crashed.exhausted');
    expect(crashed.main_server_pid).toBeNull();
    await truthfulStatus(h);

    // Writable again, the owner's fix goes through and restores the original bytes exactly.
    readOnly?.undo();
    readOnly = null;
    const fix = await put(h, { values: { default_model: 'claude-sonnet-4-5' } });
    expect(fix.status).toBe(200);
    expect(readFileSync(h.configPath).equals(original)).toBe(true);
    expect(await truthfulStatus(h)).toMatchObject({ main_server_status: 'running', default_model: 'claude-sonnet-4-5' });
  });
});
