import { createSettingsStore } from '../../../../src/ui/app/settings.store.js';
import { commandEnabled, isStale, secondsUntil, stateNote, statusBadge, uptimeText } from '../../../../src/ui/app/status.view.js';
import { uiEvent, uiEventAt, uiStatus } from '../../../support/ui-fixtures.js';

// A page that hears the supervisor: its event stream is open and a status arrived.
function liveStore(status = uiStatus()) {
  const store = createSettingsStore();
  store.trigger.eventsOpened();
  store.trigger.statusLoaded({ status, at: 1_000 });
  return store;
}

describe('connection', () => {
  it('is connecting until both the event stream is open and a status arrived', () => {
    const store = createSettingsStore();
    expect(store.getSnapshot().context.connection).toBe('connecting');
    expect(statusBadge(store.getSnapshot().context)).toEqual({ text: 'Loading…', tone: 'unknown' });
    store.trigger.statusLoaded({ status: uiStatus(), at: 0 });
    expect(store.getSnapshot().context.connection).toBe('connecting');
    store.trigger.eventsOpened();
    expect(store.getSnapshot().context.connection).toBe('live');
  });

  it('is unreachable when the event stream drops or a status request gets no answer, and live again only when both work', () => {
    const store = liveStore();
    store.trigger.eventsLost();
    expect(store.getSnapshot().context.connection).toBe('unreachable');
    store.trigger.statusFailed({ message: 'Supervisor unreachable (connection refused)', unreachable: true });
    store.trigger.eventsOpened();
    expect(store.getSnapshot().context.connection).toBe('unreachable');
    store.trigger.statusLoaded({ status: uiStatus(), at: 2_000 });
    expect(store.getSnapshot().context.connection).toBe('live');
  });

  it('stays live when the supervisor answers a status request with an error', () => {
    const store = liveStore();
    store.trigger.statusFailed({ message: 'boom', unreachable: false });
    expect(store.getSnapshot().context).toMatchObject({ connection: 'live', statusError: 'boom' });
  });
});

describe('status that never lies', () => {
  it('shows Running with uptime that counts on between answers', () => {
    const ctx = liveStore().getSnapshot().context;
    expect(statusBadge(ctx)).toEqual({ text: 'Running', tone: 'ok' });
    expect(uptimeText(ctx, 1_000)).toBe('Up 5m');
    expect(uptimeText(ctx, 1_000 + 61_000)).toBe('Up 6m');
    expect(stateNote(ctx)).toBeNull();
  });

  it('shows Unknown, never Running, with the uptime frozen and the facts marked stale, while the supervisor is unreachable', () => {
    const store = liveStore();
    store.trigger.eventsLost();
    const ctx = store.getSnapshot().context;
    expect(statusBadge(ctx)).toEqual({ text: 'Unknown', tone: 'unknown' });
    expect(isStale(ctx)).toBe(true);
    expect(uptimeText(ctx, 1_000)).toBe('Up 5m');
    expect(uptimeText(ctx, 1_000 + 600_000)).toBe('Up 5m');
    expect(stateNote(ctx)?.text).toMatch(/^No answer from the supervisor since \d\d:\d\d:\d\d\. Below is what it said last, greyed/);
    expect(commandEnabled(ctx)).toEqual({ start: false, stop: false, restart: false });
  });

  it('shows a running server whose health probe fails as Unhealthy (amber), with what that means', () => {
    const ctx = liveStore(uiStatus({ main_server_health: 'unhealthy', main_server_healthy: false })).getSnapshot().context;
    expect(statusBadge(ctx)).toEqual({ text: 'Unhealthy', tone: 'warn' });
    expect(stateNote(ctx)).toMatchObject({ tone: 'warn', text: expect.stringMatching(/running but does not answer its health check/) });
    expect(commandEnabled(ctx).restart).toBe(true);
  });

  it('does not call a server unhealthy from a status older than the state shown', () => {
    const store = liveStore(uiStatus({ main_server_health: 'unhealthy', history_seq: 10 }));
    store.trigger.eventReceived({ event: uiEvent.crashed(11) });
    store.trigger.eventReceived({ event: uiEvent.starting(12) });
    store.trigger.eventReceived({ event: uiEvent.running(13) });
    expect(statusBadge(store.getSnapshot().context)).toEqual({ text: 'Running', tone: 'ok' });
  });

  it('gives a crash loop its own badge and says what to do', () => {
    const store = liveStore(uiStatus({ main_server_status: 'crashed', main_server_state: 'crashed.exhausted', history_seq: 20 }));
    store.trigger.historyLoaded({ events: [uiEvent.gaveUp(20), uiEvent.crashed(19)] });
    const ctx = store.getSnapshot().context;
    expect(statusBadge(ctx)).toEqual({ text: 'Crash loop — auto-restart off', tone: 'bad' });
    expect(stateNote(ctx)?.text).toBe('It crashed 6 times within 1m, so automatic restarts are off. See the history below for why, fix the cause, then press Start.');
    expect(commandEnabled(ctx).start).toBe(true);
  });

  it('shows Halted with the reason and what to do', () => {
    const ctx = liveStore(
      uiStatus({ main_server_status: 'crashed', main_server_state: 'crashed.halted', last_error: 'port 3333 is in use by pid 77 (python3); stop that process or change "port" in /c.yaml' }),
    ).getSnapshot().context;
    expect(statusBadge(ctx)).toEqual({ text: 'Halted', tone: 'bad' });
    expect(stateNote(ctx)?.text).toBe(
      'Not restarted automatically: port 3333 is in use by pid 77 (python3); stop that process or change "port" in /c.yaml. Press Start once the cause is fixed.',
    );
  });

  it('counts down to the automatic restart in whole seconds rounded up, never a second short', () => {
    const next = 10_000;
    const ctx = liveStore(
      uiStatus({ main_server_status: 'crashed', main_server_state: 'crashed.backoff', next_restart_at: new Date(next).toISOString() }),
    ).getSnapshot().context;
    expect(statusBadge(ctx)).toEqual({ text: 'Crashed', tone: 'bad' });
    expect(uptimeText(ctx, next - 3_000)).toBe('Restarting in 3s');
    expect(uptimeText(ctx, next - 2_001)).toBe('Restarting in 3s');
    expect(uptimeText(ctx, next - 2_000)).toBe('Restarting in 2s');
    expect(uptimeText(ctx, next - 1)).toBe('Restarting in 1s');
    expect(uptimeText(ctx, next)).toBe('Restarting…');
    expect(secondsUntil(next, next - 59_500)).toBe(60);
  });

  it('starts the countdown from a restart_scheduled event before any status says so', () => {
    const store = liveStore();
    store.trigger.eventReceived({ event: uiEvent.crashed(11) });
    store.trigger.eventReceived({ event: uiEvent.restartScheduled(12, 3_000) });
    const ctx = store.getSnapshot().context;
    expect(ctx.serverState).toBe('crashed.backoff');
    expect(uptimeText(ctx, uiEventAt(12) + 500)).toBe('Restarting in 3s');
  });
});

describe('ordering status answers and events by history seq', () => {
  it('takes the state of an event newer than the status, and ignores one the status already reflects', () => {
    const store = liveStore(uiStatus({ history_seq: 10 }));
    store.trigger.eventReceived({ event: uiEvent.stopping(11) });
    expect(store.getSnapshot().context.serverState).toBe('stopping');
    // A status read after the restart finished (seq 14), then the restart's facts arriving late: still running.
    store.trigger.statusLoaded({ status: uiStatus({ history_seq: 14, main_server_pid: 5151 }), at: 2_000 });
    store.trigger.eventReceived({ event: uiEvent.stopped(12) });
    store.trigger.eventReceived({ event: uiEvent.starting(13) });
    expect(store.getSnapshot().context.serverState).toBe('running');
    expect(store.getSnapshot().context.history.map((e) => e.seq)).toEqual([13, 12, 11]);
  });

  it('keeps the newer state from an event when a status read before it arrives late, but takes its other facts', () => {
    const store = liveStore(uiStatus({ history_seq: 10 }));
    store.trigger.eventReceived({ event: uiEvent.crashed(11) });
    store.trigger.statusLoaded({ status: uiStatus({ history_seq: 10, cpu_percent: 9 }), at: 2_000 });
    const ctx = store.getSnapshot().context;
    expect(ctx.serverState).toBe('crashed');
    expect(ctx.status?.cpu_percent).toBe(9);
  });

  it('after a reconnection takes the next status whatever its seq (a new supervisor may number afresh)', () => {
    const store = liveStore(uiStatus({ history_seq: 500 }));
    store.trigger.eventsLost();
    store.trigger.eventsOpened();
    store.trigger.statusLoaded({ status: uiStatus({ history_seq: 3, main_server_status: 'stopped', main_server_state: 'stopped' }), at: 2_000 });
    expect(statusBadge(store.getSnapshot().context).text).toBe('Stopped');
    store.trigger.eventReceived({ event: uiEvent.starting(4) });
    expect(statusBadge(store.getSnapshot().context).text).toBe('Starting');
  });

  it('maps each lifecycle event to the state it leaves the server in', () => {
    const store = liveStore(uiStatus({ history_seq: 0 }));
    const seen: (string | null)[] = [];
    for (const event of [uiEvent.crashed(1), uiEvent.gaveUp(2), uiEvent.starting(3), uiEvent.running(4), uiEvent.halted(5), uiEvent.configApplied(6)]) {
      store.trigger.eventReceived({ event });
      seen.push(store.getSnapshot().context.serverState);
    }
    expect(seen).toEqual(['crashed', 'crashed.exhausted', 'starting', 'running', 'crashed.halted', 'crashed.halted']);
  });
});

describe('toasts', () => {
  it('says when the server crashes and when it is back, once each', () => {
    const store = liveStore();
    store.trigger.eventReceived({ event: uiEvent.crashed(11) });
    store.trigger.eventReceived({ event: uiEvent.crashed(11) });
    store.trigger.eventReceived({ event: uiEvent.starting(12) });
    store.trigger.eventReceived({ event: uiEvent.running(13) });
    const toasts = store.getSnapshot().context.toasts;
    expect(toasts.map(({ tone, message, detail }) => ({ tone, message, detail }))).toEqual([
      { tone: 'bad', message: 'The server crashed', detail: 'server was killed by SIGKILL' },
      { tone: 'ok', message: 'The server is back up', detail: 'pid 5151, ready in 120 ms' },
    ]);
    store.trigger.toastDismissed({ id: toasts[0]!.id });
    expect(store.getSnapshot().context.toasts.map((t) => t.message)).toEqual(['The server is back up']);
  });

  it('makes one notice of repeated crashes, with a count', () => {
    const store = liveStore();
    for (const seq of [11, 13, 15]) store.trigger.eventReceived({ event: uiEvent.crashed(seq) });
    expect(store.getSnapshot().context.toasts.map(({ message, count }) => ({ message, count }))).toEqual([{ message: 'The server crashed', count: 3 }]);
  });

  it('does not call an ordinary start "back up", and says when auto-restart gives up', () => {
    const store = liveStore();
    store.trigger.eventReceived({ event: uiEvent.starting(11) });
    store.trigger.eventReceived({ event: uiEvent.running(12) });
    expect(store.getSnapshot().context.toasts).toEqual([]);
    store.trigger.eventReceived({ event: uiEvent.gaveUp(13) });
    expect(store.getSnapshot().context.toasts.map((t) => t.message)).toEqual(['Crash loop — automatic restarts are off']);
  });

  it('does not toast an event the history read already had (after a reconnection)', () => {
    const store = liveStore();
    store.trigger.historyLoaded({ events: [uiEvent.crashed(11)] });
    store.trigger.eventReceived({ event: uiEvent.crashed(11) });
    expect(store.getSnapshot().context.toasts).toEqual([]);
  });
});

describe('lifecycle commands', () => {
  it('makes every button unusable while a command runs and reports the outcome with the new pid', () => {
    const store = liveStore();
    store.trigger.commandStarted({ command: 'restart' });
    let ctx = store.getSnapshot().context;
    expect(commandEnabled(ctx)).toEqual({ start: false, stop: false, restart: false });
    expect(ctx.commandOutcome).toEqual({ kind: 'progress', message: 'Restarting the server…' });
    store.trigger.commandSucceeded({
      command: 'restart',
      result: { success: true, message: 'Server restarted', status: uiStatus({ main_server_pid: 5151, history_seq: 14 }) },
      at: 2_000,
    });
    ctx = store.getSnapshot().context;
    expect(ctx.pendingCommand).toBeNull();
    expect(ctx.commandOutcome).toMatchObject({ kind: 'success', message: 'Server restarted (pid 5151).' });
    expect(ctx.status?.main_server_pid).toBe(5151);
  });

  it('keeps a success message while the late facts of its own command arrive, and clears it once the state moves on', () => {
    const store = liveStore(uiStatus({ history_seq: 10 }));
    store.trigger.commandStarted({ command: 'restart' });
    store.trigger.commandSucceeded({ command: 'restart', result: { success: true, message: 'Server restarted', status: uiStatus({ history_seq: 14 }) }, at: 2_000 });
    for (const event of [uiEvent.stopping(11), uiEvent.stopped(12), uiEvent.starting(13), uiEvent.running(14)]) store.trigger.eventReceived({ event });
    expect(store.getSnapshot().context.commandOutcome?.message).toBe('Server restarted (pid 4242).');
    store.trigger.eventReceived({ event: uiEvent.crashed(15) });
    expect(store.getSnapshot().context.commandOutcome).toBeNull();
  });

  it('says "Server stopped." without a pid, and offers Start only when stopped or crashed', () => {
    const store = liveStore();
    store.trigger.commandSucceeded({
      command: 'stop',
      result: { success: true, message: 'Server stopped', status: uiStatus({ main_server_status: 'stopped', main_server_state: 'stopped', history_seq: 13 }) },
      at: 2_000,
    });
    const ctx = store.getSnapshot().context;
    expect(ctx.commandOutcome?.message).toBe('Server stopped.');
    expect(commandEnabled(ctx)).toEqual({ start: true, stop: false, restart: false });
  });

  it('reports a failed command as an error and takes the status it carries', () => {
    const store = liveStore();
    store.trigger.commandStarted({ command: 'start' });
    const status = uiStatus({ main_server_status: 'crashed', main_server_state: 'crashed.halted', history_seq: 12 });
    store.trigger.commandFailed({ command: 'start', message: 'Server start failed: port 3333 in use', status, at: 2_000 });
    const ctx = store.getSnapshot().context;
    expect(ctx.commandOutcome).toMatchObject({ kind: 'error', message: 'Server start failed: port 3333 in use' });
    expect(statusBadge(ctx).text).toBe('Halted');
  });
});
