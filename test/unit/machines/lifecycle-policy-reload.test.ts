import { assign, createActor, fromCallback, SimulatedClock } from 'xstate';
import { serverLifecycleMachine } from '../../../machines/server-lifecycle.machine.js';
import type { LifecyclePolicy, ProbeInput, ServerLifecycleEvent } from '../../../machines/server-lifecycle.types.js';
import { defaultPolicy } from '../../support/lifecycle-policy.js';

describe('policy reload at each start', () => {
  it('probes and times the new attempt with the policy loaded on entry to starting, not the one it started with', () => {
    let current: LifecyclePolicy = { ...defaultPolicy, port: 4000, startTimeoutMs: 1_000 };
    const probed: ProbeInput[] = [];
    const machine = serverLifecycleMachine.provide({
      actions: { loadPolicy: assign({ policy: () => current }) },
      actors: {
        serverProcess: fromCallback(() => () => undefined),
        readinessProbe: fromCallback<ServerLifecycleEvent, ProbeInput>(({ input }) => {
          probed.push(input);
          return () => undefined;
        }),
        livenessProbe: fromCallback(() => () => undefined),
      },
    });
    const clock = new SimulatedClock();
    const actor = createActor(machine, { clock, input: { policy: defaultPolicy } }).start();
    actor.send({ type: 'server.start' });
    expect(probed.at(-1)).toEqual({ port: 4000, healthPath: '/api/health' });
    actor.send({ type: 'server.stop' });
    actor.send({ type: 'process.exited', code: 0, signal: null, at: clock.now() });

    current = { ...current, port: 4001, startTimeoutMs: 5_000 };
    actor.send({ type: 'server.start' });
    expect(probed.at(-1)).toEqual({ port: 4001, healthPath: '/api/health' });
    clock.increment(1_000);
    expect(actor.getSnapshot().value).toBe('starting');
    clock.increment(4_000);
    expect(actor.getSnapshot().value).toEqual({ stopping: 'terminating' });
  });
});
