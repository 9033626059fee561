// How the Settings page's model picker and "Server settings" form change: lists loading and refreshing, a model or
// settings being applied (PUT /supervisor/config with a restart), and what came of it. Pure, for the store.
import type { ConfigUpdateResult, ModelsResponse } from './api.js';
import { changedValues, describeKeys, editableValues, type EditableKey, type EditableValues } from './config-form.view.js';
import { currentModel, type Outcome, type SettingsContext } from './settings.context.js';

// A failed PUT: a rollback says so (the previous file is back), anything else is an error that changed nothing.
function failure(what: string, message: string, rolledBack: boolean): Outcome {
  return rolledBack
    ? { kind: 'rollback', message: `Rolled back: the server did not come up with ${what}, so the previous settings are back in use.`, detail: message }
    : { kind: 'error', message: `Could not apply ${what}.`, detail: message };
}

/** The transitions of the model list, the model being applied and the settings form. */
export const modelTransitions = {
  modelsRequested: (ctx: SettingsContext, event: { showAll: boolean }): SettingsContext => ({
    ...ctx,
    showAll: event.showAll,
    modelsLoading: true,
  }),
  modelsRefreshStarted: (ctx: SettingsContext): SettingsContext => ({ ...ctx, modelsRefreshing: true }),
  modelsLoaded: (ctx: SettingsContext, event: { models: ModelsResponse }): SettingsContext =>
    // An answer for the other "show all" setting arrived after the toggle flipped again: drop it.
    event.models.show_all !== ctx.showAll
      ? { ...ctx, modelsRefreshing: false }
      : { ...ctx, models: event.models, modelsLoading: false, modelsRefreshing: false, modelsError: null },
  modelsFailed: (ctx: SettingsContext, event: { message: string }): SettingsContext => ({
    ...ctx,
    modelsLoading: false,
    modelsRefreshing: false,
    modelsError: event.message,
  }),

  modelSelected: (ctx: SettingsContext, event: { id: string }): SettingsContext => ({
    ...ctx,
    // The current model, by its id or as the model its alias resolves to, is no change.
    selectedModel: event.id === currentModel(ctx) || ctx.models?.models.some((m) => m.id === event.id && m.is_current) ? null : event.id,
    modelOutcome: ctx.modelOutcome?.kind === 'progress' ? ctx.modelOutcome : null,
  }),
  applyStarted: (ctx: SettingsContext, event: { id: string }): SettingsContext => ({
    ...ctx,
    applying: event.id,
    modelOutcome: { kind: 'progress', message: `Applying ${event.id} and restarting the server…` },
  }),
  applySucceeded: (ctx: SettingsContext, event: { id: string; result: ConfigUpdateResult }): SettingsContext => ({
    ...ctx,
    applying: null,
    selectedModel: null,
    models: ctx.models
      ? { ...ctx.models, current_model: event.id, models: ctx.models.models.map((m) => ({ ...m, is_current: m.id === event.id })) }
      : ctx.models,
    status: ctx.status ? { ...ctx.status, default_model: event.id } : ctx.status,
    modelOutcome: {
      kind: 'success',
      message: event.result.server_restarted ? `Default model is now ${event.id}; the server restarted on it.` : `Default model is now ${event.id}.`,
      seq: null,
    },
  }),
  applyFailed: (ctx: SettingsContext, event: { id: string; message: string; rolledBack: boolean }): SettingsContext => ({
    ...ctx,
    applying: null,
    selectedModel: null,
    modelOutcome: event.rolledBack
      ? {
          kind: 'rollback',
          message: `Rolled back: the server did not come up with ${event.id}, so the previous model is back in use.`,
          detail: event.message,
          seq: null,
        }
      : { kind: 'error', message: `Could not apply ${event.id}.`, detail: event.message, seq: null },
  }),

  configLoaded: (ctx: SettingsContext, event: { config: Record<string, unknown> }): SettingsContext => ({
    ...ctx,
    config: editableValues(event.config),
    configError: null,
  }),
  configFailed: (ctx: SettingsContext, event: { message: string }): SettingsContext => ({ ...ctx, configError: event.message }),
  draftEdited: (ctx: SettingsContext, event: { key: EditableKey; value: EditableValues[EditableKey] }): SettingsContext => {
    const draft = { ...ctx.draft, [event.key]: event.value };
    // Back to the file's value: no longer an edit.
    if (event.value === undefined || String(event.value) === String(ctx.config?.[event.key] ?? '')) delete draft[event.key];
    return { ...ctx, draft, configOutcome: ctx.configOutcome?.kind === 'progress' ? ctx.configOutcome : null };
  },
  draftDiscarded: (ctx: SettingsContext): SettingsContext => ({ ...ctx, draft: {} }),
  configApplyStarted: (ctx: SettingsContext): SettingsContext => ({
    ...ctx,
    configApplying: true,
    configOutcome: { kind: 'progress', message: `Applying ${describeKeys(Object.keys(changedValues(ctx.config ?? {}, ctx.draft)))} and restarting the server…` },
  }),
  configApplySucceeded: (ctx: SettingsContext, event: { result: ConfigUpdateResult }): SettingsContext => ({
    ...ctx,
    configApplying: false,
    draft: {},
    config: editableValues(event.result.config),
    configOutcome: {
      kind: 'success',
      message: `Saved ${describeKeys(event.result.updated_keys)}${event.result.server_restarted ? '; the server restarted on the new settings' : ''}.`,
      seq: null,
    },
  }),
  configApplyFailed: (ctx: SettingsContext, event: { keys: string[]; message: string; rolledBack: boolean }): SettingsContext => ({
    ...ctx,
    configApplying: false,
    // A rollback restored the file: the edits are gone from it, so they are dropped here too.
    draft: event.rolledBack ? {} : ctx.draft,
    configOutcome: { ...failure(describeKeys(event.keys), event.message, event.rolledBack), seq: null },
  }),
};
