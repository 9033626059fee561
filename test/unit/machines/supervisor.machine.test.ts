import { defaultPolicy } from '../../support/lifecycle-policy.js';
import { createActor, fromCallback, SimulatedClock, type AnyActorRef } from 'xstate';
import { serverLifecycleMachine } from '../../../machines/server-lifecycle.machine.js';
import { supervisorMachine, type BootAction } from '../../../machines/supervisor.machine.js';


const policy = defaultPolicy;

function root(boot: BootAction, keepServer = false) {
  const clock = new SimulatedClock();
  const lifecycle = serverLifecycleMachine.provide({
    actors: {
      serverProcess: fromCallback(() => () => undefined),
      readinessProbe: fromCallback(() => () => undefined),
      livenessProbe: fromCallback(() => () => undefined),
    },
    actions: { releaseSocket: () => undefined },
  });
  const actor = createActor(supervisorMachine.provide({ actors: { serverLifecycle: lifecycle } }), {
    clock,
    input: { policy, boot, keepServer },
  }).start();
  const server = actor.system.get('server') as AnyActorRef;
  return { actor, server, clock };
}

describe('supervisor machine', () => {
  it('starts the server at boot and registers it as the `server` system actor', () => {
    const { server } = root({ type: 'start' });
    expect(server.getSnapshot().value).toBe('starting');
  });

  it('leaves the server stopped when autostart is off', () => {
    const { server } = root({ type: 'none' });
    expect(server.getSnapshot().value).toBe('stopped');
  });

  it('adopts the process named at boot', () => {
    const { server } = root({ type: 'adopt', process: { pid: 7, pgid: 7, startedAt: 1, adopted: true } });
    expect(server.getSnapshot().value).toBe('starting');
  });

  it('stops the server on shutdown and finishes only once it has stopped', () => {
    const { actor, server, clock } = root({ type: 'start' });
    server.send({ type: 'process.spawned', pid: 10, pgid: 10, at: clock.now() });
    server.send({ type: 'health.ok', at: clock.now(), version: null });
    actor.send({ type: 'supervisor.shutdown' });
    expect(actor.getSnapshot().value).toBe('shuttingDown');
    expect(server.getSnapshot().value).toEqual({ stopping: 'terminating' });
    server.send({ type: 'process.exited', code: 0, signal: null, at: clock.now() });
    expect(actor.getSnapshot().status).toBe('done');
  });

  it('finishes at once when the server is already stopped', () => {
    const { actor } = root({ type: 'none' });
    actor.send({ type: 'supervisor.shutdown' });
    expect(actor.getSnapshot().status).toBe('done');
  });

  it('with keepServer, finishes without stopping the server', () => {
    const { actor, server, clock } = root({ type: 'start' }, true);
    server.send({ type: 'process.spawned', pid: 10, pgid: 10, at: clock.now() });
    server.send({ type: 'health.ok', at: clock.now(), version: null });
    actor.send({ type: 'supervisor.shutdown' });
    expect(actor.getSnapshot().status).toBe('done');
    expect(server.getSnapshot().value).toBe('running');
  });
});
