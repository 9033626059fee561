import { actorOrder, createInspectorStore, maxTimelineEntries, momentAfter, visibleTimeline } from '../../../../src/ui/app/inspector.store.js';

const snapshot = (actor: string, value: unknown, at = 1) => ({
  snapshot: { actor, value: value as string, status: 'active', context: { n: at }, at, replayed: false },
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
    store.trigger.eventReceived({ event: { actor: 'server', type: 'server.restart', event: { type: 'server.restart' }, at: 2, replayed: false } });
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
      store.trigger.eventReceived({ event: { actor: i % 2 ? 'server' : 'models', type: `e${i}`, event: {}, at: i, replayed: false } });
    }
    expect(store.getSnapshot().context.timeline).toHaveLength(maxTimelineEntries);
    store.trigger.filterChanged({ actor: 'server' });
    expect(visibleTimeline(store.getSnapshot().context).every((e) => e.actor === 'server')).toBe(true);
    store.trigger.timelineCleared();
    expect(visibleTimeline(store.getSnapshot().context)).toEqual([]);
  });

  it('marks crashes, failed starts and a new lastError as errors, and supervisor restarts on the timeline', () => {
    const store = createInspectorStore();
    store.trigger.startedReceived({ started: { pid: 7, version: '1.2.3', at: 1, replayed: true } });
    store.trigger.snapshotReceived(snapshot('server', 'running', 2));
    store.trigger.eventReceived({ event: { actor: 'server', type: 'process.exited', event: { code: null, signal: 'SIGKILL' }, at: 3, replayed: true } });
    store.trigger.snapshotReceived(snapshot('server', { crashed: 'backoff' }, 4));
    store.trigger.eventReceived({ event: { actor: 'server', type: 'process.exited', event: { code: 0, signal: null }, at: 5, replayed: false } });
    store.trigger.eventReceived({ event: { actor: 'server', type: 'process.spawnFailed', event: {}, at: 6, replayed: false } });
    const withError = { snapshot: { actor: 'models', value: 'stale', status: 'active', context: { lastError: { code: 'E' } }, at: 7, replayed: false } };
    store.trigger.snapshotReceived(withError);
    const entries = [...store.getSnapshot().context.timeline].reverse();
    expect(entries.map((e) => `${e.title}${e.error ? ' !' : ''}${e.replayed ? ' (replayed)' : ''}`)).toEqual([
      'Supervisor started (replayed)',
      '→ running',
      'process.exited ! (replayed)',
      '→ crashed.backoff !',
      'process.exited',
      'process.spawnFailed !',
      '→ stale !',
    ]);
  });

  it('shows every actor as it was right after a chosen entry, with the transition it took', () => {
    const store = createInspectorStore();
    store.trigger.snapshotReceived(snapshot('server', 'stopped', 1));
    store.trigger.snapshotReceived(snapshot('models', 'empty', 2));
    store.trigger.eventReceived({ event: { actor: 'server', type: 'server.start', event: {}, at: 3, replayed: false } });
    store.trigger.snapshotReceived(snapshot('server', 'starting', 4));
    store.trigger.eventReceived({ event: { actor: 'server', type: 'health.ok', event: {}, at: 5, replayed: false } });
    store.trigger.snapshotReceived(snapshot('server', 'running', 6));
    const ctx = () => store.getSnapshot().context;
    const startEvent = ctx().timeline.find((e) => e.title === 'server.start');
    // An event's moment is right after it: the snapshot it led to.
    expect(momentAfter(ctx(), startEvent!.seq)).toEqual({
      server: { value: 'starting', previous: 'stopped', eventType: 'server.start' },
      models: { value: 'empty', previous: null, eventType: null },
    });
    store.trigger.entrySelected({ seq: startEvent!.seq });
    expect(ctx().selected).toBe(startEvent!.seq);
    // Time travel stays put while the present goes on, until Live.
    store.trigger.snapshotReceived(snapshot('server', 'stopping', 7));
    expect(ctx().selected).toBe(startEvent!.seq);
    store.trigger.liveSelected();
    expect(ctx().selected).toBeNull();
  });

  it('drops what an old connection told when a new one starts (it replays the recent past again)', () => {
    const store = createInspectorStore();
    store.trigger.snapshotReceived(snapshot('server', 'running'));
    store.trigger.streamReset();
    expect(store.getSnapshot().context).toMatchObject({ actors: {}, timeline: [], selected: null });
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
