import { readFileSync } from 'node:fs';
import { truthfulStatus } from '../../support/fault-checks.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../support/fake-anthropic.js';
import { request, type HttpAnswer } from '../../support/http.js';
import { startHarness, type Harness } from '../../support/supervisor-harness.js';

const key = 'sk-ant-api03-upstream-fault-key';

describe('faults: the Anthropic Models API misbehaves', () => {
  let fake: FakeAnthropic;
  let h: Harness | undefined;
  let configBytes: Buffer;
  let serverPid: number;

  beforeEach(async () => {
    fake = await startFakeAnthropic({ apiKeys: [key] });
    h = await startHarness({ config: { api_key: key }, env: { ANTHROPIC_BASE_URL: fake.url, ANTHROPIC_API_KEY: '', CLAUDE_CODE_OAUTH_TOKEN: '' } });
    serverPid = (await h.waitForStatus('running', (s) => s.main_server_status === 'running')).main_server_pid;
    configBytes = readFileSync(h.configPath);
  });
  afterEach(async () => {
    // Whatever the upstream did: the server is the same process, the config untouched, status true.
    if (h) {
      const status = await truthfulStatus(h);
      expect(status).toMatchObject({ main_server_status: 'running', main_server_pid: serverPid, restart_count: 0 });
      expect(readFileSync(h.configPath).equals(configBytes)).toBe(true);
    }
    await h?.close();
    h = undefined;
    await fake.close();
  });

  const models = (query = '') => (h as Harness).get(`/supervisor/models${query}`);
  const expectNoKey = (answer: HttpAnswer) => expect(answer.text).not.toContain(key);

  it('serves the built-in list with the reason when the first answer is garbage JSON', async () => {
    fake.setFault({ kind: 'garbage' });
    const answer = await models();
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ source: 'fallback', is_stale: true });
    expect(answer.json.count).toBeGreaterThan(0);
    expect(answer.json.error).toEqual(expect.any(String));
    expectNoKey(answer);
  });

  it('keeps the last good list, marked stale, when a refresh gets garbage or a body of the wrong shape', async () => {
    const good = await models();
    expect(good.json).toMatchObject({ source: 'anthropic', is_stale: false, error: null });
    let lastGood = good.json.models;
    // Refused answers leave the last accepted list in place (served stale, with the reason). A body whose odd entries
    // are skipped is accepted by design ("one odd id never fails the list") and becomes the list to keep.
    const cases = [
      { fault: { kind: 'garbage' as const }, source: 'cache' },
      { fault: { kind: 'json' as const, body: { data: 'not a list', has_more: false } }, source: 'cache' },
      { fault: { kind: 'json' as const, body: { data: [{ id: 42 }, null, { id: 'claude-x', created_at: 'yesterday' }], has_more: false } }, source: 'anthropic' },
      { fault: { kind: 'json' as const, body: { data: [{ id: 'claude-loop-1', created_at: '2025-01-01T00:00:00Z' }], has_more: true, last_id: null } }, source: 'cache' },
      { fault: { kind: 'status' as const, status: 200 }, source: 'cache' },
    ];
    for (const { fault, source } of cases) {
      fake.setFault(fault);
      const refreshed = await h!.post('/supervisor/models/refresh');
      expect({ fault, status: refreshed.status, source: refreshed.json.source }).toEqual({ fault, status: 200, source });
      if (source === 'cache') {
        expect(refreshed.json).toMatchObject({ is_stale: true, error: expect.any(String) });
        expect(refreshed.json.models).toEqual(lastGood);
      } else {
        expect(refreshed.json.error).toBeNull();
        lastGood = refreshed.json.models;
      }
      expectNoKey(refreshed);
    }
  });

  it('refuses a huge body at its limit instead of buffering it, and answers status meanwhile', async () => {
    fake.setFault({ kind: 'huge', bytes: 200 * 1024 * 1024 });
    const rssBefore = process.memoryUsage().rss;
    const pending = models();
    const status = await request(`${h!.url}/supervisor/status`);
    expect(status.status).toBe(200);
    const answer = await pending;
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ source: 'fallback' });
    expect(answer.json.error).toMatch(/too large|larger|limit|bytes/i);
    // The client stops at its 8 MiB limit: the 200 MiB never reach memory (generous bound for GC noise).
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(120 * 1024 * 1024);
  });

  it('gives up on a slow drip at its deadline, answering every other request at once meanwhile', async () => {
    // 2 s per byte: the ~60-byte body would take two minutes; the client's deadline is 10 s.
    fake.setFault({ kind: 'drip', intervalMs: 2_000 });
    const t0 = Date.now();
    const pending = models();
    await fake.waitForRequests(1);
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      const status = await request(`${h!.url}/supervisor/status`);
      expect(status.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(1_000);
    }
    const answer = await pending;
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ source: 'fallback' });
    expect(answer.json.error).toMatch(/did not answer within 10000 ms/);
    expect(Date.now() - t0).toBeLessThan(14_000);
  }, 30_000);
});
