import { createActor, fromCallback, fromPromise, SimulatedClock } from 'xstate';
import { configApplyMachine } from '../../../machines/config-apply.machine.js';
import type { LifecycleFact } from '../../../machines/lifecycle-facts.js';
import { serverLifecycleMachine } from '../../../machines/server-lifecycle.machine.js';
import type { LifecyclePolicy, ProcessCommand, ServerProcessInput } from '../../../machines/server-lifecycle.types.js';
import { defaultPolicy } from '../../support/lifecycle-policy.js';

// A lifecycle on fakes and a SimulatedClock that records every fact it emits, in order.
function harness(policy: Partial<LifecyclePolicy> = {}) {
  const clock = new SimulatedClock();
  clock.set(1_000_000);
  const machine = serverLifecycleMachine.provide({
    actors: {
      serverProcess: fromCallback<ProcessCommand, ServerProcessInput>(() => () => undefined),
      readinessProbe: fromCallback(() => () => undefined),
      livenessProbe: fromCallback(() => () => undefined),
    },
    actions: { releaseSocket: () => undefined },
  });
  const actor = createActor(machine, { clock, input: { policy: { ...defaultPolicy, ...policy } } });
  const facts: LifecycleFact[] = [];
  actor.on('*', (fact) => facts.push(fact));
  actor.start();
  let pid = 100;
  const at = () => clock.now();
  const h = {
    actor,
    clock,
    /** The facts emitted since the last call. */
    take: () => facts.splice(0),
    spawned: () => actor.send({ type: 'process.spawned', pid: ++pid, pgid: pid, at: at() }),
    healthy: () => actor.send({ type: 'health.ok', at: at(), version: null }),
    unhealthy: () => actor.send({ type: 'health.failed', at: at(), message: 'connection refused' }),
    exit: (code: number | null, signal: string | null = null, log = { from: 10, to: 90 }) =>
      actor.send({ type: 'process.exited', code, signal, at: at(), log }),
    pid: () => pid,
  };
  return h;
}

describe('server lifecycle facts (emitted for the history)', () => {
  it('tells starting with its cause, then running with how long the start took', () => {
    const h = harness();
    h.actor.send({ type: 'server.start', cause: 'autostart' });
    expect(h.take()).toEqual([]);
    h.spawned();
    expect(h.take()).toEqual([{ type: 'starting', pid: 101, cause: 'autostart' }]);
    h.clock.increment(250);
    h.healthy();
    expect(h.take()).toEqual([{ type: 'running', pid: 101, took_ms: 250 }]);
  });

  it('tells a kill -9 as crashed (exit, how long it ran, the log span) and the immediate restart as restart_scheduled, then starting by crash_restart', () => {
    const h = harness();
    h.actor.send({ type: 'server.start' });
    h.spawned();
    h.healthy();
    h.take();
    h.clock.increment(5_000);
    h.exit(null, 'SIGKILL', { from: 100, to: 400 });
    expect(h.take()).toEqual([
      {
        type: 'crashed',
        pid: 101,
        code: null,
        signal: 'SIGKILL',
        ran_for_ms: 5_000,
        reason: 'exit',
        message: 'server was killed by SIGKILL',
        logSpan: { from: 100, to: 400 },
      },
      { type: 'restart_scheduled', delay_ms: 0 },
    ]);
    h.clock.increment(0);
    h.spawned();
    expect(h.take()).toEqual([{ type: 'starting', pid: 102, cause: 'crash_restart' }]);
  });

  it('tells failed liveness probes as stopping (liveness), then crashed with reason liveness', () => {
    const h = harness({ healthFailures: 2 });
    h.actor.send({ type: 'server.start' });
    h.spawned();
    h.healthy();
    h.take();
    h.unhealthy();
    expect(h.take()).toEqual([]);
    h.unhealthy();
    expect(h.take()).toEqual([{ type: 'stopping', cause: 'liveness' }]);
    h.exit(null, 'SIGTERM');
    const [crashed] = h.take();
    expect(crashed).toMatchObject({ type: 'crashed', reason: 'liveness', signal: 'SIGTERM', message: expect.stringMatching(/^health check failed/) });
  });

  it('tells a start that never became healthy as stopping (start_timeout), then crashed with reason start_timeout', () => {
    const h = harness({ startTimeoutMs: 1_000 });
    h.actor.send({ type: 'server.start' });
    h.spawned();
    h.take();
    h.clock.increment(1_000);
    expect(h.take()).toEqual([{ type: 'stopping', cause: 'start_timeout' }]);
    h.exit(null, 'SIGTERM');
    expect(h.take()[0]).toMatchObject({ type: 'crashed', reason: 'start_timeout', ran_for_ms: 1_000 });
  });

  it('tells a spawn failure as crashed (spawn_failed) and halted with its code', () => {
    const h = harness();
    h.actor.send({ type: 'server.start' });
    h.actor.send({ type: 'process.spawnFailed', code: 'ERR_COMMAND_NOT_FOUND', message: 'command "nope" not found', at: h.clock.now() });
    expect(h.take()).toEqual([
      { type: 'crashed', pid: null, code: null, signal: null, ran_for_ms: null, reason: 'spawn_failed', message: 'command "nope" not found', logSpan: null },
      { type: 'halted', code: 'ERR_COMMAND_NOT_FOUND', message: 'command "nope" not found' },
    ]);
  });

  it('tells a start a retry cannot fix (the server ignored the socket it was given) as crashed and halted with its code', () => {
    const h = harness();
    h.actor.send({ type: 'server.start' });
    h.spawned();
    h.take();
    const startFailure = { code: 'ERR_SOCKET_NOT_INHERITED', message: 'the server bound port 3333 itself' };
    h.actor.send({ type: 'process.exited', code: 1, signal: null, at: h.clock.now(), log: { from: 0, to: 10 }, startFailure });
    expect(h.take()).toEqual([
      { type: 'crashed', pid: 101, code: 1, signal: null, ran_for_ms: 0, reason: 'exit', message: startFailure.message, logSpan: { from: 0, to: 10 } },
      { type: 'halted', ...startFailure },
    ]);
  });

  it('tells gave_up once the crash budget is spent', () => {
    const h = harness({ intensity: 2, periodMs: 60_000, backoffMs: 10 });
    h.actor.send({ type: 'server.start' });
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      h.spawned();
      h.exit(1);
      h.clock.increment(Math.max(0, (h.actor.getSnapshot().context.nextRestartAt ?? 0) - h.clock.now()));
      seen.push(...h.take().map((f) => f.type));
    }
    expect(seen).toEqual(['starting', 'crashed', 'restart_scheduled', 'starting', 'crashed', 'restart_scheduled', 'starting', 'crashed', 'gave_up']);
  });

  it('tells a manual stop as stopping (manual) and stopped with the exit, and a restart as stopping (restart) then starting (manual)', () => {
    const h = harness();
    h.actor.send({ type: 'server.start' });
    h.spawned();
    h.healthy();
    h.take();
    h.actor.send({ type: 'server.restart' });
    h.exit(0);
    h.spawned();
    expect(h.take()).toEqual([
      { type: 'stopping', cause: 'restart' },
      { type: 'stopped', pid: 101, code: 0, signal: null },
      { type: 'starting', pid: 102, cause: 'manual' },
    ]);
    h.healthy();
    h.take();
    h.actor.send({ type: 'server.stop', cause: 'shutdown' });
    h.exit(null, 'SIGTERM');
    expect(h.take()).toEqual([
      { type: 'stopping', cause: 'shutdown' },
      { type: 'stopped', pid: 102, code: null, signal: 'SIGTERM' },
    ]);
  });

  it("tells the config applier's restart as stopping (config_apply) and its start as starting (config_apply)", () => {
    const h = harness();
    h.actor.send({ type: 'server.start' });
    h.spawned();
    h.healthy();
    h.take();
    h.actor.send({ type: 'server.restart', fresh: true, cause: 'config_apply' });
    h.exit(0);
    h.spawned();
    expect(h.take().map((f) => ('cause' in f ? `${f.type}:${f.cause}` : f.type))).toEqual(['stopping:config_apply', 'stopped', 'starting:config_apply']);
  });

  it('tells nothing for an adopted server until it is healthy (it was started by an earlier supervisor)', () => {
    const h = harness();
    h.actor.send({ type: 'server.adopt', process: { pid: 77, pgid: 77, startedAt: 0, adopted: true } });
    h.actor.send({ type: 'process.spawned', pid: 77, pgid: 77, at: h.clock.now(), adopted: true });
    expect(h.take()).toEqual([]);
    h.healthy();
    expect(h.take()).toEqual([{ type: 'running', pid: 77, took_ms: 0 }]);
  });
});

describe('config applier facts', () => {
  function applier(restart: 'ok' | 'fails once' | 'no restart') {
    let restarts = 0;
    const machine = configApplyMachine.provide({
      actors: {
        writeConfig: fromPromise(async () => ({ backup: { path: '/tmp/x' }, updatedKeys: ['log_level'], config: {} })),
        restartServer: fromPromise(async () => {
          restarts += 1;
          if (restart === 'fails once' && restarts === 1) throw new Error('server exited with code 1');
        }),
        restoreConfig: fromPromise<void, { backup: { path: string } }>(async () => undefined),
      },
    });
    const actor = createActor(machine);
    const facts: unknown[] = [];
    for (const type of ['config_applied', 'config_rolled_back'] as const) actor.on(type, (fact) => facts.push(fact));
    actor.start();
    actor.send({ type: 'config.apply', request: { requestId: 'r1', values: { log_level: 'debug' }, restart: restart !== 'no restart' } });
    return { actor, facts };
  }

  it.each(['ok', 'no restart'] as const)('tells config_applied with the keys once a change is in force (restart: %s)', async (restart) => {
    const { actor, facts } = applier(restart);
    await new Promise<void>((resolve) => actor.on('config.answered', () => resolve()));
    expect(facts).toEqual([{ type: 'config_applied', keys: ['log_level'] }]);
  });

  it('tells config_rolled_back with the keys and the reason when the server did not come back on the new config', async () => {
    const { actor, facts } = applier('fails once');
    await new Promise<void>((resolve) => actor.on('config.answered', () => resolve()));
    expect(facts).toEqual([{ type: 'config_rolled_back', keys: ['log_level'], reason: 'server exited with code 1' }]);
  });
});
