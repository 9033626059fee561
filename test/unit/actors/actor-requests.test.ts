import { jest } from '@jest/globals';
import { createActor, fromPromise } from 'xstate';
import { configApplyMachine, type ConfigWritten } from '../../../machines/config-apply.machine.js';
import { modelCacheMachine, type CachedModel, type FetchModelsInput, type FetchModelsOutput } from '../../../machines/model-cache.machine.js';
import { applyConfigChange, requestModels } from '../../../src/actors/actor-requests.js';
import { cachedModel } from '../../support/model-fixtures.js';

const written: ConfigWritten = { backup: { path: 'x' }, updatedKeys: ['debug'], config: { debug: true } };

function configActor(write: () => Promise<ConfigWritten>) {
  const machine = configApplyMachine.provide({
    actors: {
      writeConfig: fromPromise(write),
      restartServer: fromPromise(() => Promise.resolve()),
      restoreConfig: fromPromise(() => Promise.resolve()),
    },
  });
  return createActor(machine).start();
}

const opus: CachedModel = cachedModel({ id: 'claude-opus-4-1', display_name: 'Claude Opus 4.1', created_at: '2025-08-05T00:00:00Z', family: 'opus', is_latest: true });

// A model cache whose fetch resolves only when the test says so.
function modelsActor() {
  let release: (output: FetchModelsOutput) => void = () => undefined;
  const fetchModels = fromPromise<FetchModelsOutput, FetchModelsInput>(() => new Promise((resolve) => (release = resolve)));
  const actor = createActor(modelCacheMachine.provide({ actors: { fetchModels } }), { input: {} }).start();
  return { actor, finishFetch: (at: number) => release({ credentialId: 'cred', models: [opus], at }) };
}

const request = (refresh = false) => ({ refresh, credentialId: 'cred', ttlMs: 60_000, at: 1 });

describe('applyConfigChange', () => {
  afterEach(() => jest.useRealTimers());

  it('resolves each call with the answer to its own request', async () => {
    let n = 0;
    const actor = configActor(() => Promise.resolve({ ...written, updatedKeys: [`k${++n}`] }));
    const [a, b] = await Promise.all([
      applyConfigChange(actor, { values: { debug: true }, restart: false }, 10_000),
      applyConfigChange(actor, { values: { debug: false }, restart: true }, 10_000),
    ]);
    expect(a).toMatchObject({ ok: true, updatedKeys: ['k1'], serverRestarted: false });
    expect(b).toMatchObject({ ok: true, updatedKeys: ['k2'], serverRestarted: true });
  });

  it('refuses at once with ERR_SHUTTING_DOWN when the actor is not running', async () => {
    const actor = configActor(() => Promise.resolve(written));
    actor.stop();
    await expect(applyConfigChange(actor, { values: {}, restart: false }, 10_000)).rejects.toMatchObject({ code: 'ERR_SHUTTING_DOWN' });
  });

  it('rejects at once when the actor is stopped while a change is in progress', async () => {
    const actor = configActor(() => new Promise<ConfigWritten>(() => undefined));
    const pending = applyConfigChange(actor, { values: { debug: true }, restart: true }, 10_000);
    actor.stop();
    await expect(pending).rejects.toMatchObject({ code: 'ERR_SHUTTING_DOWN' });
  });

  it('gives up with ERR_COMMAND_TIMEOUT after its bound', async () => {
    jest.useFakeTimers();
    const actor = configActor(() => new Promise<ConfigWritten>(() => undefined));
    const pending = applyConfigChange(actor, { values: { debug: true }, restart: true }, 5_000);
    jest.advanceTimersByTime(5_000);
    await expect(pending).rejects.toMatchObject({ code: 'ERR_COMMAND_TIMEOUT' });
  });
});

describe('requestModels', () => {
  afterEach(() => jest.useRealTimers());

  it('waits for the fetch its request started and answers with what it fetched', async () => {
    const { actor, finishFetch } = modelsActor();
    const answer = requestModels(actor, request(), 10_000);
    finishFetch(5);
    await expect(answer).resolves.toMatchObject({ fetching: false, cache: { models: [opus], cachedAt: 5 } });
    actor.stop();
  });

  it('answers a request the cache can serve at once, without waiting', async () => {
    const { actor, finishFetch } = modelsActor();
    const first = requestModels(actor, request(), 10_000);
    finishFetch(5);
    await first;
    // Fresh cache: served as is, no second fetch (a wait here would run into the test's timeout, not the bound).
    await expect(requestModels(actor, request(), 60_000)).resolves.toMatchObject({ fetching: false, cache: { fetchCount: 1 } });
    actor.stop();
  });

  it('answers with the fetch still under way once its bound passes', async () => {
    jest.useFakeTimers();
    const { actor } = modelsActor();
    const answer = requestModels(actor, request(true), 3_000);
    jest.advanceTimersByTime(3_000);
    await expect(answer).resolves.toMatchObject({ fetching: true, cache: { models: null } });
    actor.stop();
  });

  it('refuses with ERR_SHUTTING_DOWN once the cache has stopped', async () => {
    const { actor } = modelsActor();
    actor.stop();
    await expect(requestModels(actor, request(), 1_000)).rejects.toMatchObject({ code: 'ERR_SHUTTING_DOWN' });
  });
});
