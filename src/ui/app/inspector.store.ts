// Client state of the Inspector page: one @xstate/store store with pure transitions.
import { createStore } from '@xstate/store';
import type { StateValue } from './inspection.js';
import type { EventRecord as InspectionEvent, SnapshotRecord as InspectionSnapshot, StartedRecord as InspectionStarted } from './inspector-records.js';

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
  /** `started`: a supervisor run began here. */
  kind: 'event' | 'snapshot' | 'started';
  /** The actor; null for a `started` marker. */
  actor: string | null;
  /** The event type, the state entered for a snapshot, or "Supervisor started". */
  title: string;
  payload: Record<string, unknown>;
  at: number;
  /** Part of the recent past the supervisor sent on connect. */
  replayed: boolean;
  /** A crash, a failed start, a rollback, a lastError set: shown as an error. */
  error: boolean;
  /** For a snapshot: the state value it entered (what time travel shows). */
  value: StateValue | null;
}

export interface InspectorContext {
  connection: 'connecting' | 'live' | 'unreachable';
  machines: Record<string, unknown> | null;
  machinesError: string | null;
  actors: Record<string, ActorView>;
  /** Newest first. */
  timeline: TimelineEntry[];
  seq: number;
  /** Actor whose entries the timeline shows; null = all. */
  filter: string | null;
  /** The entry whose moment the diagrams show (time travel); null = live. */
  selected: number | null;
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
  selected: null,
};

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function addEntry(ctx: InspectorContext, entry: Omit<TimelineEntry, 'seq'>): InspectorContext {
  const seq = ctx.seq + 1;
  const timeline = [{ ...entry, seq }, ...ctx.timeline].slice(0, maxTimelineEntries);
  // A moment that fell off the timeline cannot be shown any more: back to live.
  const selected = ctx.selected !== null && timeline.some((e) => e.seq === ctx.selected) ? ctx.selected : null;
  return { ...ctx, seq, timeline, selected };
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

// States that are failures whatever the machine: a crash, a rollback, an error.
const errorStates = new Set(['crashed', 'rollingBack', 'error', 'failed']);

function stateKeys(value: StateValue): string[] {
  return typeof value === 'string' ? [value] : Object.entries(value).flatMap(([k, c]) => [k, ...stateKeys(c)]);
}

/** Whether a snapshot set a lastError other than the one before. */
export function setsNewError(snapshot: InspectionSnapshot, before: ActorView | undefined): boolean {
  const error = snapshot.context['lastError'] ?? null;
  return error !== null && !sameValue(error, before?.context['lastError'] ?? null);
}

/** Whether a snapshot is news of a failure: it is in a crash, rollback or error state, or set a new lastError. */
export function isErrorSnapshot(snapshot: InspectionSnapshot, before: ActorView | undefined): boolean {
  return stateKeys(snapshot.value).some((k) => errorStates.has(k)) || setsNewError(snapshot, before);
}

/** Whether an event reports a failure: a failed spawn or probe, an actor's error, a process killed or exiting non-zero. */
export function isErrorEvent(event: InspectionEvent): boolean {
  if (/fail|error|timeout/i.test(event.type)) return true;
  if (event.type !== 'process.exited') return false;
  const { code, signal } = event.event as { code?: unknown; signal?: unknown };
  return signal === 'SIGKILL' || (typeof code === 'number' && code !== 0);
}

/** The page's transitions, pure: (context, event) → context. */
export const inspectorTransitions = {
  inspectionOpened: (ctx: InspectorContext): InspectorContext => ({ ...ctx, connection: 'live' }),
  inspectionLost: (ctx: InspectorContext): InspectorContext => ({ ...ctx, connection: 'unreachable' }),
  /** A new connection is about to replay the recent past: what the old one told is dropped, not doubled. */
  streamReset: (ctx: InspectorContext): InspectorContext => ({ ...ctx, actors: {}, timeline: [], selected: null }),
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
    const error = isErrorSnapshot(s, before);
    // A snapshot that only touches context is news on the timeline when it reports a new error.
    return changed || setsNewError(s, before)
      ? addEntry(next, {
          kind: 'snapshot',
          actor: s.actor,
          title: enteredTitle(s.value),
          payload: s.context,
          at: s.at,
          replayed: s.replayed,
          error,
          value: s.value,
        })
      : next;
  },

  eventReceived: (ctx: InspectorContext, event: { event: InspectionEvent }): InspectorContext => {
    const e = event.event;
    const before = ctx.actors[e.actor];
    const actors = before ? { ...ctx.actors, [e.actor]: { ...before, lastEventType: e.type } } : ctx.actors;
    return addEntry(
      { ...ctx, actors },
      { kind: 'event', actor: e.actor, title: e.type, payload: e.event, at: e.at, replayed: e.replayed, error: isErrorEvent(e), value: null },
    );
  },

  startedReceived: (ctx: InspectorContext, event: { started: InspectionStarted }): InspectorContext => {
    const s = event.started;
    return addEntry(ctx, {
      kind: 'started',
      actor: null,
      title: 'Supervisor started',
      payload: { pid: s.pid, version: s.version },
      at: s.at,
      replayed: s.replayed,
      error: false,
      value: null,
    });
  },

  entrySelected: (ctx: InspectorContext, event: { seq: number }): InspectorContext =>
    ctx.timeline.some((e) => e.seq === event.seq) ? { ...ctx, selected: event.seq } : ctx,
  liveSelected: (ctx: InspectorContext): InspectorContext => ({ ...ctx, selected: null }),
  filterChanged: (ctx: InspectorContext, event: { actor: string | null }): InspectorContext => ({
    ...ctx,
    filter: event.actor,
  }),
  timelineCleared: (ctx: InspectorContext): InspectorContext => ({ ...ctx, timeline: [], selected: null }),
};

/** The timeline entries the filter lets through (`started` markers always). */
export function visibleTimeline(ctx: InspectorContext): TimelineEntry[] {
  return ctx.filter === null ? ctx.timeline : ctx.timeline.filter((e) => e.actor === ctx.filter || e.actor === null);
}

/** An actor at a moment of the past: its value then, the value before it and the event between them. */
export interface ActorMoment {
  value: StateValue;
  previous: StateValue | null;
  eventType: string | null;
}

/**
 * Every actor as it was right after the entry `seq` (after the snapshot an event led to), from the timeline alone;
 * an actor with no snapshot on the timeline by then is missing.
 */
export function momentAfter(ctx: InspectorContext, seq: number): Record<string, ActorMoment> {
  const oldestFirst = [...ctx.timeline].reverse();
  const index = oldestFirst.findIndex((e) => e.seq === seq);
  if (index < 0) return {};
  let end = index;
  const selected = oldestFirst[index];
  if (selected?.kind === 'event') {
    const outcome = oldestFirst.findIndex((e, i) => i > index && e.kind === 'snapshot' && e.actor === selected.actor);
    if (outcome >= 0) end = outcome;
  }
  const moments: Record<string, ActorMoment> = {};
  const pendingEvent = new Map<string, string>();
  for (const entry of oldestFirst.slice(0, end + 1)) {
    if (entry.actor === null) continue;
    if (entry.kind === 'event') pendingEvent.set(entry.actor, entry.title);
    else if (entry.kind === 'snapshot' && entry.value !== null) {
      const before = moments[entry.actor];
      moments[entry.actor] = { value: entry.value, previous: before?.value ?? null, eventType: pendingEvent.get(entry.actor) ?? null };
      pendingEvent.delete(entry.actor);
    }
  }
  return moments;
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
