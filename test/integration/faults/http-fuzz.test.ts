import { jest } from '@jest/globals';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultUiAssetsDir } from '../../../src/http/ui.routes.js';
import { groupMembers } from '../../../src/lifecycle/process-group.js';
import { truthfulStatus } from '../../support/fault-checks.js';
import { lateFailingYaml, makeCase, pipelined, sendRaw, withLateFailure, type FuzzCase, type RawAnswer } from '../../support/http-fuzz.js';
import { request } from '../../support/http.js';
import { createPrng, seedFromEnv } from '../../support/prng.js';
import { startHarness, type Harness } from '../../support/supervisor-harness.js';
import { waitFor } from '../../support/wait-for.js';

const requestCount = 1_000;
const concurrency = 8;
const secret = 'sk-ant-api03-FUZZSECRETFUZZSECRET';
const uiBuilt = existsSync(join(defaultUiAssetsDir(), 'index.html'));

/**
 * Why an answer is wrong for its case, or null when it is fine. `configBroken`: config.yaml does not load, so the
 * config route's 503 ERR_CONFIG_INVALID is the right answer there.
 */
function judge(c: FuzzCase, statuses: number[], index: number, answer: RawAnswer, configBroken = false): string | null {
  const status = statuses[index];
  if (status === undefined) return c.mayGoUnanswered ? null : `no answer${answer.timedOut ? ' (timed out)' : ''}`;
  if (c.expectedStatus !== undefined && status !== c.expectedStatus) return `answered ${status} instead of ${c.expectedStatus}`;
  // The one 5xx by design: the UI pages answer 503 "not built" while dist/ui is missing (npm test does not build it).
  if (status === 503 && !uiBuilt && /\/supervisor\/ui/i.test(c.label)) return null;
  // HEAD has no body to carry the code (the target may be in absolute form, `HEAD http://127.0.0.1/supervisor/config`).
  if (status === 503 && configBroken && (answer.text.includes('"code":"ERR_CONFIG_INVALID"') || /^read: HEAD (?:http:\/\/[^/\s]+)?\/supervisor\/config/i.test(c.label))) return null;
  if (status >= 500) return `answered ${status}`;
  if (c.mustBeRefused && (status < 400 || status > 499)) return `answered ${status} to a request that must be refused`;
  return null;
}

describe('faults: random and malformed HTTP requests', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    jest.restoreAllMocks();
    await h?.close();
    h = undefined;
  });

  it(`answers ${requestCount} of them without a 5xx, refuses each that could change state, and changes nothing`, async () => {
    const seed = seedFromEnv();
    console.log(`http fuzz seed ${seed} (replay: FUZZ_SEED=${seed} npm test -- test/integration/faults/http-fuzz)`);
    const rng = createPrng(seed);
    // No credential reaches the models code, and its base URL is a closed loopback port: nothing leaves the machine.
    h = await startHarness({ config: { api_key: secret }, env: { ANTHROPIC_BASE_URL: 'http://127.0.0.1:9', ANTHROPIC_API_KEY: '', CLAUDE_CODE_OAUTH_TOKEN: '' } });
    const before = await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    const configBytes = readFileSync(h.configPath);
    const generation = h.sup.system.refs.server.getSnapshot().context.generation;
    const logLines = h.logLines();
    const unexpected = jest.spyOn(console, 'error').mockImplementation(() => undefined);

    const cases: FuzzCase[] = [];
    while (cases.length < requestCount) {
      const a = makeCase(rng, { port: h.sup.port});
      if (a.pipelineable && rng.chance(0.1)) {
        let b = makeCase(rng, { port: h.sup.port});
        while (!b.pipelineable) b = makeCase(rng, { port: h.sup.port});
        cases.push(pipelined(a, b));
      } else {
        cases.push(a);
      }
    }

    const failures: string[] = [];
    const seen = new Map<string, number>();
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const i = next++;
        const c = cases[i] as FuzzCase;
        const answer = await sendRaw(h?.sup.port ?? 0, c.bytes, { halfClose: c.halfClose === true });
        for (const status of answer.statuses.length > 0 ? answer.statuses : ['none']) seen.set(String(status), (seen.get(String(status)) ?? 0) + 1);
        const problems = (c.parts ?? [c]).map((part, k) => judge(part, answer.statuses, k, answer)).filter((p) => p !== null);
        if (answer.text.includes('root:x:0:0')) problems.push('served /etc/passwd');
        if (answer.text.includes('"devDependencies"')) problems.push('served package.json');
        if (answer.text.includes('FUZZSECRET')) problems.push('leaked the api_key');
        if (/\n\s+at .+\.(js|ts):\d+/.test(answer.text)) problems.push('leaked a stack trace');
        if (problems.length > 0) failures.push(`#${i} ${c.label}: ${problems.join('; ')} [statuses ${answer.statuses.join(',')}]`);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    console.log(`http fuzz answers by status: ${[...seen].sort().map(([k, v]) => `${k}×${v}`).join(' ')}`);

    expect({ seed, failures: failures.slice(0, 20), count: failures.length }).toEqual({ seed, failures: [], count: 0 });
    expect(unexpected).not.toHaveBeenCalled();
    // Nothing changed: same server process and attempt, no restart, the config file and the server log untouched.
    const after = await truthfulStatus(h);
    expect(after).toMatchObject({ main_server_status: 'running', main_server_pid: before.main_server_pid, restart_count: before.restart_count });
    expect(h.sup.system.refs.server.getSnapshot().context.generation).toBe(generation);
    expect(readFileSync(h.configPath).equals(configBytes)).toBe(true);
    expect(h.logLines().filter((l) => l.startsWith('--- '))).toEqual(logLines.filter((l) => l.startsWith('--- ')));
    expect(groupMembers(before.main_server_pid)).toEqual([before.main_server_pid]);
  }, 120_000);

  it('answers 400, not 500, to a path parameter with malformed percent-encoding', async () => {
    h = await startHarness({ server: { autostart: false } });
    const unexpected = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    for (const path of ['/supervisor/server/%zz', '/supervisor/server/%E0%A4%A', '/supervisor/server/%']) {
      for (const method of ['POST', 'GET']) {
        const answer = await request(`${h.url}${path}`, { method });
        expect({ path, method, status: answer.status, code: answer.json?.code }).toEqual({ path, method, status: 400, code: 'ERR_BAD_REQUEST' });
      }
    }
    expect(unexpected).not.toHaveBeenCalled();
    expect((await h.status()).main_server_status).toBe('stopped');
  });

  it('answers HEAD on the event streams with their head at once instead of hanging', async () => {
    h = await startHarness();
    await h.waitForStatus('running', (s) => s.main_server_status === 'running');
    for (const path of ['/supervisor/logs', '/supervisor/logs?follow=false', '/supervisor/inspect']) {
      const answer = await Promise.race([
        request(`${h.url}${path}`, { method: 'HEAD' }),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`HEAD ${path} got no answer within 3 s`)), 3_000)),
      ]);
      expect({ path, status: answer.status, type: answer.headers['content-type'], body: answer.text }).toEqual({
        path,
        status: 200,
        type: 'text/event-stream',
        body: '',
      });
    }
    expect((await h.status()).main_server_status).toBe('running');
  });

  it('answers without a 5xx (but the config 503) or the secret, and keeps the server, while config.yaml fails late in every way', async () => {
    const seed = seedFromEnv();
    console.log(`late-failing YAML fuzz seed ${seed} (replay: FUZZ_SEED=${seed} npm test -- test/integration/faults/http-fuzz)`);
    const rng = createPrng(seed);
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    process.on('unhandledRejection', onRejection);
    try {
      // Probes every 50 ms and a rotation check every 50 ms: timers that read config.yaml keep firing on each broken file.
      h = await startHarness({
        config: { api_key: secret },
        server: { health_interval_ms: 50, env: { FIXTURE_LOG_HEALTH: '1' } },
        env: { ANTHROPIC_BASE_URL: 'http://127.0.0.1:9', ANTHROPIC_API_KEY: '', CLAUDE_CODE_OAUTH_TOKEN: '' },
        rotationIntervalMs: 50,
      });
      const harness = h;
      const before = await harness.waitForStatus('running', (s) => s.main_server_status === 'running');
      const good = readFileSync(harness.configPath, 'utf8');
      const unexpected = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      const probes = () => harness.logLines().filter((l) => l === 'health check answered').length;
      const failures: string[] = [];
      const check = (label: string, text: string) => text.includes('FUZZSECRET') && failures.push(`${label}: leaked the api_key`);

      // Every class, in a seeded order and placement.
      const order = lateFailingYaml.map((f) => ({ f, key: rng.next() })).sort((a, b) => a.key - b.key).map(({ f }) => f);
      for (const failure of order) {
        const broken = withLateFailure(rng, failure, secret, good);
        writeFileSync(harness.configPath, broken.text);
        const seen = probes();
        const config = await request(`${harness.url}/supervisor/config`);
        check(`GET config on ${failure.label}`, config.text);
        const line = config.json?.line as number | null;
        if (config.status !== 503 || config.json?.code !== 'ERR_CONFIG_INVALID' || line === null || line < broken.firstLine || line >= broken.firstLine + broken.lineCount) {
          failures.push(`${failure.label}: GET config answered ${config.status} ${config.text.slice(0, 200)} (construct at lines ${broken.firstLine}..)`);
        }
        for (const path of ['/supervisor/status', '/supervisor/models', '/supervisor/logs?lines=200&follow=false', '/supervisor/machines']) {
          const answer = await request(`${harness.url}${path}`);
          check(`GET ${path} on ${failure.label}`, answer.text);
          if (answer.status !== 200) failures.push(`${failure.label}: GET ${path} answered ${answer.status}`);
          if (path === '/supervisor/status' && answer.json?.config_loaded !== false) failures.push(`${failure.label}: status says config_loaded ${answer.json?.config_loaded}`);
        }
        // Random requests that reach the app (no protocol garbage or cut-short bodies, which only end at a timeout).
        const cases: FuzzCase[] = [];
        while (cases.length < 25) {
          const c = makeCase(rng, { port: harness.sup.port });
          if (!c.mayGoUnanswered) cases.push(c);
        }
        await Promise.all(
          cases.map(async (c) => {
            const answer = await sendRaw(harness.sup.port, c.bytes, { halfClose: c.halfClose === true });
            const problem = judge(c, answer.statuses, 0, answer, true);
            if (problem) failures.push(`${failure.label}: ${c.label}: ${problem}`);
            check(`${failure.label}: ${c.label}`, answer.text);
          }),
        );
        // Two probes after the write: at least one tick read the broken file through and through.
        await waitFor(`two health probes on ${failure.label}`, () => probes() >= seen + 2, { timeoutMs: 5_000 });
      }

      writeFileSync(harness.configPath, good);
      const after = await harness.waitForStatus('config loaded again', (s) => s.config_loaded === true);
      expect({ seed, failures: failures.slice(0, 20), count: failures.length }).toEqual({ seed, failures: [], count: 0 });
      expect(after).toMatchObject({ main_server_status: 'running', main_server_pid: before.main_server_pid, restart_count: 0 });
      expect(unexpected).not.toHaveBeenCalled();
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  }, 120_000);
});
