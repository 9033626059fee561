import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate';
import { getStateNodes } from 'xstate/graph';

/** One transition of a statechart, as a reader would name it: `starting: process.exited [restartAllowed] → crashed.backoff`. */
export function transitionLabel(machine: AnyStateMachine, transition: AnyTransitionDefinition): string {
  const path = (node: AnyStateNode) => (node === machine.root ? '(root)' : node.path.join('.'));
  const guard = transition.guard === undefined ? '' : ` [${typeof transition.guard === 'string' ? transition.guard : ((transition.guard as { type?: string }).type ?? 'inline guard')}]`;
  const targets = transition.target?.length ? transition.target.map(path).join(', ') : '(stays)';
  return `${path(transition.source)}: ${eventName(machine, transition)}${guard} → ${targets}${transition.reenter ? ' (re-entered)' : ''}`;
}

// Delayed and actor-done events under the names the machine file gives them: `after startTimeout`, `done(writeConfig)`.
function eventName(machine: AnyStateMachine, transition: AnyTransitionDefinition): string {
  const type = transition.eventType;
  if (type === '') return 'always';
  const after = /^xstate\.after\.([^.]+)\./.exec(type);
  if (after) return `after ${after[1]}`;
  const actor = /^xstate\.(done|error)\.actor\.(.+)$/.exec(type);
  if (actor) {
    const invoke = [machine.root, ...getStateNodes(machine.root)].flatMap((node) => node.invoke).find((i) => i.id === actor[2]);
    return `${actor[1]}(${typeof invoke?.src === 'string' ? invoke.src : (actor[2] as string)})`;
  }
  return type;
}

/** Every transition of a machine (guarded branches apart), each with its label. */
export function machineTransitions(machine: AnyStateMachine): Map<AnyTransitionDefinition, string> {
  const all = new Map<AnyTransitionDefinition, string>();
  for (const node of [machine.root, ...getStateNodes(machine.root)]) {
    for (const definitions of node.transitions.values()) for (const t of definitions) all.set(t, transitionLabel(machine, t));
    for (const t of node.always ?? []) all.set(t, transitionLabel(machine, t));
  }
  return all;
}

const labelCache = new WeakMap<AnyStateMachine, Map<AnyTransitionDefinition, string>>();

/**
 * The label of a transition taken by an actor of `machine` (or of a copy of it made by `.provide()`, whose transition
 * objects are its own but whose labels are the same).
 */
export function labelOf(machine: AnyStateMachine, transition: AnyTransitionDefinition): string {
  let labels = labelCache.get(machine);
  if (!labels) labelCache.set(machine, (labels = machineTransitions(machine)));
  const label = labels.get(transition);
  if (label === undefined) throw new Error(`a transition not in machine ${machine.id} was taken (${transition.eventType})`);
  return label;
}

/** Which states and transitions of a machine some run has taken, against all it has; `excluded` explains the rest. */
export class MachineCoverage {
  readonly stateIds: string[];
  private readonly labels: Set<string>;
  private readonly seenStates = new Set<string>();
  private readonly seenTransitions = new Set<string>();

  constructor(
    readonly name: string,
    private readonly machine: AnyStateMachine,
    /** Transitions (by label) that cannot be caused from outside the daemon, each with the reason. */
    readonly excluded: Readonly<Record<string, string>> = {},
  ) {
    this.stateIds = getStateNodes(machine.root).map((node) => node.id);
    this.labels = new Set(machineTransitions(machine).values());
    for (const label of Object.keys(excluded)) if (!this.labels.has(label)) throw new Error(`${name}: no transition is labelled ${JSON.stringify(label)}`);
  }

  /** Records one microstep: the labels of the transitions it took (labelOf) and the state it is in afterwards. */
  record(labels: readonly string[], value: unknown): void {
    for (const label of labels) {
      if (!this.labels.has(label)) throw new Error(`${this.name}: no transition is labelled ${JSON.stringify(label)}`);
      this.seenTransitions.add(label);
    }
    for (const id of activeStateIds(this.machine.id, value)) this.seenStates.add(id);
  }

  /** Labels of the transitions taken so far. */
  taken(): Set<string> {
    return new Set(this.seenTransitions);
  }

  /** Transitions neither taken nor excluded. */
  missing(): string[] {
    return [...this.labels].filter((label) => !this.seenTransitions.has(label) && !(label in this.excluded));
  }

  /** States never entered. */
  missingStates(): string[] {
    return this.stateIds.filter((id) => !this.seenStates.has(id));
  }

  /** The coverage line: `server lifecycle: states 10/10, transitions 44/46 (2 not causable from outside: …)`. */
  summary(): string {
    const total = this.labels.size;
    const states = `states ${this.stateIds.length - this.missingStates().length}/${this.stateIds.length}`;
    const excluded = Object.entries(this.excluded).filter(([label]) => !this.seenTransitions.has(label));
    const lines = [`${this.name}: ${states}, transitions ${this.seenTransitions.size}/${total}${excluded.length ? ` (${excluded.length} not causable from outside, below)` : ''}`];
    for (const [label, reason] of excluded) lines.push(`  not replayed: ${label} — ${reason}`);
    for (const label of this.missing()) lines.push(`  MISSING: ${label}`);
    for (const id of this.missingStates()) lines.push(`  MISSING state: ${id}`);
    return lines.join('\n');
  }
}

/** The ids of the state nodes a state value is in: `{stopping: 'terminating'}` → serverLifecycle.stopping, ….terminating. */
export function activeStateIds(machineId: string, value: unknown, prefix = machineId): string[] {
  if (typeof value === 'string') return [`${prefix}.${value}`];
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, inner]) => [`${prefix}.${key}`, ...activeStateIds(machineId, inner, `${prefix}.${key}`)]);
  }
  return [];
}
