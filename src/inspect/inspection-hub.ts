import type { InspectionEvent } from 'xstate';
import { jsonSafe } from './json-safe.js';

/** One record of the inspection stream (docs/api.md, Inspection): a snapshot of an actor, or an event it received. */
export type InspectionRecord =
  | { kind: 'snapshot'; actor: string; value: unknown; status: string; context: unknown; at: number }
  | { kind: 'event'; actor: string; type: string; event: unknown; source: string | null; at: number };

type Listener = (record: InspectionRecord) => void;

interface ActorLike {
  systemId?: string;
  id?: string;
}

/** Turns XState inspection events of the named system actors into JSON-safe, redacted records for subscribers. */
export class InspectionHub {
  private readonly latest = new Map<string, Extract<InspectionRecord, { kind: 'snapshot' }>>();
  // What each latest record was made from: an event that changes nothing (a cache hit) leaves the same context object,
  // and its record is reused instead of copying and redacting the whole context again on every request.
  private readonly madeFrom = new Map<string, { context: unknown; value: unknown; status: unknown }>();
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly actors: readonly string[],
    /** Applied to every context and event payload before it leaves the process (secrets → "[REDACTED]"). */
    private readonly redact: (value: unknown) => unknown,
    private readonly now: () => number = Date.now,
  ) {}

  /** The `inspect` option of createActor. */
  readonly observe = (event: InspectionEvent): void => {
    const actor = this.nameOf(event.actorRef as ActorLike);
    if (!actor) return;
    if (event.type === '@xstate.snapshot') {
      const snapshot = event.snapshot as { value?: unknown; status?: string; context?: unknown };
      const previous = this.latest.get(actor);
      const source = this.madeFrom.get(actor);
      const unchanged =
        previous !== undefined &&
        source !== undefined &&
        source.context === snapshot.context &&
        source.status === snapshot.status &&
        (source.value === snapshot.value || JSON.stringify(source.value) === JSON.stringify(snapshot.value));
      const record = unchanged
        ? { ...previous, at: this.now() }
        : {
            kind: 'snapshot' as const,
            actor,
            value: jsonSafe(snapshot.value) ?? null,
            status: snapshot.status ?? 'active',
            context: this.redact(jsonSafe(snapshot.context) ?? null),
            at: this.now(),
          };
      this.madeFrom.set(actor, { context: snapshot.context, value: snapshot.value, status: snapshot.status });
      this.latest.set(actor, record);
      this.emit(record);
    } else if (event.type === '@xstate.event') {
      // Snapshot notices from children would double every snapshot record: leave them out. Events are not kept,
      // so with no inspector connected (most of the time) there is nothing to copy and redact them for.
      if (event.event.type.startsWith('xstate.snapshot.') || this.listeners.size === 0) return;
      this.emit({
        kind: 'event',
        actor,
        type: event.event.type,
        event: this.redact(jsonSafe(event.event) ?? null),
        source: event.sourceRef ? this.nameOf(event.sourceRef as ActorLike) : null,
        at: this.now(),
      });
    }
  };

  /** The latest snapshot record of every named actor (what a new subscriber is sent first). */
  snapshots(): InspectionRecord[] {
    return this.actors.flatMap((name) => {
      const record = this.latest.get(name);
      return record ? [record] : [];
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

  private nameOf(ref: ActorLike): string | null {
    const name = ref.systemId;
    return name && this.actors.includes(name) ? name : null;
  }

  private emit(record: InspectionRecord): void {
    for (const listener of this.listeners) listener(record);
  }
}
