import { defaultPolicy } from '../../support/lifecycle-policy.js';
import { createActor, fromCallback, SimulatedClock } from 'xstate';
import { backoffDelay, serverLifecycleMachine } from '../../../machines/server-lifecycle.machine.js';
import type { LifecyclePolicy, ProcessCommand, ServerProcessInput } from '../../../machines/server-lifecycle.types.js';

const basePolicy = defaultPolicy;

// A lifecycle wired to fakes: the process actor records commands and spawns; time is a SimulatedClock.
function harness(policy: Partial<LifecyclePolicy> = {}) {
  const clock = new SimulatedClock();
  clock.set(1_000_000);
  const commands: ProcessCommand['type'][] = [];
  const spawns: ServerProcessInput[] = [];
  const releases = { count: 0 };
  let pid = 100;
  const machine = serverLifecycleMachine.provide({
    actors: {
      serverProcess: fromCallback<ProcessCommand, ServerProcessInput>(({ receive, input }) => {
        spawns.push(input);
        receive((event) => commands.push(event.type));
        return () => undefined;
      }),
      readinessProbe: fromCallback(() => () => undefined),
      livenessProbe: fromCallback(() => () => undefined),
    },
    actions: { releaseSocket: () => void (releases.count += 1) },
  });
  const actor = createActor(machine, { clock, input: { policy: { ...basePolicy, ...policy } } }).start();
  const at = () => clock.now();
  const h = {
    actor,
    clock,
    commands,
    spawns,
    releases,
    value: () => actor.getSnapshot().value,
    context: () => actor.getSnapshot().context,
    spawned: () => actor.send({ type: 'process.spawned', pid: ++pid, pgid: pid, at: at() }),
    healthy: () => actor.send({ type: 'health.ok', at: at(), version: '1.2.3' }),
    exit: (code: number | null, signal: string | null = null) => actor.send({ type: 'process.exited', code, signal, at: at() }),
    /** start → spawned → healthy: ends running. */
    bringUp: () => {
      h.spawned();
      h.healthy();
    },
  };
  return h;
}

describe('server lifecycle machine', () => {
  it('goes stopped → starting → running once spawned and healthy', () => {
    const h = harness();
    expect(h.value()).toBe('stopped');
    h.actor.send({ type: 'server.start' });
    expect(h.value()).toBe('starting');
    expect(h.spawns).toHaveLength(1);
    h.bringUp();
    expect(h.value()).toBe('running');
    expect(h.context()).toMatchObject({ generation: 1, healthy: true, serverVersion: '1.2.3', runningSince: h.clock.now() });
  });

  it('ignores a health answer that comes before its own process exists (a foreign server on the port)', () => {
    const h = harness();
    h.actor.send({ type: 'server.start' });
    h.healthy();
    expect(h.value()).toBe('starting');
  });

  it('treats a start that is not healthy within startTimeoutMs as a failed start, never as running', () => {
    const h = harness({ startTimeoutMs: 5_000 });
    h.actor.send({ type: 'server.start' });
    h.spawned();
    h.clock.increment(4_999);
    expect(h.value()).toBe('starting');
    h.clock.increment(1);
    expect(h.value()).toEqual({ stopping: 'terminating' });
    expect(h.commands).toEqual(['process.terminate']);
    h.exit(null, 'SIGTERM');
    expect(h.value()).toEqual({ crashed: 'backoff' });
    expect(h.context().lastError).toMatchObject({ code: 'ERR_START_TIMEOUT' });
    expect(h.context().crashTimes).toHaveLength(1);
  });

  it('stops with SIGTERM, escalates to SIGKILL after stopTimeoutMs, and ends stopped', () => {
    const h = harness({ stopTimeoutMs: 10_000 });
    h.actor.send({ type: 'server.start' });
    h.bringUp();
    h.actor.send({ type: 'server.stop' });
    expect(h.value()).toEqual({ stopping: 'terminating' });
    h.clock.increment(9_999);
    expect(h.commands).toEqual(['process.terminate']);
    h.clock.increment(1);
    expect(h.value()).toEqual({ stopping: 'killing' });
    expect(h.commands).toEqual(['process.terminate', 'process.kill']);
    h.exit(null, 'SIGKILL');
    expect(h.value()).toBe('stopped');
    expect(h.context().crashTimes).toHaveLength(0);
  });

  it('restarts a stable server at once after its first crash, and counts the restart', () => {
    const h = harness();
    h.actor.send({ type: 'server.start' });
    h.bringUp();
    h.exit(null, 'SIGKILL');
    expect(h.context().lastError?.message).toBe('server was killed by SIGKILL');
    expect(h.context().lastExit).toMatchObject({ code: null, signal: 'SIGKILL' });
    // A zero delay still passes through crashed.backoff (visible in inspection) on the next tick of the clock.
    h.clock.increment(0);
    expect(h.value()).toBe('starting');
    expect(h.context()).toMatchObject({ restartCount: 1, generation: 2 });
    h.bringUp();
    expect(h.context().lastError).toBeNull();
  });

  it('waits backoffMs before restarting after a second crash in a row', () => {
    const h = harness();
    h.actor.send({ type: 'server.start' });
    h.bringUp();
    h.exit(1);
    h.clock.increment(0);
    h.bringUp();
    h.exit(1);
    expect(h.value()).toEqual({ crashed: 'backoff' });
    expect(h.context().nextRestartAt).toBe(h.clock.now() + 1_000);
    h.clock.increment(999);
    expect(h.value()).toEqual({ crashed: 'backoff' });
    h.clock.increment(1);
    expect(h.value()).toBe('starting');
  });

  // Crashes in a row, each attempt either coming up first (`bringUp`) or dying while starting (`spawned` only).
  function crashDelays(comesUp: boolean) {
    const h = harness({ intensity: 100, periodMs: 1, backoffMs: 1_000, backoffMaxMs: 5_000, stableMs: 60_000 });
    h.actor.send({ type: 'server.start' });
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      if (comesUp) h.bringUp();
      else h.spawned();
      h.exit(1);
      const next = h.context().nextRestartAt ?? 0;
      delays.push(next - h.clock.now());
      h.clock.increment(next - h.clock.now());
      expect(h.value()).toBe('starting');
    }
    return delays;
  }

  it('doubles the backoff on each consecutive crash up to backoffMaxMs, the first restart of a running server at once', () => {
    expect(crashDelays(true)).toEqual([0, 1_000, 2_000, 4_000, 5_000]);
    expect(backoffDelay(40, 1_000, 30_000)).toBe(30_000);
  });

  it('gives a server that dies while starting no immediate retry: backoffMs from its first failed start', () => {
    expect(crashDelays(false)).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
    expect(backoffDelay(1, 1_000, 30_000, false)).toBe(1_000);
  });

  it('resets the backoff after the server has run for stableMs', () => {
    const h = harness({ stableMs: 30_000, periodMs: 1 });
    h.actor.send({ type: 'server.start' });
    h.bringUp();
    h.exit(1);
    h.clock.increment(0);
    h.bringUp();
    h.exit(1);
    expect(h.context().nextRestartAt).toBe(h.clock.now() + 1_000);
    h.clock.increment(1_000);
    h.bringUp();
    h.exit(1);
    expect(h.context().nextRestartAt).toBe(h.clock.now() + 2_000);
    h.clock.increment(2_000);
    h.bringUp();
    h.clock.increment(30_000);
    h.exit(1);
    expect(h.context().nextRestartAt).toBe(h.clock.now());
  });

  it('stays crashed after the 6th crash within the period, until a manual start', () => {
    const h = harness({ intensity: 5, periodMs: 60_000, backoffMs: 100, backoffMaxMs: 100 });
    h.actor.send({ type: 'server.start' });
    for (let crash = 1; crash <= 5; crash++) {
      h.spawned();
      h.exit(1);
      expect(h.value()).toEqual({ crashed: 'backoff' });
      h.clock.increment(100);
    }
    h.spawned();
    h.exit(1);
    expect(h.value()).toEqual({ crashed: 'exhausted' });
    expect(h.context().lastError).toMatchObject({ code: 'ERR_CRASH_LOOP' });
    h.clock.increment(10 * 60_000);
    expect(h.value()).toEqual({ crashed: 'exhausted' });
    expect(h.spawns).toHaveLength(6);
    h.actor.send({ type: 'server.start' });
    expect(h.value()).toBe('starting');
    expect(h.context()).toMatchObject({ crashTimes: [], consecutiveCrashes: 0, lastError: null });
  });

  it('forgets crashes older than periodMs when counting the intensity', () => {
    const h = harness({ intensity: 2, periodMs: 10_000, backoffMs: 6_000, backoffMaxMs: 6_000 });
    h.actor.send({ type: 'server.start' });
    for (let crash = 0; crash < 6; crash++) {
      h.spawned();
      h.exit(1);
      expect(h.value()).toEqual({ crashed: 'backoff' });
      h.clock.increment(6_000);
    }
  });

  it('follows the restart type: transient stops on a clean exit, permanent restarts it, temporary never restarts', () => {
    const transient = harness({ restart: 'transient' });
    transient.actor.send({ type: 'server.start' });
    transient.bringUp();
    transient.exit(0);
    expect(transient.value()).toBe('stopped');
    expect(transient.context().lastExit).toMatchObject({ code: 0, signal: null });

    const permanent = harness({ restart: 'permanent' });
    permanent.actor.send({ type: 'server.start' });
    permanent.bringUp();
    permanent.exit(0);
    expect(permanent.value()).toEqual({ crashed: 'backoff' });

    const temporary = harness({ restart: 'temporary' });
    temporary.actor.send({ type: 'server.start' });
    temporary.bringUp();
    temporary.exit(3);
    expect(temporary.value()).toEqual({ crashed: 'halted' });
    temporary.clock.increment(60_000);
    expect(temporary.value()).toEqual({ crashed: 'halted' });
  });

  it('halts without retrying when the process cannot be spawned (e.g. the port is taken)', () => {
    const h = harness();
    h.actor.send({ type: 'server.start' });
    h.actor.send({ type: 'process.spawnFailed', code: 'ERR_PORT_IN_USE', message: 'port 3333 is in use', at: h.clock.now() });
    expect(h.value()).toEqual({ crashed: 'halted' });
    expect(h.context().lastError).toMatchObject({ code: 'ERR_PORT_IN_USE' });
    h.clock.increment(120_000);
    expect(h.spawns).toHaveLength(1);
  });

  it('coalesces commands: two restarts make one restart, a restart while starting joins it', () => {
    const h = harness();
    h.actor.send({ type: 'server.start' });
    h.bringUp();
    h.actor.send({ type: 'server.restart' });
    h.actor.send({ type: 'server.restart' });
    expect(h.commands).toEqual(['process.terminate']);
    h.exit(0, null);
    expect(h.value()).toBe('starting');
    h.actor.send({ type: 'server.restart' });
    h.actor.send({ type: 'server.start' });
    expect(h.spawns).toHaveLength(2);
    h.bringUp();
    expect(h.context().generation).toBe(2);
  });

  it('does not let a fresh restart (a changed config) join a start under way: it stops that attempt and starts anew', () => {
    const h = harness();
    h.actor.send({ type: 'server.start' });
    h.spawned();
    h.actor.send({ type: 'server.restart', fresh: true });
    expect(h.value()).toEqual({ stopping: 'terminating' });
    expect(h.commands).toEqual(['process.terminate']);
    h.exit(null, 'SIGTERM');
    expect(h.value()).toBe('starting');
    expect(h.spawns).toHaveLength(2);
    h.bringUp();
    expect(h.context()).toMatchObject({ generation: 2, restartCount: 0, consecutiveCrashes: 0 });
  });

  it('starts again after the stop when a start arrives while stopping', () => {
    const h = harness();
    h.actor.send({ type: 'server.start' });
    h.bringUp();
    h.actor.send({ type: 'server.stop' });
    h.actor.send({ type: 'server.start' });
    h.exit(0);
    expect(h.value()).toBe('starting');
  });

  it('never counts manual restarts against the crash budget', () => {
    const h = harness({ intensity: 1 });
    h.actor.send({ type: 'server.start' });
    h.bringUp();
    for (let i = 0; i < 10; i++) {
      h.actor.send({ type: 'server.restart' });
      h.exit(null, 'SIGTERM');
      h.bringUp();
    }
    expect(h.value()).toBe('running');
    expect(h.context()).toMatchObject({ crashTimes: [], generation: 11, restartCount: 0 });
  });

  it('declares a crash after healthFailures liveness failures in a row', () => {
    const h = harness({ healthFailures: 3 });
    h.actor.send({ type: 'server.start' });
    h.bringUp();
    const fail = () => h.actor.send({ type: 'health.failed', at: h.clock.now(), message: 'ECONNREFUSED' });
    fail();
    fail();
    h.healthy();
    fail();
    fail();
    expect(h.value()).toBe('running');
    expect(h.context().healthy).toBe(false);
    fail();
    expect(h.value()).toEqual({ stopping: 'terminating' });
    h.exit(null, 'SIGTERM');
    expect(h.value()).toEqual({ crashed: 'backoff' });
    expect(h.context().lastError).toMatchObject({ code: 'ERR_HEALTH_FAILED' });
  });

  it('cancels a pending automatic restart on stop', () => {
    const h = harness();
    h.actor.send({ type: 'server.start' });
    h.bringUp();
    h.exit(1);
    h.actor.send({ type: 'server.stop' });
    expect(h.value()).toBe('stopped');
    h.clock.increment(60_000);
    expect(h.value()).toBe('stopped');
    expect(h.context().nextRestartAt).toBeNull();
  });

  it('adopts a live process instead of spawning a new one', () => {
    const h = harness();
    const adopted = { pid: 4242, pgid: 4242, startedAt: 5, adopted: true };
    h.actor.send({ type: 'server.adopt', process: adopted });
    expect(h.value()).toBe('starting');
    expect(h.spawns).toEqual([{ adopt: adopted }]);
    expect(h.context().adopt).toBeNull();
  });
  describe('with the socket held by the supervisor (socket: inherit)', () => {
    const notInherited = { code: 'ERR_SOCKET_NOT_INHERITED', message: 'the server tried to bind 127.0.0.1:3333 itself' };

    it('halts a start whose process exited for a cause a retry cannot fix, with its error, not counted as a crash', () => {
      const h = harness({ socket: 'inherit' });
      h.actor.send({ type: 'server.start' });
      h.spawned();
      h.actor.send({ type: 'process.exited', code: 1, signal: null, at: h.clock.now(), startFailure: notInherited });
      expect(h.value()).toEqual({ crashed: 'halted' });
      expect(h.context()).toMatchObject({ lastError: { ...notInherited, at: h.clock.now() }, lastExit: { code: 1 }, crashTimes: [], nextRestartAt: null });
      h.clock.increment(60_000);
      expect(h.spawns).toHaveLength(1);
    });

    it('treats the same finding on the exit of a running server as the crash it is (it was serving)', () => {
      const h = harness({ socket: 'inherit' });
      h.actor.send({ type: 'server.start' });
      h.bringUp();
      h.actor.send({ type: 'process.exited', code: 1, signal: null, at: h.clock.now(), startFailure: notInherited });
      expect(h.value()).toEqual({ crashed: 'backoff' });
      expect(h.context().lastError).toMatchObject({ code: 'ERR_SERVER_EXITED' });
    });

    it('releases the socket when the server is not meant to come back: stopped, halted, exhausted', () => {
      const h = harness({ intensity: 0 });
      expect(h.releases.count).toBe(1);
      h.actor.send({ type: 'server.start' });
      h.bringUp();
      h.actor.send({ type: 'server.stop' });
      h.exit(0);
      expect(h.value()).toBe('stopped');
      expect(h.releases.count).toBe(2);
      h.actor.send({ type: 'server.start' });
      h.actor.send({ type: 'process.spawnFailed', code: 'ERR_PORT_IN_USE', message: 'port 3333 is in use', at: h.clock.now() });
      expect(h.value()).toEqual({ crashed: 'halted' });
      expect(h.releases.count).toBe(3);
      h.actor.send({ type: 'server.start' });
      h.bringUp();
      h.exit(1);
      expect(h.value()).toEqual({ crashed: 'exhausted' });
      expect(h.releases.count).toBe(4);
    });

    it('keeps the socket while a restart is coming: restart commands, a crash waiting for its backoff', () => {
      const h = harness();
      h.actor.send({ type: 'server.start' });
      h.bringUp();
      const held = h.releases.count;
      h.actor.send({ type: 'server.restart' });
      h.exit(0);
      h.bringUp();
      h.exit(null, 'SIGKILL');
      h.bringUp();
      h.exit(1);
      expect(h.value()).toEqual({ crashed: 'backoff' });
      h.clock.increment(1_000);
      expect(h.value()).toBe('starting');
      expect(h.releases.count).toBe(held);
    });

    it('says in a start timeout that the server must listen on fd 3', () => {
      const h = harness({ socket: 'inherit', startTimeoutMs: 1_000 });
      h.actor.send({ type: 'server.start' });
      h.spawned();
      h.clock.increment(1_000);
      expect(h.context().lastError?.message).toBe(
        'server did not answer /api/health on port 3333 within 1000 ms (with supervisor.server.socket: inherit the server must listen on file descriptor 3)',
      );
    });
  });
});
