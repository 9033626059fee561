import type { InspectionEvent } from 'xstate';
import { jsonSafe } from './json-safe.js';

/** The `started` marker: a supervisor run began here (docs/api.md, Inspection). */
export interface StartedRecord {
  kind: 'started';
  pid: number;
  version: string;
  at: number;
}

/** One record of the inspection stream (docs/api.md, Inspection): a snapshot, an event an actor took, or a run marker. */
export type InspectionRecord =
  | { kind: 'snapshot'; actor: string; value: unknown; status: string; context: unknown; at: number }
  | { kind: 'event'; actor: string; type: string; event: unknown; source: string | null; at: number }
  | StartedRecord;

type SnapshotRecord = Extract<InspectionRecord, { kind: 'snapshot' }>;
type RawSnapshot = { value?: unknown; status?: string; context?: unknown };
type Listener = (record: InspectionRecord) => void;

/** Where the records that changed something are kept for a later subscriber (the replay of the recent past). */
export interface InspectionMemory {
  add(record: InspectionRecord): void;
}

interface ActorLike {
  systemId?: string;
  id?: string;
}

// A state value is a string or a small object of strings (nested states); XState may build it anew for the same state.
const sameValue = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

// Events an actor gets from its children about their snapshots: every snapshot record would be doubled.
const isChildSnapshotNotice = (type: string): boolean => type.startsWith('xstate.snapshot.');

/**
 * Turns XState inspection events of the named system actors into JSON-safe, redacted records. An event is recorded
 * when the actor has processed it, with the snapshot it led to, and only when it changed the state value, the status
 * or the context: a no-op (a `health.ok` while running) is neither streamed nor remembered.
 */
export class InspectionHub {
  private readonly latest = new Map<string, { record: SnapshotRecord; key: string; from: RawSnapshot }>();
  private readonly listeners = new Set<Listener>();
  // Who sent each event in flight (XState reports the sender when relaying it, the outcome later, with the same object).
  private readonly senders = new WeakMap<object, string | null>();

  constructor(
    private readonly actors: readonly string[],
    /** Applied to every context and event payload before it leaves the process (secrets → "[REDACTED]"). */
    private readonly redact: (value: unknown) => unknown,
    private readonly now: () => number = Date.now,
    private readonly memory: InspectionMemory | null = null,
  ) {}

  /** The `inspect` option of createActor. */
  readonly observe = (event: InspectionEvent): void => {
    const actor = this.nameOf(event.actorRef as ActorLike);
    if (!actor) return;
    if (event.type === '@xstate.event') {
      if (!isChildSnapshotNotice(event.event.type)) {
        this.senders.set(event.event, event.sourceRef ? this.nameOf(event.sourceRef as ActorLike) : null);
      }
    } else if (event.type === '@xstate.snapshot') {
      this.snapshotTaken(actor, event.snapshot as { value?: unknown; status?: string; context?: unknown }, event.event);
    }
  };

  /** Records where a supervisor run begins (before its actors start), so a replay shows supervisor restarts. */
  runStarted(pid: number, version: string): void {
    this.publish({ kind: 'started', pid, version, at: this.now() });
  }

  /** The latest snapshot record of every named actor (what a new subscriber is sent after the replay). */
  snapshots(): InspectionRecord[] {
    return this.actors.flatMap((name) => {
      const entry = this.latest.get(name);
      return entry ? [entry.record] : [];
    });
  }

  /** Calls `listener` for every record from now on; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Number of current subscribers (for leak checks). */
  get size(): number {
    return this.listeners.size;
  }

  private snapshotTaken(actor: string, snapshot: RawSnapshot, cause: { type: string }): void {
    // An event that changed nothing leaves the same context object (a models cache hit on every request): known to be
    // a no-op without copying, redacting and serializing the whole context again.
    const from = this.latest.get(actor)?.from;
    if (from && from.context === snapshot.context && from.status === snapshot.status && sameValue(from.value, snapshot.value)) return;
    const at = this.now();
    const value = jsonSafe(snapshot.value) ?? null;
    const status = snapshot.status ?? 'active';
    const context = this.redact(jsonSafe(snapshot.context) ?? null);
    const key = JSON.stringify([value, status, context]);
    const before = this.latest.get(actor);
    if (before?.key === key) {
      this.latest.set(actor, { ...before, from: snapshot });
      return;
    }
    const record: SnapshotRecord = { kind: 'snapshot', actor, value, status, context, at };
    this.latest.set(actor, { record, key, from: snapshot });
    if (!isChildSnapshotNotice(cause.type)) {
      this.publish({
        kind: 'event',
        actor,
        type: cause.type,
        event: this.redact(jsonSafe(cause) ?? null),
        source: this.senders.get(cause) ?? null,
        at,
      });
    }
    this.publish(record);
  }

  private nameOf(ref: ActorLike): string | null {
    const name = ref.systemId;
    return name && this.actors.includes(name) ? name : null;
  }

  private publish(record: InspectionRecord): void {
    this.memory?.add(record);
    for (const listener of this.listeners) listener(record);
  }
}
