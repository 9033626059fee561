import type { ModelsResponse } from '../../../../src/ui/app/api.js';
import { canApplyModel, lifecycleText, listNote, modelBanner, modelDetails, modelGroups, shownModel } from '../../../../src/ui/app/models.view.js';
import { createSettingsStore, currentModel } from '../../../../src/ui/app/settings.store.js';
import { commandEnabled } from '../../../../src/ui/app/status.view.js';
import { servedModel, sonnet45Deprecated } from '../../../support/model-fixtures.js';
import { uiStatus } from '../../../support/ui-fixtures.js';

const now = Date.parse('2026-12-01T00:00:00Z');

const models: ModelsResponse = {
  models: [
    servedModel({ id: 'claude-fable-5', display_name: 'Claude Fable 5', created_at: '2026-06-09T00:00:00Z', family: 'fable', is_latest: true }),
    servedModel({ id: 'claude-sonnet-5', display_name: 'Claude Sonnet 5', created_at: '2026-06-30T00:00:00Z', family: 'sonnet', is_latest: true, max_input_tokens: 1_000_000 }),
    servedModel({ id: 'claude-haiku-4-5-20251001', display_name: 'Claude Haiku 4.5', created_at: '2025-10-01T00:00:00Z', family: 'haiku', is_latest: true }),
    servedModel({
      id: 'claude-sonnet-4-5-20250929',
      display_name: 'Claude Sonnet 4.5',
      created_at: '2025-09-29T00:00:00Z',
      family: 'sonnet',
      is_latest: false,
      lifecycle: 'deprecated',
      retires_at: '2027-02-05T00:00:00Z',
      max_input_tokens: 200_000,
      is_current: true,
    }),
    servedModel({ id: 'claude-opus-5', display_name: 'Claude Opus 5', created_at: '2026-07-24T00:00:00Z', family: 'opus', is_latest: true }),
    servedModel({ id: 'claude-mythos-preview', display_name: 'Claude Mythos Preview', created_at: '2026-04-07T00:00:00Z', family: 'mythos', is_latest: true }),
  ],
  count: 6,
  show_all: false,
  current_model: 'claude-sonnet-4-5-20250929',
  current_model_info: sonnet45Deprecated(),
  cached_at: new Date(now - 3 * 60_000).toISOString(),
  is_stale: false,
  source: 'cache',
  error: null,
  warnings: ['claude-sonnet-4-5-20250929 is deprecated and retires on 2027-02-05; Claude Sonnet 5 (claude-sonnet-5) replaces it'],
};

function storeWith(list: ModelsResponse | null = models) {
  const store = createSettingsStore();
  store.trigger.eventsOpened();
  store.trigger.statusLoaded({ status: uiStatus(), at: now });
  if (list) {
    store.trigger.modelsRequested({ showAll: list.show_all });
    store.trigger.modelsLoaded({ models: list });
  }
  return store;
}

describe('the model dropdown', () => {
  it('orders families Opus, Sonnet, Haiku, then the others by name, newest first, marking latest, current and deprecated', () => {
    const groups = modelGroups(models, 'claude-sonnet-4-5-20250929', now);
    expect(groups.map((g) => g.label)).toEqual(['Opus', 'Sonnet', 'Haiku', 'Fable', 'Mythos']);
    expect(groups[1]?.options.map((o) => o.label)).toEqual(['Claude Sonnet 5 (latest)', 'Claude Sonnet 4.5 (current, deprecated · retires 2027-02-05)']);
  });

  it('keeps the same family order whatever order the answer has', () => {
    const reversed = { ...models, models: [...models.models].reverse() };
    expect(modelGroups(reversed, null, now).map((g) => g.label)).toEqual(['Opus', 'Sonnet', 'Haiku', 'Fable', 'Mythos']);
  });

  it('keeps a configured model the list does not hold, and shows an alias as the model it resolves to', () => {
    // The list marks the model the configured name resolves to: no extra entry.
    expect(modelGroups(models, 'claude-sonnet-4-5', now).map((g) => g.label)).not.toContain('Configured');
    const plain = { ...models, models: models.models.map((m) => ({ ...m, is_current: false })) };
    expect(modelGroups(plain, 'sonnet', now)[0]).toEqual({ label: 'Configured', options: [{ id: 'sonnet', label: 'sonnet (current)', latest: false, current: true }] });
    const aliased = storeWith({ ...models, current_model: 'claude-sonnet-4-5' });
    expect(shownModel(aliased.getSnapshot().context)).toBe('claude-sonnet-4-5-20250929');
  });

  it('says when a deprecated model was due to retire', () => {
    expect(lifecycleText({ lifecycle: 'deprecated', retires_at: '2026-11-14T00:00:00Z' }, now)).toBe('deprecated · was due to retire 2026-11-14');
    expect(lifecycleText({ lifecycle: 'active', retires_at: null }, now)).toBeNull();
  });

  it('describes the shown model: id, release date, context window and lifecycle', () => {
    expect(modelDetails(storeWith().getSnapshot().context, now)).toEqual({
      id: 'claude-sonnet-4-5-20250929',
      facts: ['released 2025-09-29', '200K context'],
      lifecycle: 'deprecated · retires 2027-02-05',
    });
  });
});

describe('the deprecated-model banner', () => {
  it('says the model is deprecated in the supervisor’s words and offers its replacement', () => {
    expect(modelBanner(storeWith().getSnapshot().context, now)).toEqual({
      tone: 'warn',
      title: 'Your model is deprecated',
      text: models.warnings[0],
      replacement: { id: 'claude-sonnet-5', label: 'Claude Sonnet 5' },
    });
  });

  it('says so for a retired or unknown model, from status alone before the list arrives', () => {
    const store = createSettingsStore();
    store.trigger.statusLoaded({
      status: uiStatus({ default_model_info: { id: 'claude-x-1', resolved_id: null, display_name: null, lifecycle: 'unknown', retires_at: null, replacement: 'claude-opus-5' } }),
      at: now,
    });
    expect(modelBanner(store.getSnapshot().context, now)).toEqual({
      tone: 'bad',
      title: 'Your model is unknown to Anthropic',
      text: 'The Anthropic API does not know claude-x-1.',
      replacement: { id: 'claude-opus-5', label: 'claude-opus-5' },
    });
  });

  it('is absent for an active model', () => {
    const active = { ...models, current_model_info: { ...models.current_model_info!, lifecycle: 'active' as const, replacement: null }, warnings: [] };
    expect(modelBanner(storeWith(active).getSnapshot().context, now)).toBeNull();
  });
});

describe('where the list came from', () => {
  it('says the source and age, and warnings the banner does not show', () => {
    expect(listNote(storeWith().getSnapshot().context, now)).toBe('From Anthropic, updated 3 min ago.');
    const fallback = { ...models, source: 'fallback' as const, error: 'no credential', current_model_info: null, warnings: ['This is the built-in list.'] };
    expect(listNote(storeWith(fallback).getSnapshot().context, now)).toBe('Built-in list: Anthropic could not be asked (no credential). This is the built-in list.');
    const stale = { ...models, is_stale: true, error: 'HTTP 529', cached_at: new Date(now - 2 * 3_600_000).toISOString() };
    expect(listNote(storeWith(stale).getSnapshot().context, now)).toBe('Cached list from 2 h ago, may be out of date (HTTP 529).');
  });

  it('says "Refreshing…" while a refresh is under way', () => {
    const store = storeWith();
    store.trigger.modelsRefreshStarted();
    expect(listNote(store.getSnapshot().context, now)).toMatch(/Refreshing…$/);
    store.trigger.modelsLoaded({ models });
    expect(store.getSnapshot().context.modelsRefreshing).toBe(false);
  });
});

describe('models in the store', () => {
  it('is loading from the start, so the dropdown says "Loading models…" and never "No models" before the answer', () => {
    const ctx = createSettingsStore().getSnapshot().context;
    expect(ctx.modelsLoading).toBe(true);
    expect(ctx.models).toBeNull();
  });

  it('drops an answer for the other "show all" setting', () => {
    const store = storeWith(null);
    store.trigger.modelsRequested({ showAll: true });
    store.trigger.modelsLoaded({ models });
    expect(store.getSnapshot().context.models).toBeNull();
    store.trigger.modelsRequested({ showAll: false });
    store.trigger.modelsLoaded({ models });
    expect(store.getSnapshot().context.models?.count).toBe(6);
  });

  it('applies a picked model: Apply usable only for a change, lifecycle buttons unusable meanwhile, then success', () => {
    const store = storeWith();
    expect(canApplyModel(store.getSnapshot().context)).toBe(false);
    store.trigger.modelSelected({ id: 'claude-opus-5' });
    expect(canApplyModel(store.getSnapshot().context)).toBe(true);
    store.trigger.applyStarted({ id: 'claude-opus-5' });
    expect(commandEnabled(store.getSnapshot().context).restart).toBe(false);
    store.trigger.applySucceeded({ id: 'claude-opus-5', result: { success: true, updated_keys: ['default_model'], server_restarted: true, config: {} } });
    const ctx = store.getSnapshot().context;
    expect(currentModel(ctx)).toBe('claude-opus-5');
    expect(ctx.models?.models.filter((m) => m.is_current).map((m) => m.id)).toEqual(['claude-opus-5']);
    expect(ctx.modelOutcome).toMatchObject({ kind: 'success', message: 'Default model is now claude-opus-5; the server restarted on it.' });
  });

  it('treats picking the current model (or the model its alias names) again as no change, and clears an old outcome', () => {
    const store = storeWith({ ...models, current_model: 'claude-sonnet-4-5' });
    store.trigger.applyFailed({ id: 'claude-x', message: 'nope', rolledBack: false });
    store.trigger.modelSelected({ id: 'claude-opus-5' });
    expect(store.getSnapshot().context.modelOutcome).toBeNull();
    store.trigger.modelSelected({ id: 'claude-sonnet-4-5-20250929' });
    expect(store.getSnapshot().context.selectedModel).toBeNull();
  });

  it('shows a rollback as a rollback, and the dropdown returns to the model still in use', () => {
    const store = storeWith();
    store.trigger.modelSelected({ id: 'claude-opus-5' });
    store.trigger.applyStarted({ id: 'claude-opus-5' });
    store.trigger.applyFailed({ id: 'claude-opus-5', message: 'not healthy; previous config restored', rolledBack: true });
    const ctx = store.getSnapshot().context;
    expect(ctx.modelOutcome).toMatchObject({
      kind: 'rollback',
      message: 'Rolled back: the server did not come up with claude-opus-5, so the previous model is back in use.',
      detail: 'not healthy; previous config restored',
    });
    expect(shownModel(ctx)).toBe('claude-sonnet-4-5-20250929');
  });
});
