import { rmSync } from 'node:fs';
import type { InspectionEvent } from 'xstate';
import { labelOf } from '../support/machine-coverage.js';
import { census } from '../support/process-census.js';

/** One event an actor handled: what it was, the transitions it took, where it led; plus what `extra` adds. */
export type TraceEntry<C, X extends object = object> = {
  event: { type: string } & Record<string, unknown>;
  labels: string[];
  value: unknown;
  context: C;
} & X;

/** Records every event the actor with `systemId` handles, from the actor system's inspection (pass `observe`). */
export class ActorTrace<C, X extends object = object> {
  initial: TraceEntry<C, X> | null = null;
  readonly entries: TraceEntry<C, X>[] = [];
  private pending: string[] = [];

  constructor(
    private readonly systemId: string,
    private readonly extra: () => X,
  ) {}

  readonly observe = (event: InspectionEvent): void => {
    const actor = event.actorRef as { systemId?: string; logic?: unknown };
    if (actor.systemId !== this.systemId) return;
    if (event.type === '@xstate.microstep') {
      const transitions = (event as unknown as { _transitions: Parameters<typeof labelOf>[1][] })._transitions;
      this.pending.push(...transitions.map((t) => labelOf(actor.logic as Parameters<typeof labelOf>[0], t)));
    } else if (event.type === '@xstate.snapshot') {
      const snapshot = event.snapshot as unknown as { value: unknown; context: C };
      const handled = event.event as TraceEntry<C>['event'];
      const entry = { event: handled, labels: this.pending, value: snapshot.value, context: snapshot.context, ...this.extra() };
      this.pending = [];
      if (handled.type === 'xstate.init') this.initial = entry;
      else this.entries.push(entry);
    }
  };
}

/** After a path: SIGKILLs whatever still carries `marker`, removes `dir`, and fails if anything was left (unless the path already failed). */
export function sweepLeftovers(marker: string, dir: string, failed: boolean): void {
  const left = census(marker);
  for (const { pid } of left) process.kill(pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  if (left.length > 0 && !failed) throw new Error(`left behind after the supervisor stopped: ${JSON.stringify(left)}`);
}

/** One replay of a path against a daemon: started, stepped through, finished, and always cleaned up. */
export interface PathRun {
  boot(): Promise<void>;
  step(i: number): Promise<void>;
  finish(): Promise<void>;
  cleanup(failed: boolean): Promise<void>;
  /** Appended to a failure's message (e.g. the server's last log lines). */
  explain?(): string;
}

/** Drives `run` through `steps` steps; rejects with the first difference, after cleaning up. */
export async function drivePath(run: PathRun, steps: number): Promise<void> {
  let failed = true;
  try {
    await run.boot();
    for (let i = 0; i < steps; i += 1) await run.step(i);
    await run.finish();
    failed = false;
  } catch (error) {
    if (!run.explain) throw error;
    throw new Error(`${(error as Error).message}\n${run.explain()}`, { cause: error });
  } finally {
    await run.cleanup(failed);
  }
}
