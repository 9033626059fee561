import { jest } from '@jest/globals';
import { createActor, fromPromise } from 'xstate';
import { configApplyMachine, type ConfigWritten } from '../../../machines/config-apply.machine.js';
import { createConfigApplyClient } from '../../../src/config/config-apply.client.js';

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

describe('createConfigApplyClient', () => {
  afterEach(() => jest.useRealTimers());

  it('resolves each call with the answer to its own request', async () => {
    let n = 0;
    const actor = configActor(() => Promise.resolve({ ...written, updatedKeys: [`k${++n}`] }));
    const apply = createConfigApplyClient(actor);
    const [a, b] = await Promise.all([apply({ values: { debug: true }, restart: false }), apply({ values: { debug: false }, restart: true })]);
    expect(a).toMatchObject({ ok: true, updatedKeys: ['k1'], serverRestarted: false });
    expect(b).toMatchObject({ ok: true, updatedKeys: ['k2'], serverRestarted: true });
  });

  it('finds the actor through a getter at call time', async () => {
    const actor = configActor(() => Promise.resolve(written));
    const system: { config?: typeof actor } = {};
    const apply = createConfigApplyClient(() => system.config);
    await expect(apply({ values: {}, restart: false })).rejects.toMatchObject({ code: 'ERR_SHUTTING_DOWN' });
    system.config = actor;
    await expect(apply({ values: {}, restart: false })).resolves.toMatchObject({ ok: true });
  });

  it('rejects at once when the actor is stopped while a change is in progress', async () => {
    const actor = configActor(() => new Promise<ConfigWritten>(() => undefined));
    const pending = createConfigApplyClient(actor)({ values: { debug: true }, restart: true });
    actor.stop();
    await expect(pending).rejects.toMatchObject({ code: 'ERR_SHUTTING_DOWN' });
  });

  it('gives up with ERR_COMMAND_TIMEOUT after its bound', async () => {
    jest.useFakeTimers();
    const actor = configActor(() => new Promise<ConfigWritten>(() => undefined));
    const pending = createConfigApplyClient(actor, { timeoutMs: 5_000 })({ values: { debug: true }, restart: true });
    jest.advanceTimersByTime(5_000);
    await expect(pending).rejects.toMatchObject({ code: 'ERR_COMMAND_TIMEOUT' });
  });
});
