import { jest } from '@jest/globals';
import { createActor, fromCallback } from 'xstate';
import { serverLifecycleMachine } from '../../../machines/server-lifecycle.machine.js';
import { commandOutcome, commandTarget, runServerCommand } from '../../../src/actors/server-commands.js';
import { defaultPolicy } from '../../support/lifecycle-policy.js';

const started: { stop(): void }[] = [];

// A lifecycle whose process and probes are fakes: the test reports spawns, health and exits itself.
function lifecycle() {
  const machine = serverLifecycleMachine.provide({
    actors: {
      serverProcess: fromCallback(() => () => undefined),
      readinessProbe: fromCallback(() => () => undefined),
      livenessProbe: fromCallback(() => () => undefined),
    },
    actions: { releaseSocket: () => undefined },
  });
  const actor = createActor(machine, { input: { policy: defaultPolicy } }).start();
  started.push(actor);
  let pid = 100;
  return {
    actor,
    comesUp: () => {
      actor.send({ type: 'process.spawned', pid: ++pid, pgid: pid, at: 1 });
      actor.send({ type: 'health.ok', at: 2, version: null });
    },
    exits: (code: number | null) => actor.send({ type: 'process.exited', code, signal: null, at: 3 }),
  };
}

const view = (value: unknown, generation: number, afterStop: 'stopped' | 'restart' | 'crashed' = 'stopped') => ({
  value,
  context: { generation, afterStop, lastError: null },
});

describe('server commands', () => {
  afterEach(() => {
    for (const actor of started.splice(0)) actor.stop();
    jest.useRealTimers();
  });

  it('waits for the attempt a start caused and answers done once it runs', async () => {
    const s = lifecycle();
    const outcome = runServerCommand(s.actor, 'start', 10_000);
    s.comesUp();
    await expect(outcome).resolves.toEqual({ kind: 'done' });
  });

  it('answers a start that crashed with the crash as the reason', async () => {
    const s = lifecycle();
    const outcome = runServerCommand(s.actor, 'start', 10_000);
    s.actor.send({ type: 'process.spawnFailed', code: 'ERR_PORT_IN_USE', message: 'port 3333 is already in use', at: 1 });
    await expect(outcome).resolves.toEqual({ kind: 'failed', code: 'ERR_PORT_IN_USE', message: 'port 3333 is already in use' });
  });

  it('answers a restart with the new attempt, not the one that was running', async () => {
    const s = lifecycle();
    const started = runServerCommand(s.actor, 'start', 10_000);
    s.comesUp();
    await started;
    const restarted = runServerCommand(s.actor, 'restart', 10_000);
    s.exits(null);
    let answered = false;
    void restarted.then(() => (answered = true));
    await Promise.resolve();
    expect(answered).toBe(false);
    s.comesUp();
    await expect(restarted).resolves.toEqual({ kind: 'done' });
  });

  it('gives up with ERR_COMMAND_TIMEOUT after its bound, and with ERR_BAD_REQUEST when the caller goes away', async () => {
    jest.useFakeTimers();
    const s = lifecycle();
    const bounded = runServerCommand(s.actor, 'start', 5_000);
    jest.advanceTimersByTime(5_000);
    await expect(bounded).resolves.toMatchObject({ kind: 'failed', code: 'ERR_COMMAND_TIMEOUT' });
    const caller = new AbortController();
    const abandoned = runServerCommand(s.actor, 'start', 5_000, { signal: caller.signal });
    caller.abort();
    await expect(abandoned).resolves.toMatchObject({ kind: 'failed', code: 'ERR_BAD_REQUEST' });
  });

  it('answers ERR_SHUTTING_DOWN when the lifecycle stops before the outcome', async () => {
    const s = lifecycle();
    const outcome = runServerCommand(s.actor, 'start', 10_000);
    s.actor.stop();
    await expect(outcome).resolves.toMatchObject({ kind: 'failed', code: 'ERR_SHUTTING_DOWN' });
  });

  it('answers a stop overtaken by a start at once with ERR_CONFLICT, not after its bound', async () => {
    const s = lifecycle();
    const started = runServerCommand(s.actor, 'start', 10_000);
    s.comesUp();
    await started;
    const stop = runServerCommand(s.actor, 'stop', 60_000);
    const start = runServerCommand(s.actor, 'start', 60_000);
    s.exits(0);
    await expect(stop).resolves.toMatchObject({ kind: 'failed', code: 'ERR_CONFLICT', message: expect.stringMatching(/overtook this stop/) });
    s.comesUp();
    await expect(start).resolves.toEqual({ kind: 'done' });
  });

  it('answers a restart overtaken by a stop at once with ERR_CONFLICT, not after its bound', async () => {
    const s = lifecycle();
    const started = runServerCommand(s.actor, 'start', 10_000);
    s.comesUp();
    await started;
    const restart = runServerCommand(s.actor, 'restart', 60_000);
    const stop = runServerCommand(s.actor, 'stop', 60_000);
    s.exits(0);
    await expect(restart).resolves.toMatchObject({ kind: 'failed', code: 'ERR_CONFLICT', message: expect.stringMatching(/overtook this restart/) });
    await expect(stop).resolves.toEqual({ kind: 'done' });
  });

  it('targets the queued attempt when a start arrives while stopping towards a restart', () => {
    expect(commandTarget('start', view({ stopping: 'terminating' }, 4, 'restart'))).toEqual({ kind: 'running', generation: 5, command: 'start' });
    expect(commandTarget('start', view('starting', 4))).toEqual({ kind: 'running', generation: 4, command: 'start' });
    expect(commandTarget('stop', view('running', 4))).toEqual({ kind: 'stopped', generation: 4 });
  });

  it('keeps waiting while an older attempt is still the one running', () => {
    const target = { kind: 'running', generation: 5, command: 'restart' } as const;
    expect(commandOutcome(target, view('running', 4))).toEqual({ kind: 'pending' });
    expect(commandOutcome(target, view('running', 5))).toEqual({ kind: 'done' });
    expect(commandOutcome(target, view('stopped', 5))).toMatchObject({ kind: 'failed', code: 'ERR_START_FAILED' });
  });
});
