import { actorOrder, createInspectorStore, maxTimelineEntries, visibleTimeline } from '../../../../src/ui/app/inspector.store.js';

const snapshot = (actor: string, value: unknown, at = 1) => ({
  snapshot: { actor, value: value as string, status: 'active', context: { n: at }, at },
});

describe('inspector store', () => {
  it('records each actor on connect and puts state changes on the timeline', () => {
    const store = createInspectorStore();
    store.trigger.snapshotReceived(snapshot('server', 'running'));
    store.trigger.snapshotReceived(snapshot('models', 'fresh'));
    const ctx = store.getSnapshot().context;
    expect(Object.keys(ctx.actors)).toEqual(['server', 'models']);
    expect(ctx.timeline.map((e) => `${e.actor} ${e.title}`)).toEqual(['models → fresh', 'server → running']);
  });

  it('remembers the previous value and the event that led to the change', () => {
    const store = createInspectorStore();
    store.trigger.snapshotReceived(snapshot('server', 'running'));
    store.trigger.eventReceived({ event: { actor: 'server', type: 'server.restart', event: { type: 'server.restart' }, at: 2 } });
    store.trigger.snapshotReceived(snapshot('server', 'stopping', 3));
    const server = store.getSnapshot().context.actors['server'];
    expect(server).toMatchObject({ value: 'stopping', previous: 'running', lastEventType: 'server.restart', changes: 2 });
    expect(store.getSnapshot().context.timeline.map((e) => e.title)).toEqual(['→ stopping', 'server.restart', '→ running']);
  });

  it('keeps context-only snapshots off the timeline but updates the actor', () => {
    const store = createInspectorStore();
    store.trigger.snapshotReceived(snapshot('server', { crashed: 'backoff' }, 1));
    store.trigger.snapshotReceived(snapshot('server', { crashed: 'backoff' }, 2));
    const ctx = store.getSnapshot().context;
    expect(ctx.timeline).toHaveLength(1);
    expect(ctx.timeline[0]?.title).toBe('→ crashed.backoff');
    expect(ctx.actors['server']?.context).toEqual({ n: 2 });
    expect(ctx.actors['server']?.changes).toBe(1);
  });

  it('filters and clears the timeline, and caps its length', () => {
    const store = createInspectorStore();
    for (let i = 0; i < maxTimelineEntries + 3; i += 1) {
      store.trigger.eventReceived({ event: { actor: i % 2 ? 'server' : 'models', type: `e${i}`, event: {}, at: i } });
    }
    expect(store.getSnapshot().context.timeline).toHaveLength(maxTimelineEntries);
    store.trigger.filterChanged({ actor: 'server' });
    expect(visibleTimeline(store.getSnapshot().context).every((e) => e.actor === 'server')).toBe(true);
    store.trigger.timelineCleared();
    expect(visibleTimeline(store.getSnapshot().context)).toEqual([]);
  });

  it('orders actors server, supervisor, models, config, then the rest', () => {
    expect(actorOrder(['zeta', 'config', 'models', 'server', 'alpha', 'supervisor'])).toEqual([
      'server',
      'supervisor',
      'models',
      'config',
      'alpha',
      'zeta',
    ]);
  });
});
