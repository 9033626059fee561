import { createActor, fromCallback } from 'xstate';
import { serverLifecycleMachine } from '../../../machines/server-lifecycle.machine.js';
import { supervisorMachine } from '../../../machines/supervisor.machine.js';
import { InspectionHub, type InspectionRecord } from '../../../src/inspect/inspection-hub.js';
import { jsonSafe } from '../../../src/inspect/json-safe.js';
import { policyOf } from '../../../src/lifecycle/lifecycle-policy.js';
import { resolveServerSettings } from '../../../src/config/settings.js';

const policy = policyOf(resolveServerSettings({}, { env: {}, platform: 'linux', home: '/home/u', demoCommand: ['node', 'demo.mjs'] }).settings);

function system(hub: InspectionHub) {
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
    input: { policy, boot: { type: 'none' }, keepServer: false },
    inspect: hub.observe,
  }).start();
}

describe('inspection hub', () => {
  it('keeps the latest snapshot of each named actor and streams events and snapshots as they happen', () => {
    const hub = new InspectionHub(['supervisor', 'server'], (v) => v, () => 42);
    const root = system(hub);
    expect(hub.snapshots().map((r) => r.actor)).toEqual(['supervisor', 'server']);
    const seen: InspectionRecord[] = [];
    const unsubscribe = hub.subscribe((r) => seen.push(r));
    root.system.get('server').send({ type: 'server.start' });
    expect(seen).toContainEqual({ kind: 'event', actor: 'server', type: 'server.start', event: { type: 'server.start' }, source: null, at: 42 });
    expect(seen).toContainEqual(expect.objectContaining({ kind: 'snapshot', actor: 'server', value: 'starting', status: 'active' }));
    expect(seen.some((r) => r.kind === 'event' && r.type.startsWith('xstate.snapshot.'))).toBe(false);
    unsubscribe();
    expect(hub.size).toBe(0);
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
