import { createActor, fromCallback } from 'xstate';
import { serverLifecycleMachine } from '../../../machines/server-lifecycle.machine.js';
import { supervisorMachine } from '../../../machines/supervisor.machine.js';
import { InspectionHub, type InspectionRecord } from '../../../src/inspect/inspection-hub.js';
import { jsonSafe } from '../../../src/inspect/json-safe.js';
import { policyOf } from '../../../src/lifecycle/lifecycle-policy.js';
import { resolveServerSettings } from '../../../src/config/settings.js';

const policy = policyOf(resolveServerSettings({}, { env: {}, platform: 'linux', home: '/home/u', demoCommand: ['node', 'demo.mjs'] }).settings);

function system(hub: InspectionHub, boot: { type: 'none' } | { type: 'start' } = { type: 'none' }) {
  const lifecycle = serverLifecycleMachine.provide({
    actors: {
      serverProcess: fromCallback(() => () => undefined),
      readinessProbe: fromCallback(() => () => undefined),
      livenessProbe: fromCallback(() => () => undefined),
    },
    actions: { releaseSocket: () => undefined },
  });
  return createActor(supervisorMachine.provide({ actors: { serverLifecycle: lifecycle } }), {
    systemId: 'supervisor',
    input: { policy, boot, keepServer: false },
    inspect: hub.observe,
  }).start();
}

describe('inspection hub', () => {
  it('keeps the latest snapshot of each named actor and streams events and snapshots as they happen', () => {
    const hub = new InspectionHub(['supervisor', 'server'], (v) => v, () => 42);
    const root = system(hub);
    expect(hub.snapshots().map((r) => (r.kind === 'snapshot' ? r.actor : r.kind))).toEqual(['supervisor', 'server']);
    const seen: InspectionRecord[] = [];
    const unsubscribe = hub.subscribe((r) => seen.push(r));
    root.system.get('server').send({ type: 'server.start' });
    expect(seen).toContainEqual({ kind: 'event', actor: 'server', type: 'server.start', event: { type: 'server.start' }, source: null, at: 42 });
    expect(seen).toContainEqual(expect.objectContaining({ kind: 'snapshot', actor: 'server', value: 'starting', status: 'active' }));
    expect(seen.some((r) => r.kind === 'event' && r.type.startsWith('xstate.snapshot.'))).toBe(false);
    // The event comes first, then the snapshot it led to.
    const start = seen.findIndex((r) => r.kind === 'event' && r.type === 'server.start');
    expect(seen[start + 1]).toMatchObject({ kind: 'snapshot', actor: 'server', value: 'starting' });
    unsubscribe();
    expect(hub.size).toBe(0);
    root.stop();
  });

  it('copies and redacts a context once: an event that leaves the context as it was costs no copy (a cache hit)', () => {
    let redactions = 0;
    const hub = new InspectionHub(['server'], (v) => {
      redactions += 1;
      return v;
    }, () => 7);
    const root = system(hub);
    const server = root.system.get('server');
    const before = redactions;
    // Events the lifecycle ignores while stopped leave its context as it was.
    for (let i = 0; i < 10; i += 1) server.send({ type: 'health.ok', at: i });
    expect(redactions).toBe(before);
    expect(hub.snapshots()[0]).toMatchObject({ actor: 'server', value: 'stopped' });
    server.send({ type: 'server.start' });
    expect(redactions).toBeGreaterThan(before);
    expect(hub.snapshots()[0]).toMatchObject({ value: 'starting' });
    root.stop();
  });

  it('neither streams nor remembers an event that changes nothing, and remembers the ones that do', () => {
    const remembered: InspectionRecord[] = [];
    let now = 1_000;
    const hub = new InspectionHub(['server'], (v) => v, () => now, { add: (r) => remembered.push(r) });
    hub.runStarted(4242, '9.9.9');
    const root = system(hub);
    const server = root.system.get('server');
    const seen: InspectionRecord[] = [];
    hub.subscribe((r) => seen.push(r));
    // A stop while stopped: no state, status or context changes.
    now = 2_000;
    server.send({ type: 'server.stop' });
    expect(seen).toEqual([]);
    now = 3_000;
    server.send({ type: 'server.start' });
    expect(seen.map((r) => (r.kind === 'event' ? r.type : r.kind))).toEqual(['server.start', 'snapshot']);
    expect(remembered.map((r) => (r.kind === 'event' ? `event ${r.type}` : r.kind === 'snapshot' ? `snapshot ${JSON.stringify(r.value)}` : r.kind))).toEqual([
      'started',
      'event xstate.init',
      'snapshot "stopped"',
      'event server.start',
      'snapshot "starting"',
    ]);
    expect(remembered[0]).toEqual({ kind: 'started', pid: 4242, version: '9.9.9', at: 1_000 });
    expect(remembered.at(-1)?.at).toBe(3_000);
    root.stop();
  });

  it('names the actor that sent an event', () => {
    const remembered: InspectionRecord[] = [];
    const hub = new InspectionHub(['supervisor', 'server'], (v) => v, Date.now, { add: (r) => remembered.push(r) });
    // Booting with autostart, the supervisor sends server.start to the server.
    const root = system(hub, { type: 'start' });
    const received = remembered.find((r) => r.kind === 'event' && r.actor === 'server' && r.type === 'server.start');
    expect(received).toMatchObject({ source: 'supervisor' });
    expect(remembered.find((r) => r.kind === 'event' && r.actor === 'supervisor' && r.type === 'xstate.init')).toMatchObject({ source: null });
    root.stop();
  });

  it('passes every context through the redactor', () => {
    const hub = new InspectionHub(['server'], () => '[REDACTED-ALL]');
    system(hub);
    const server = hub.snapshots()[0];
    expect(server?.kind === 'snapshot' && server.context).toBe('[REDACTED-ALL]');
  });

  it('makes values JSON-safe: no functions, actor refs named, cycles cut, long strings cut', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const actorLike = { send: () => undefined, getSnapshot: () => undefined };
    const safe = jsonSafe({ f: () => 1, ref: actorLike, cyclic, long: 'x'.repeat(600), n: Number.NaN, when: new Date(0) });
    expect(safe).toEqual({ ref: '[actor]', cyclic: { a: 1, self: '[circular]' }, long: `${'x'.repeat(500)}…`, n: null, when: '1970-01-01T00:00:00.000Z' });
    expect(() => JSON.stringify(safe)).not.toThrow();
  });
});
