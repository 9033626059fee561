// What the Settings page shows, derived purely from its store context.
import type { ModelsResponse, ServerCommand, ServerStatusName } from './api.js';
import { familyLabel, formatDuration, formatUptime, stateLabel, toEpochMs } from './format.js';
import { currentModel, type SettingsContext } from './settings.store.js';

export interface ModelOption {
  id: string;
  label: string;
  latest: boolean;
  current: boolean;
}

export interface ModelGroup {
  label: string;
  options: ModelOption[];
}

/** The dropdown's <optgroup>s: one per family in the answer's order, newest first; the current model always present. */
export function modelGroups(models: ModelsResponse | null, current: string | null): ModelGroup[] {
  const groups = new Map<string, ModelGroup>();
  const nameCount = new Map<string, number>();
  for (const model of models?.models ?? []) nameCount.set(model.display_name, (nameCount.get(model.display_name) ?? 0) + 1);
  for (const model of models?.models ?? []) {
    const key = model.family || 'other';
    let group = groups.get(key);
    if (!group) {
      group = { label: familyLabel(key), options: [] };
      groups.set(key, group);
    }
    const isCurrent = model.id === current;
    const marks = [model.is_latest ? 'latest' : '', isCurrent ? 'current' : ''].filter(Boolean);
    // Display names read best; the id only where a name is missing or shared.
    const name = !model.display_name ? model.id : (nameCount.get(model.display_name) ?? 0) > 1 ? `${model.display_name} (${model.id})` : model.display_name;
    group.options.push({
      id: model.id,
      label: marks.length ? `${name} (${marks.join(', ')})` : name,
      latest: model.is_latest,
      current: isCurrent,
    });
  }
  const createdAt = new Map((models?.models ?? []).map((m) => [m.id, Date.parse(m.created_at) || 0]));
  for (const group of groups.values()) {
    group.options.sort((a, b) => (createdAt.get(b.id) ?? 0) - (createdAt.get(a.id) ?? 0));
  }
  const result = [...groups.values()];
  // The configured model may be an alias ("sonnet") or an older version hidden by the default view.
  if (current && !result.some((g) => g.options.some((o) => o.id === current))) {
    result.unshift({ label: 'Configured', options: [{ id: current, label: `${current} (current)`, latest: false, current: true }] });
  }
  return result;
}

/** The model the dropdown shows, with its id and release date, for the line under it. */
export function modelDetails(ctx: SettingsContext): string {
  const id = shownModel(ctx);
  if (id === null) return '';
  const model = ctx.models?.models.find((m) => m.id === id);
  const released = model && !Number.isNaN(Date.parse(model.created_at)) ? ` · released ${model.created_at.slice(0, 10)}` : '';
  return `${id}${released}`;
}

/** The id the dropdown shows: the one being applied, else the one picked, else the current model. */
export function shownModel(ctx: SettingsContext): string | null {
  return ctx.applying ?? ctx.selectedModel ?? currentModel(ctx);
}

/** Whether the Apply button can be used. */
export function canApplyModel(ctx: SettingsContext): boolean {
  return ctx.connection === 'live' && ctx.applying === null && ctx.pendingCommand === null && ctx.selectedModel !== null;
}

const allowedIn: Record<ServerCommand, readonly ServerStatusName[]> = {
  start: ['stopped', 'crashed'],
  stop: ['starting', 'running', 'crashed'],
  restart: ['running', 'crashed'],
};

/** Which lifecycle buttons are enabled: none while busy or unreachable, else those that make sense now. */
export function commandEnabled(ctx: SettingsContext): Record<ServerCommand, boolean> {
  const idle = ctx.connection === 'live' && ctx.pendingCommand === null && ctx.applying === null;
  const state = ctx.serverState;
  const ok = (command: ServerCommand): boolean => idle && state !== null && allowedIn[command].includes(state);
  return { start: ok('start'), stop: ok('stop'), restart: ok('restart') };
}

export type BadgeTone = 'ok' | 'busy' | 'idle' | 'bad' | 'unknown';

/** The status badge: its text and colour. */
export function statusBadge(ctx: SettingsContext): { text: string; tone: BadgeTone } {
  const state = ctx.serverState;
  if (state === null) return { text: ctx.connection === 'unreachable' ? 'Unknown' : 'Loading…', tone: 'unknown' };
  const tone: Record<ServerStatusName, BadgeTone> = {
    running: 'ok',
    starting: 'busy',
    stopping: 'busy',
    stopped: 'idle',
    crashed: 'bad',
  };
  return { text: stateLabel(state), tone: tone[state] };
}

/** "Up 5m" while running (counting on from the last answer), else a note about the state, else null. */
export function uptimeText(ctx: SettingsContext, now: number): string | null {
  const status = ctx.status;
  if (!status || ctx.serverState !== 'running') {
    if (ctx.serverState === 'crashed' && status) {
      const next = toEpochMs(status.next_restart_at ?? null);
      if (next !== null) return next > now ? `Restarting in ${formatDuration((next - now) / 1000)}` : 'Restarting…';
    }
    return null;
  }
  const base = status.main_server_uptime_seconds;
  if (typeof base !== 'number' || status.main_server_status !== 'running') return null;
  const elapsed = ctx.statusAt === null ? 0 : Math.max(0, (now - ctx.statusAt) / 1000);
  return formatUptime(base + elapsed);
}
