// Client state of the Inspector page: one @xstate/store store with pure transitions.
import { createStore } from '@xstate/store';
import type { InspectionEvent, InspectionSnapshot, StateValue } from './inspection.js';

/** An actor as last seen on the inspection stream. */
export interface ActorView {
  value: StateValue;
  status: string;
  context: Record<string, unknown>;
  at: number;
  /** The value before the latest change, and the event that arrived last: to light up the arrow taken. */
  previous: StateValue | null;
  lastEventType: string | null;
  /** Counts value changes, so a view can tell a new transition from a repeated snapshot. */
  changes: number;
}

export interface TimelineEntry {
  seq: number;
  kind: 'event' | 'snapshot';
  actor: string;
  /** The event type, or the state entered for a snapshot. */
  title: string;
  payload: Record<string, unknown>;
  at: number;
}

export interface InspectorContext {
  connection: 'connecting' | 'live' | 'unreachable';
  machines: Record<string, unknown> | null;
  machinesError: string | null;
  actors: Record<string, ActorView>;
  timeline: TimelineEntry[];
  seq: number;
  /** Actor whose entries the timeline shows; null = all. */
  filter: string | null;
}

/** The timeline keeps this many entries, newest first. */
export const maxTimelineEntries = 500;

export const initialInspectorContext: InspectorContext = {
  connection: 'connecting',
  machines: null,
  machinesError: null,
  actors: {},
  timeline: [],
  seq: 0,
  filter: null,
};

function sameValue(a: StateValue | null, b: StateValue | null): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function addEntry(ctx: InspectorContext, entry: Omit<TimelineEntry, 'seq'>): InspectorContext {
  const seq = ctx.seq + 1;
  return { ...ctx, seq, timeline: [{ ...entry, seq }, ...ctx.timeline].slice(0, maxTimelineEntries) };
}

/** State value as a timeline title: "→ running", "→ crashed.backoff". */
export function enteredTitle(value: StateValue): string {
  const flat = (v: StateValue): string =>
    typeof v === 'string'
      ? v
      : Object.entries(v)
          .map(([k, c]) => `${k}.${flat(c)}`)
          .join(', ');
  return `→ ${flat(value)}`;
}

/** The page's transitions, pure: (context, event) → context. */
export const inspectorTransitions = {
  inspectionOpened: (ctx: InspectorContext): InspectorContext => ({ ...ctx, connection: 'live' }),
  inspectionLost: (ctx: InspectorContext): InspectorContext => ({ ...ctx, connection: 'unreachable' }),
  machinesLoaded: (ctx: InspectorContext, event: { machines: Record<string, unknown> }): InspectorContext => ({
    ...ctx,
    machines: event.machines,
    machinesError: null,
  }),
  machinesFailed: (ctx: InspectorContext, event: { message: string }): InspectorContext => ({
    ...ctx,
    machinesError: event.message,
  }),

  snapshotReceived: (ctx: InspectorContext, event: { snapshot: InspectionSnapshot }): InspectorContext => {
    const s = event.snapshot;
    const before = ctx.actors[s.actor];
    const changed = !before || !sameValue(before.value, s.value) || before.status !== s.status;
    const actor: ActorView = {
      value: s.value,
      status: s.status,
      context: s.context,
      at: s.at,
      previous: before && changed ? before.value : (before?.previous ?? null),
      lastEventType: before?.lastEventType ?? null,
      changes: (before?.changes ?? 0) + (changed ? 1 : 0),
    };
    const next = { ...ctx, actors: { ...ctx.actors, [s.actor]: actor } };
    // Snapshots that only touch context are not news on the timeline.
    return changed
      ? addEntry(next, { kind: 'snapshot', actor: s.actor, title: enteredTitle(s.value), payload: s.context, at: s.at })
      : next;
  },

  eventReceived: (ctx: InspectorContext, event: { event: InspectionEvent }): InspectorContext => {
    const e = event.event;
    const before = ctx.actors[e.actor];
    const actors = before ? { ...ctx.actors, [e.actor]: { ...before, lastEventType: e.type } } : ctx.actors;
    return addEntry({ ...ctx, actors }, { kind: 'event', actor: e.actor, title: e.type, payload: e.event, at: e.at });
  },

  filterChanged: (ctx: InspectorContext, event: { actor: string | null }): InspectorContext => ({
    ...ctx,
    filter: event.actor,
  }),
  timelineCleared: (ctx: InspectorContext): InspectorContext => ({ ...ctx, timeline: [] }),
};

/** The timeline entries the filter lets through. */
export function visibleTimeline(ctx: InspectorContext): TimelineEntry[] {
  return ctx.filter === null ? ctx.timeline : ctx.timeline.filter((e) => e.actor === ctx.filter);
}

/** Actor names in display order: the server first, then the supervisor, models and config, then the rest. */
export function actorOrder(names: Iterable<string>): string[] {
  const preferred = ['server', 'supervisor', 'models', 'config'];
  const rank = (n: string): number => (preferred.includes(n) ? preferred.indexOf(n) : preferred.length);
  return [...new Set(names)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** A fresh store for the Inspector page. */
export function createInspectorStore(context: Partial<InspectorContext> = {}) {
  return createStore({ context: { ...initialInspectorContext, ...context }, on: inspectorTransitions });
}

export type InspectorStore = ReturnType<typeof createInspectorStore>;
