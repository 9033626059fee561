import type { ModelsResponse, SupervisorStatus } from '../../../../src/ui/app/api.js';
import {
  createSettingsStore,
  currentModel,
  maxLogLines,
  type SettingsContext,
} from '../../../../src/ui/app/settings.store.js';
import {
  canApplyModel,
  commandEnabled,
  modelGroups,
  shownModel,
  statusBadge,
  uptimeText,
} from '../../../../src/ui/app/settings.view.js';
import { servedModel } from '../../../support/model-fixtures.js';

function status(overrides: Partial<SupervisorStatus> = {}): SupervisorStatus {
  return {
    supervisor_uptime_seconds: 100,
    supervisor_version: '0.1.0',
    main_server_healthy: true,
    main_server_status: 'running',
    main_server_state: 'running',
    main_server_uptime_seconds: 300,
    main_server_version: '1.2.3',
    main_server_port: 3333,
    config_loaded: true,
    main_server_pid: 4242,
    main_server_adopted: false,
    main_server_socket: 'own',
    restart_count: 0,
    last_exit: null,
    last_error: null,
    last_error_code: null,
    next_restart_at: null,
    cpu_percent: null,
    memory_bytes: null,
    default_model: 'claude-sonnet-4-5-20250929',
    default_model_info: null,
    main_server_health: 'healthy',
    last_crash: null,
    history_seq: 0,
    ...overrides,
  };
}

const models: ModelsResponse = {
  models: [
    servedModel({ id: 'claude-opus-4-1-20250805', display_name: 'Claude Opus 4.1', created_at: '2025-08-05T00:00:00Z', family: 'opus', is_latest: true }),
    servedModel({ id: 'claude-sonnet-4-5-20250929', display_name: 'Claude Sonnet 4.5', created_at: '2025-09-29T00:00:00Z', family: 'sonnet', is_latest: true }),
    servedModel({ id: 'claude-sonnet-4-20250514', display_name: 'Claude Sonnet 4', created_at: '2025-05-14T00:00:00Z', family: 'sonnet', is_latest: false }),
    servedModel({ id: 'claude-mythos-preview', display_name: 'Claude Mythos Preview', created_at: '2025-10-01T00:00:00Z', family: 'mythos', is_latest: true }),
  ],
  count: 4,
  show_all: true,
  current_model: 'claude-sonnet-4-5-20250929',
  current_model_info: null,
  cached_at: null,
  is_stale: false,
  source: 'anthropic',
  error: null,
  warnings: [],
};

function liveStore(extra: Partial<SettingsContext> = {}) {
  const store = createSettingsStore(extra);
  store.trigger.inspectionOpened();
  return store;
}

describe('settings store', () => {
  it('starts connecting, with nothing known and the log streaming live', () => {
    const ctx = createSettingsStore().getSnapshot().context;
    expect(ctx).toMatchObject({ connection: 'connecting', status: null, serverState: null, live: true });
    expect(statusBadge(ctx)).toEqual({ text: 'Loading…', tone: 'unknown' });
    expect(commandEnabled(ctx)).toEqual({ start: false, stop: false, restart: false });
  });

  it('shows Running with uptime once the status arrives', () => {
    const store = liveStore();
    store.trigger.statusLoaded({ status: status(), requestedAtSeq: 0, at: 1_000 });
    const ctx = store.getSnapshot().context;
    expect(statusBadge(ctx)).toEqual({ text: 'Running', tone: 'ok' });
    expect(uptimeText(ctx, 1_000)).toBe('Up 5m');
    expect(uptimeText(ctx, 1_000 + 61_000)).toBe('Up 6m');
    expect(commandEnabled(ctx)).toEqual({ start: false, stop: true, restart: true });
  });

  it('follows the server actor on the inspection stream, including nested values', () => {
    const store = liveStore();
    store.trigger.statusLoaded({ status: status(), requestedAtSeq: 0, at: 0 });
    store.trigger.serverObserved({ value: 'stopping' });
    expect(statusBadge(store.getSnapshot().context)).toEqual({ text: 'Stopping', tone: 'busy' });
    store.trigger.serverObserved({ value: { crashed: 'backoff' } });
    expect(statusBadge(store.getSnapshot().context)).toEqual({ text: 'Crashed', tone: 'bad' });
    expect(store.getSnapshot().context.snapshotSeq).toBe(2);
  });

  it('keeps the newer inspected state when a status answer requested before it arrives late', () => {
    const store = liveStore();
    store.trigger.serverObserved({ value: 'stopping' }); // seq 1: a status fetch is requested now
    store.trigger.serverObserved({ value: 'starting' }); // seq 2 arrives before that answer
    store.trigger.statusLoaded({ status: status({ main_server_status: 'stopping', main_server_pid: 1 }), requestedAtSeq: 1, at: 0 });
    const ctx = store.getSnapshot().context;
    expect(ctx.serverState).toBe('starting');
    expect(ctx.status?.main_server_pid).toBe(1);
    store.trigger.statusLoaded({ status: status({ main_server_status: 'running' }), requestedAtSeq: 2, at: 0 });
    expect(store.getSnapshot().context.serverState).toBe('running');
  });

  it('ignores state names it does not know rather than showing them', () => {
    const store = liveStore();
    store.trigger.serverObserved({ value: 'running' });
    store.trigger.serverObserved({ value: { a: 'x', b: 'y' } });
    expect(store.getSnapshot().context.serverState).toBe('running');
  });

  it('disables every button while a command runs and reports its outcome with the new pid', () => {
    const store = liveStore();
    store.trigger.statusLoaded({ status: status(), requestedAtSeq: 0, at: 0 });
    store.trigger.commandStarted({ command: 'restart' });
    let ctx = store.getSnapshot().context;
    expect(commandEnabled(ctx)).toEqual({ start: false, stop: false, restart: false });
    expect(ctx.commandOutcome).toEqual({ kind: 'progress', message: 'Restarting the server…' });
    store.trigger.commandSucceeded({
      command: 'restart',
      result: { success: true, message: 'Server restarted', status: status({ main_server_pid: 5151 }) },
      requestedAtSeq: 0,
      at: 0,
    });
    ctx = store.getSnapshot().context;
    expect(ctx.pendingCommand).toBeNull();
    expect(ctx.commandOutcome).toEqual({ kind: 'success', message: 'Server restarted (pid 5151).' });
    expect(ctx.status?.main_server_pid).toBe(5151);
  });

  it('reports a failed command as an error', () => {
    const store = liveStore();
    store.trigger.commandStarted({ command: 'start' });
    store.trigger.commandFailed({ command: 'start', message: 'Server start failed: port 3333 in use' });
    expect(store.getSnapshot().context.commandOutcome).toEqual({
      kind: 'error',
      message: 'Server start failed: port 3333 in use',
    });
  });

  it('disables the buttons and says so while the supervisor is unreachable', () => {
    const store = liveStore();
    store.trigger.statusLoaded({ status: status(), requestedAtSeq: 0, at: 0 });
    store.trigger.inspectionLost();
    const ctx = store.getSnapshot().context;
    expect(ctx.connection).toBe('unreachable');
    expect(commandEnabled(ctx)).toEqual({ start: false, stop: false, restart: false });
    store.trigger.inspectionOpened();
    expect(commandEnabled(store.getSnapshot().context).restart).toBe(true);
  });

  it('offers Start only when stopped or crashed', () => {
    const store = liveStore();
    store.trigger.serverObserved({ value: 'stopped' });
    expect(commandEnabled(store.getSnapshot().context)).toEqual({ start: true, stop: false, restart: false });
    store.trigger.serverObserved({ value: 'starting' });
    expect(commandEnabled(store.getSnapshot().context)).toEqual({ start: false, stop: true, restart: false });
  });

  it('drops a models answer for the other "show all" setting', () => {
    const store = liveStore();
    store.trigger.modelsRequested({ showAll: false });
    store.trigger.modelsLoaded({ models }); // show_all: true, stale
    expect(store.getSnapshot().context.models).toBeNull();
    store.trigger.modelsRequested({ showAll: true });
    store.trigger.modelsLoaded({ models });
    expect(store.getSnapshot().context.models?.count).toBe(4);
    expect(store.getSnapshot().context.modelsLoading).toBe(false);
  });

  it('applies a picked model and shows success', () => {
    const store = liveStore();
    store.trigger.modelsRequested({ showAll: true });
    store.trigger.modelsLoaded({ models });
    expect(canApplyModel(store.getSnapshot().context)).toBe(false);
    store.trigger.modelSelected({ id: 'claude-opus-4-1-20250805' });
    expect(canApplyModel(store.getSnapshot().context)).toBe(true);
    store.trigger.applyStarted({ id: 'claude-opus-4-1-20250805' });
    expect(canApplyModel(store.getSnapshot().context)).toBe(false);
    expect(commandEnabled(store.getSnapshot().context).restart).toBe(false);
    store.trigger.applySucceeded({
      id: 'claude-opus-4-1-20250805',
      result: { success: true, updated_keys: ['default_model'], server_restarted: true, config: {} },
    });
    const ctx = store.getSnapshot().context;
    expect(currentModel(ctx)).toBe('claude-opus-4-1-20250805');
    expect(shownModel(ctx)).toBe('claude-opus-4-1-20250805');
    expect(ctx.modelOutcome).toEqual({
      kind: 'success',
      message: 'Default model is now claude-opus-4-1-20250805; the server restarted on it.',
    });
  });

  it('treats picking the current model again as no change', () => {
    const store = liveStore();
    store.trigger.modelsRequested({ showAll: true });
    store.trigger.modelsLoaded({ models });
    store.trigger.modelSelected({ id: 'claude-opus-4-1-20250805' });
    store.trigger.modelSelected({ id: 'claude-sonnet-4-5-20250929' });
    expect(store.getSnapshot().context.selectedModel).toBeNull();
  });

  it('shows a rollback as a rollback, and the dropdown returns to the model still in use', () => {
    const store = liveStore();
    store.trigger.modelsRequested({ showAll: true });
    store.trigger.modelsLoaded({ models });
    store.trigger.modelSelected({ id: 'claude-opus-4-1-20250805' });
    store.trigger.applyStarted({ id: 'claude-opus-4-1-20250805' });
    store.trigger.applyFailed({ id: 'claude-opus-4-1-20250805', message: 'not healthy; previous config restored', rolledBack: true });
    const ctx = store.getSnapshot().context;
    expect(ctx.modelOutcome?.kind).toBe('rollback');
    expect(ctx.modelOutcome?.message).toBe(
      'Rolled back: the server did not come up with claude-opus-4-1-20250805, so the previous model is back in use.',
    );
    expect(ctx.modelOutcome?.detail).toBe('not healthy; previous config restored');
    expect(shownModel(ctx)).toBe('claude-sonnet-4-5-20250929');
  });

  it('shows any other failure as an error', () => {
    const store = liveStore();
    store.trigger.applyStarted({ id: 'claude-x' });
    store.trigger.applyFailed({ id: 'claude-x', message: 'default_model: not a model id', rolledBack: false });
    expect(store.getSnapshot().context.modelOutcome).toEqual({
      kind: 'error',
      message: 'Could not apply claude-x.',
      detail: 'default_model: not a model id',
    });
  });

  it('keeps at most maxLogLines lines, numbered in order', () => {
    const store = liveStore();
    for (let i = 0; i < maxLogLines + 5; i += 1) store.trigger.logLine({ text: `line ${i}` });
    store.trigger.logError({ message: 'log file missing' });
    const { logLines, logSeq } = store.getSnapshot().context;
    expect(logLines).toHaveLength(maxLogLines);
    expect(logLines[0]?.text).toBe('line 6');
    expect(logLines.at(-1)).toEqual({ seq: logSeq, text: 'log file missing', kind: 'error' });
  });

  it('turns the log stream off and on with "Stream live"', () => {
    const store = liveStore();
    store.trigger.logOpened();
    store.trigger.liveToggled({ live: false });
    expect(store.getSnapshot().context.logStream).toBe('off');
    store.trigger.logDown();
    expect(store.getSnapshot().context.logStream).toBe('off');
    store.trigger.liveToggled({ live: true });
    expect(store.getSnapshot().context.logStream).toBe('connecting');
  });
});

describe('model groups', () => {
  it('groups by family in answer order, newest first, marking latest and current', () => {
    const groups = modelGroups(models, 'claude-sonnet-4-5-20250929');
    expect(groups.map((g) => g.label)).toEqual(['Opus', 'Sonnet', 'Mythos']);
    expect(groups[1]?.options.map((o) => o.id)).toEqual(['claude-sonnet-4-5-20250929', 'claude-sonnet-4-20250514']);
    expect(groups[1]?.options[0]?.label).toBe('Claude Sonnet 4.5 (latest, current)');
    expect(groups[1]?.options[1]).toMatchObject({ latest: false, current: false });
  });

  it('keeps a configured model that the list does not contain', () => {
    const groups = modelGroups(models, 'sonnet');
    expect(groups[0]).toEqual({ label: 'Configured', options: [{ id: 'sonnet', label: 'sonnet (current)', latest: false, current: true }] });
  });

  it('adds the id where two models share a display name', () => {
    const twins: ModelsResponse = {
      ...models,
      models: [
        servedModel({ id: 'claude-a-1', display_name: 'Claude A', created_at: '2025-01-02T00:00:00Z', family: 'a', is_latest: true }),
        servedModel({ id: 'claude-a-0', display_name: 'Claude A', created_at: '2025-01-01T00:00:00Z', family: 'a', is_latest: false }),
      ],
    };
    expect(modelGroups(twins, null)[0]?.options.map((o) => o.label)).toEqual(['Claude A (claude-a-1) (latest)', 'Claude A (claude-a-0)']);
  });

  it('is empty with no models and no current model', () => {
    expect(modelGroups(null, null)).toEqual([]);
  });
});
