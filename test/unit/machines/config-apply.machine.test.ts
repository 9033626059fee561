import { createActor, fromPromise, waitFor, type AnyStateNode, type SnapshotFrom } from 'xstate';
import {
  configApplyMachine,
  type ConfigApplyAnswer,
  type ConfigApplyRequest,
  type ConfigBackupHandle,
  type ConfigWritten,
  maxQueuedConfigChanges,
} from '../../../machines/config-apply.machine.js';

interface Call<I, O> {
  input: I;
  resolve(output: O): void;
  reject(error: unknown): void;
}

// A fake actor slot whose every call waits until the test settles it.
function controllable<O, I>() {
  const calls: Call<I, O>[] = [];
  const logic = fromPromise<O, I>(({ input }) => new Promise<O>((resolve, reject) => calls.push({ input, resolve, reject })));
  return { calls, logic };
}

function harness() {
  const write = controllable<ConfigWritten, { values: Record<string, unknown> }>();
  const restart = controllable<void, void>();
  const restore = controllable<void, { backup: ConfigBackupHandle }>();
  const machine = configApplyMachine.provide({
    actors: { writeConfig: write.logic, restartServer: restart.logic, restoreConfig: restore.logic },
  });
  const actor = createActor(machine);
  const answers: ConfigApplyAnswer[] = [];
  actor.on('config.answered', (event) => answers.push(event.answer));
  actor.start();
  const apply = (request: ConfigApplyRequest) => actor.send({ type: 'config.apply', request });
  const inState = (value: Parameters<SnapshotFrom<typeof configApplyMachine>['matches']>[0]) => waitFor(actor, (s) => s.matches(value));
  return { write, restart, restore, actor, answers, apply, inState };
}

const backup: ConfigBackupHandle = { path: '/tmp/config.yaml' };
const written = (keys: string[] = ['default_model']): ConfigWritten => ({ backup, updatedKeys: keys, config: { default_model: 'opus', api_key: '[REDACTED]' } });
const request = (requestId: string, restart = true): ConfigApplyRequest => ({ requestId, values: { default_model: 'opus' }, restart });

// Lets pending promise callbacks run, so the fake's next call (if any) has been made.
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('config-apply machine', () => {
  it('writes without restarting when restart is false', async () => {
    const h = harness();
    h.apply(request('r1', false));
    await h.inState('writing');
    expect(h.write.calls[0]?.input).toEqual({ values: { default_model: 'opus' } });
    h.write.calls[0]?.resolve(written());
    await h.inState('idle');
    expect(h.restart.calls).toHaveLength(0);
    expect(h.answers).toEqual([
      { requestId: 'r1', ok: true, updatedKeys: ['default_model'], serverRestarted: false, config: written().config },
    ]);
  });

  it('restarts the server on the new config and answers once it is healthy', async () => {
    const h = harness();
    h.apply(request('r1'));
    await h.inState('writing');
    h.write.calls[0]?.resolve(written());
    await h.inState('applying');
    expect(h.answers).toEqual([]);
    h.restart.calls[0]?.resolve();
    await h.inState('idle');
    expect(h.answers).toEqual([{ requestId: 'r1', ok: true, updatedKeys: ['default_model'], serverRestarted: true, config: written().config }]);
    expect(h.actor.getSnapshot().context).toMatchObject({ current: null, written: null, lastAnswer: { requestId: 'r1', ok: true, code: null } });
  });

  it('restores the previous file and restarts on it when the server does not come back healthy', async () => {
    const h = harness();
    h.apply(request('r1'));
    await h.inState('writing');
    h.write.calls[0]?.resolve(written());
    await h.inState('applying');
    h.restart.calls[0]?.reject(new Error('health probe failed 3 times'));
    await h.inState({ rollingBack: 'restoring' });
    expect(h.restore.calls[0]?.input).toEqual({ backup });
    h.restore.calls[0]?.resolve();
    await h.inState({ rollingBack: 'restarting' });
    expect(h.restart.calls).toHaveLength(2);
    h.restart.calls[1]?.resolve();
    await h.inState('idle');
    expect(h.answers).toEqual([
      {
        requestId: 'r1',
        ok: false,
        failure: {
          code: 'ERR_CONFIG_ROLLED_BACK',
          message: 'Server did not come back healthy on the new config: health probe failed 3 times; previous config restored',
          extra: { rolled_back: true, server_restarted: true },
        },
      },
    ]);
  });

  it('still reports the rollback when the server is unhealthy on the restored config too', async () => {
    const h = harness();
    h.apply(request('r1'));
    await h.inState('writing');
    h.write.calls[0]?.resolve(written());
    await h.inState('applying');
    h.restart.calls[0]?.reject(new Error('exited with code 1'));
    await h.inState({ rollingBack: 'restoring' });
    h.restore.calls[0]?.resolve();
    await h.inState({ rollingBack: 'restarting' });
    h.restart.calls[1]?.reject(new Error('port in use'));
    await h.inState('idle');
    expect(h.answers[0]).toMatchObject({
      ok: false,
      failure: { code: 'ERR_CONFIG_ROLLED_BACK', extra: { rolled_back: true, server_restarted: false } },
    });
    const message = h.answers[0]?.ok === false ? h.answers[0].failure.message : '';
    expect(message).toMatch(/exited with code 1.*port in use.*; previous config restored$/);
  });

  it('says the rollback failed when the previous bytes cannot be restored, without restarting again', async () => {
    const h = harness();
    h.apply(request('r1'));
    await h.inState('writing');
    h.write.calls[0]?.resolve(written());
    await h.inState('applying');
    h.restart.calls[0]?.reject(new Error('start timeout'));
    await h.inState({ rollingBack: 'restoring' });
    h.restore.calls[0]?.reject(new Error('EROFS'));
    await h.inState('idle');
    expect(h.restart.calls).toHaveLength(1);
    expect(h.answers[0]).toMatchObject({
      ok: false,
      failure: { code: 'ERR_CONFIG_WRITE', message: expect.stringContaining('restoring the previous config failed: EROFS'), extra: { rolled_back: false } },
    });
  });

  it('passes a coded write failure through unchanged and never restarts', async () => {
    const h = harness();
    h.apply(request('r1'));
    await h.inState('writing');
    h.write.calls[0]?.reject({ code: 'ERR_CONFIG_INVALID', message: 'not valid YAML at line 2, column 3', extra: { line: 2, column: 3 } });
    await h.inState('idle');
    expect(h.restart.calls).toHaveLength(0);
    expect(h.answers).toEqual([
      { requestId: 'r1', ok: false, failure: { code: 'ERR_CONFIG_INVALID', message: 'not valid YAML at line 2, column 3', extra: { line: 2, column: 3 } } },
    ]);
  });

  it('turns an uncoded write failure into ERR_CONFIG_WRITE', async () => {
    const h = harness();
    h.apply(request('r1'));
    await h.inState('writing');
    h.write.calls[0]?.reject(new Error('disk full'));
    await h.inState('idle');
    expect(h.answers[0]).toMatchObject({ ok: false, failure: { code: 'ERR_CONFIG_WRITE', message: 'disk full' } });
  });

  it('queues requests that arrive while busy and answers each once, in order, never overlapping', async () => {
    const h = harness();
    h.apply(request('r1'));
    h.apply(request('r2', false));
    h.apply(request('r3'));
    await h.inState('writing');
    expect(h.actor.getSnapshot().context.queue.map((r) => r.requestId)).toEqual(['r2', 'r3']);
    h.write.calls[0]?.resolve(written());
    await h.inState('applying');
    await flush();
    expect(h.write.calls).toHaveLength(1);
    h.restart.calls[0]?.resolve();
    await waitFor(h.actor, () => h.write.calls.length === 2);
    h.write.calls[1]?.resolve(written(['debug']));
    await waitFor(h.actor, () => h.write.calls.length === 3);
    expect(h.answers.map((a) => a.requestId)).toEqual(['r1', 'r2']);
    h.write.calls[2]?.resolve(written());
    await h.inState('applying');
    h.restart.calls[1]?.resolve();
    await h.inState('idle');
    expect(h.answers.map((a) => [a.requestId, a.ok])).toEqual([
      ['r1', true],
      ['r2', true],
      ['r3', true],
    ]);
  });

  it('refuses a request at once when the queue is full', async () => {
    const h = harness();
    h.apply(request('busy'));
    await h.inState('writing');
    for (let i = 0; i <= maxQueuedConfigChanges; i++) h.apply(request(`q${i}`));
    expect(h.answers).toEqual([
      {
        requestId: `q${maxQueuedConfigChanges}`,
        ok: false,
        failure: { code: 'ERR_CONFLICT', message: expect.stringContaining('already waiting'), extra: {} },
      },
    ]);
    expect(h.actor.getSnapshot().context.queue).toHaveLength(maxQueuedConfigChanges);
  });

  it('answers with a failure instead of hanging when a slot was not provided', async () => {
    const actor = createActor(configApplyMachine).start();
    const answers: ConfigApplyAnswer[] = [];
    actor.on('config.answered', (e) => answers.push(e.answer));
    actor.send({ type: 'config.apply', request: request('r1') });
    await waitFor(actor, () => answers.length === 1);
    expect(answers[0]).toMatchObject({ ok: false, failure: { code: 'ERR_CONFIG_WRITE', message: expect.stringContaining('writeConfig') } });
    expect(actor.getSnapshot().value).toBe('idle');
  });

  it('keeps its context JSON-safe', async () => {
    const h = harness();
    h.apply(request('r1'));
    await h.inState('writing');
    const context = h.actor.getSnapshot().context;
    expect(JSON.parse(JSON.stringify(context))).toEqual(context);
  });

  it('describes every state', () => {
    const missing: string[] = [];
    const visit = (node: AnyStateNode): void => {
      if (!node.description) missing.push(node.id);
      Object.values(node.states).forEach(visit);
    };
    visit(configApplyMachine.root);
    expect(missing).toEqual([]);
  });
});
