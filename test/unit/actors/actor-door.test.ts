import { createActor, fromCallback, fromPromise } from 'xstate';
import { configApplyMachine, type ConfigWritten } from '../../../machines/config-apply.machine.js';
import { modelCacheMachine, type FetchModelsInput, type FetchModelsOutput } from '../../../machines/model-cache.machine.js';
import { serverLifecycleMachine } from '../../../machines/server-lifecycle.machine.js';
import type { ProbeInput, ProcessCommand, ServerLifecycleEvent, ServerProcessInput } from '../../../machines/server-lifecycle.types.js';
import { supervisorMachine } from '../../../machines/supervisor.machine.js';
import { createActorDoor } from '../../../src/actors/actor-door.js';
import { systemRefs } from '../../../src/actors/actor-refs.js';
import { topState } from '../../../src/actors/state-value.js';
import { defaultPolicy } from '../../support/lifecycle-policy.js';

// The whole actor system on fakes: a server that comes up as soon as it is spawned and exits when told to.
function system() {
  let pid = 100;
  const lifecycle = serverLifecycleMachine.provide({
    actors: {
      serverProcess: fromCallback<ProcessCommand, ServerProcessInput>(({ sendBack, receive }) => {
        sendBack({ type: 'process.launching', policy: defaultPolicy, at: 1 });
        sendBack({ type: 'process.spawned', pid: ++pid, pgid: pid, at: 1 });
        receive(() => sendBack({ type: 'process.exited', code: 0, signal: null, at: 2 }));
        return () => undefined;
      }),
      readinessProbe: fromCallback<ServerLifecycleEvent, ProbeInput>(({ sendBack }) => {
        sendBack({ type: 'health.ok', at: 1, version: '1.0.0' });
        return () => undefined;
      }),
      livenessProbe: fromCallback(() => () => undefined),
    },
    actions: { releaseSocket: () => undefined },
  });
  const configApply = configApplyMachine.provide({
    actors: {
      writeConfig: fromPromise<ConfigWritten, { values: Record<string, unknown> }>(async () => ({ backup: { path: 'x' }, updatedKeys: ['debug'], config: { debug: true } })),
      restartServer: fromPromise<void, void>(async () => undefined),
      restoreConfig: fromPromise<void, { backup: { path: string } }>(async () => undefined),
    },
  });
  const modelCache = modelCacheMachine.provide({
    actors: { fetchModels: fromPromise<FetchModelsOutput, FetchModelsInput>(async ({ input }) => ({ credentialId: input.credentialId, models: [], at: 5 })) },
  });
  const root = createActor(supervisorMachine.provide({ actors: { serverLifecycle: lifecycle, configApply, modelCache } }), {
    input: { policy: defaultPolicy, boot: { type: 'none' }, keepServer: false },
  }).start();
  const door = createActorDoor(systemRefs(root), {
    commandTimeouts: () => defaultPolicy,
    applyTimeoutMs: () => 10_000,
    modelsWaitMs: 10_000,
    modelCheckWaitMs: 5_000,
  });
  return { root, door };
}

describe('the actor door', () => {
  it('runs a command to its outcome and shows the state it led to', async () => {
    const { door } = system();
    await expect(door.command('start')).resolves.toEqual({ kind: 'done' });
    expect(topState(door.server().value)).toBe('running');
    expect(door.server().context.process).toMatchObject({ pid: 101 });
    await door.shutdown(5_000);
  });

  it('tells a command without waiting, and reports every state change until unsubscribed', async () => {
    const { door } = system();
    const seen: string[] = [];
    const unsubscribe = door.onServerChange((view) => seen.push(topState(view.value)));
    door.tell('start');
    expect(seen.at(-1)).toBe('running');
    unsubscribe();
    door.tell('stop');
    expect(seen.at(-1)).toBe('running');
    expect(topState(door.server().value)).toBe('stopped');
    await door.shutdown(5_000);
  });

  it('answers requests to the config and models actors', async () => {
    const { door } = system();
    await expect(door.applyConfig({ values: { debug: true }, restart: false })).resolves.toMatchObject({ ok: true, updatedKeys: ['debug'] });
    await expect(door.requestModels({ refresh: false, credentialId: 'c', ttlMs: 1_000, at: 1 })).resolves.toMatchObject({
      fetching: false,
      cache: { cachedAt: 5 },
    });
    await door.shutdown(5_000);
  });

  it('stops accepting once shutdown begins; shutdown stops the server and then every actor', async () => {
    const { root, door } = system();
    await door.command('start');
    expect(door.accepting()).toBe(true);
    const done = door.shutdown(5_000);
    expect(door.accepting()).toBe(false);
    await done;
    expect(topState(door.server().value)).toBe('stopped');
    expect(root.getSnapshot().status).toBe('done');
    await expect(door.applyConfig({ values: {}, restart: false })).rejects.toMatchObject({ code: 'ERR_SHUTTING_DOWN' });
  });
});
