import { createActor, fromCallback, SimulatedClock } from 'xstate';
import { serverLifecycleMachine } from '../../../machines/server-lifecycle.machine.js';
import type { LifecyclePolicy, ProbeInput, ProcessCommand, ServerLifecycleEvent, ServerProcessInput } from '../../../machines/server-lifecycle.types.js';
import { defaultPolicy } from '../../support/lifecycle-policy.js';

// The process actor reads the policy (here: `current`) as each attempt begins and reports it first, as
// src/lifecycle/server-process.logic.ts does; the machine itself reads nothing.
function harness(initial: LifecyclePolicy) {
  let current = initial;
  let pid = 100;
  const probed: ProbeInput[] = [];
  const launches: number[] = [];
  const clock = new SimulatedClock();
  clock.set(1_000_000);
  const machine = serverLifecycleMachine.provide({
    actors: {
      serverProcess: fromCallback<ProcessCommand, ServerProcessInput>(({ sendBack }) => {
        launches.push(clock.now());
        sendBack({ type: 'process.launching', policy: current, at: clock.now() });
        return () => undefined;
      }),
      readinessProbe: fromCallback<ServerLifecycleEvent, ProbeInput>(({ input }) => {
        probed.push(input);
        return () => undefined;
      }),
      livenessProbe: fromCallback(() => () => undefined),
    },
    actions: { releaseSocket: () => undefined },
  });
  const actor = createActor(machine, { clock, input: { policy: defaultPolicy } }).start();
  const at = () => clock.now();
  return {
    actor,
    clock,
    probed,
    launches,
    configure: (policy: Partial<LifecyclePolicy>) => (current = { ...current, ...policy }),
    value: () => actor.getSnapshot().value,
    policy: () => actor.getSnapshot().context.policy,
    comesUp: () => {
      actor.send({ type: 'process.spawned', pid: ++pid, pgid: pid, at: at() });
      actor.send({ type: 'health.ok', at: at(), version: null });
    },
    exits: (code: number | null) => actor.send({ type: 'process.exited', code, signal: code === null ? 'SIGKILL' : null, at: at() }),
  };
}

describe('policy read at each start', () => {
  it('probes and times a manual start by the policy its process read, not the one the last start had', () => {
    const h = harness({ ...defaultPolicy, port: 4000, startTimeoutMs: 1_000 });
    h.actor.send({ type: 'server.start' });
    expect(h.probed.at(-1)).toEqual({ host: '127.0.0.1', port: 4000, healthPath: '/api/health' });
    h.actor.send({ type: 'server.stop' });
    h.exits(0);

    h.configure({ port: 4001, healthHost: '::1', startTimeoutMs: 5_000 });
    h.actor.send({ type: 'server.start' });
    expect(h.probed.at(-1)).toEqual({ host: '::1', port: 4001, healthPath: '/api/health' });
    expect(h.policy()).toMatchObject({ port: 4001, startTimeoutMs: 5_000 });
    h.clock.increment(1_000);
    expect(h.value()).toBe('starting');
    h.clock.increment(4_000);
    expect(h.value()).toEqual({ stopping: 'terminating' });
    h.actor.stop();
  });

  it('reads it again for an automatic restart after the backoff', () => {
    const h = harness({ ...defaultPolicy, port: 4000, backoffMs: 1_000 });
    h.actor.send({ type: 'server.start' });
    h.comesUp();
    // Two crashes in a row: the first restarts at once, the second waits backoffMs, in which config.yaml is edited.
    h.exits(null);
    h.clock.increment(0);
    h.comesUp();
    h.exits(null);
    expect(h.value()).toEqual({ crashed: 'backoff' });
    h.configure({ port: 4002, startTimeoutMs: 2_000 });
    h.clock.increment(1_000);
    expect(h.value()).toBe('starting');
    expect(h.probed.at(-1)).toEqual({ host: '127.0.0.1', port: 4002, healthPath: '/api/health' });
    expect(h.actor.getSnapshot().context.restartCount).toBe(2);
    h.clock.increment(2_000);
    expect(h.value()).toEqual({ stopping: 'terminating' });
    h.actor.stop();
  });

  it('reads it again for a fresh restart (config apply) that replaces a start under way', () => {
    const h = harness({ ...defaultPolicy, port: 4000 });
    h.actor.send({ type: 'server.start' });
    const generation = h.actor.getSnapshot().context.generation;
    h.configure({ port: 4003 });
    h.actor.send({ type: 'server.restart', fresh: true });
    expect(h.value()).toEqual({ stopping: 'terminating' });
    h.exits(null);
    expect(h.value()).toBe('starting');
    expect(h.actor.getSnapshot().context.generation).toBe(generation + 1);
    expect(h.probed.at(-1)).toEqual({ host: '127.0.0.1', port: 4003, healthPath: '/api/health' });
    h.actor.stop();
  });

  it('spawns one process per attempt: entering starting again on the policy spawns nothing', () => {
    const h = harness({ ...defaultPolicy });
    h.actor.send({ type: 'server.start' });
    expect(h.launches).toHaveLength(1);
    expect(h.actor.getSnapshot().context.generation).toBe(1);
    h.comesUp();
    expect(h.value()).toBe('running');
    h.actor.stop();
  });
});
