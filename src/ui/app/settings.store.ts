// Client state of the Settings page: one @xstate/store store with pure transitions. Effects (fetch, the event
// streams, timers) live in settings.page.ts and report back as events.
import { createStore } from '@xstate/store';
import { modelTransitions } from './models.transitions.js';
import { initialSettingsContext, type LogLevelFilter, type SettingsContext } from './settings.context.js';
import { statusTransitions } from './status.transitions.js';

export { currentModel, initialSettingsContext, type SettingsContext } from './settings.context.js';

/** The log viewer's stream and tools (its lines live in the log view, not here). */
export const logTransitions = {
  liveToggled: (ctx: SettingsContext, event: { live: boolean }): SettingsContext => ({
    ...ctx,
    live: event.live,
    logStream: event.live ? 'connecting' : 'off',
  }),
  logOpened: (ctx: SettingsContext): SettingsContext => (ctx.live ? { ...ctx, logStream: 'open' } : ctx),
  logDown: (ctx: SettingsContext): SettingsContext => ({ ...ctx, logStream: ctx.live ? 'down' : 'off' }),
  logPausedSet: (ctx: SettingsContext, event: { paused: boolean }): SettingsContext => ({ ...ctx, logPaused: event.paused }),
  logWrapSet: (ctx: SettingsContext, event: { wrap: boolean }): SettingsContext => ({ ...ctx, logWrap: event.wrap }),
  logLocalTimeSet: (ctx: SettingsContext, event: { localTime: boolean }): SettingsContext => ({ ...ctx, logLocalTime: event.localTime }),
  logFilterSet: (ctx: SettingsContext, event: { text: string; level: LogLevelFilter }): SettingsContext => ({
    ...ctx,
    logFilterText: event.text,
    logLevel: event.level,
  }),
};

/** The page's transitions, pure: (context, event) → context. Exported for tests. */
export const settingsTransitions = { ...statusTransitions, ...modelTransitions, ...logTransitions };

/** A fresh store for the Settings page. */
export function createSettingsStore(context: Partial<SettingsContext> = {}) {
  return createStore({ context: { ...initialSettingsContext, ...context }, on: settingsTransitions });
}

export type SettingsStore = ReturnType<typeof createSettingsStore>;
