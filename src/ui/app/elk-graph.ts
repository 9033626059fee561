// A parsed machine as an ELK graph (layered, hierarchical), and ELK's answer read back as boxes, arrows and labels.
// Pure: text widths come from an injected `measure`, so tests need no DOM; elk-layout.ts runs ELK itself.
//
//   - every state is a node inside its parent's node, the machine itself the outermost one (compound states are
//     nested boxes whose header holds the name);
//   - a transition with a target is an edge, one per (source, target) pair, its events on one label of several lines,
//     defined in the lowest node that contains both ends (ELK's rule) and placed by the layout;
//   - a transition without a target (actions only) is listed inside its state's box, under the name;
//   - each initial state gets an arrow from a dot in its parent, as a node and an edge like the others.
import type { ElkExtendedEdge, ElkLabel, ElkNode, LayoutOptions } from 'elkjs/lib/elk-api.js';
import type { ParsedMachine, ParsedState, ParsedTransition } from './machine-graph.js';

/** Text widths in px for the text styles of the drawing. */
export type Measure = (text: string, style: TextStyle) => number;
export type TextStyle = 'state' | 'label' | 'line';

/** Sizes of the drawing, in px at 100%: the page's CSS uses the same fonts (styles.css, .machine-svg). */
export const graphMetrics = {
  stateFont: 15,
  labelFont: 12.5,
  lineFont: 12,
  stateLine: 20,
  labelLine: 17,
  line: 16,
  padX: 14,
  padTop: 9,
  padBottom: 10,
  minStateWidth: 96,
  labelPadX: 6,
  labelPadY: 3,
  initialDot: 10,
} as const;

const m = graphMetrics;

/**
 * Layout options of the graph and of every compound box (ELK reads most of them per parent). Top to bottom: the
 * page is narrower than it is long, so a tall diagram needs less zooming out than a wide one. Depth-first cycle
 * breaking keeps the document order (stopped → starting → running …) top-down; linear segments keep it narrow.
 */
export const containerLayoutOptions: LayoutOptions = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.layered.cycleBreaking.strategy': 'DEPTH_FIRST',
  'elk.layered.nodePlacement.strategy': 'LINEAR_SEGMENTS',
  'elk.layered.spacing.nodeNodeBetweenLayers': '36',
  'elk.layered.spacing.edgeNodeBetweenLayers': '18',
  'elk.spacing.nodeNode': '34',
  'elk.spacing.edgeNode': '16',
  'elk.spacing.edgeEdge': '12',
  'elk.spacing.edgeLabel': '4',
  'elk.spacing.labelLabel': '6',
  'elk.edgeLabels.placement': 'CENTER',
};

/** Options of the whole graph: one layout across every level, coordinates relative to the root. */
export const rootLayoutOptions: LayoutOptions = {
  ...containerLayoutOptions,
  'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
  'elk.padding': '[top=12,left=12,bottom=12,right=12]',
  // Coordinates of every node, edge and label relative to the root: no sums over containers when drawing.
  'elk.json.shapeCoords': 'ROOT',
  'elk.json.edgeCoords': 'ROOT',
};

/** Node ids: `state:<path>` (the machine is `state:`), `initial:<parent path>`. */
export const stateId = (path: string): string => `state:${path}`;
export const initialId = (parentPath: string): string => `initial:${parentPath}`;

/** One arrow: the transitions from `source` to `target` (or into it), their labels listed one per line. */
export interface EdgeGroup {
  id: string;
  source: string;
  /** The state the arrow ends at: the target itself, or the compound state holding it (see arrowEnd). */
  target: string;
  /** The states the transitions of this arrow enter. */
  targets: string[];
  eventTypes: string[];
  labels: string[];
}

/** The ELK graph of a machine, and what the drawing needs to map ELK's answer back to states and transitions. */
export interface MachineGraph {
  elk: ElkNode;
  machine: ParsedMachine;
  edges: EdgeGroup[];
  /** Lines listed inside each state's box: its targetless transitions and its invoked actors. */
  lines: Map<string, string[]>;
}

/**
 * Where an arrow to `target` from `source` ends: at the outermost box that holds the target and not the source. An
 * arrow into a compound state from outside ends at its border, and its label names the inner state ("→ backoff"):
 * three crash outcomes from three states make three arrows instead of nine.
 */
export function arrowEnd(source: string, target: string): string {
  const container = containerOf(source, target);
  if (source === target || container === target) return target;
  const rest = container === '' ? target : target.slice(container.length + 1);
  const first = rest.split('.')[0] ?? rest;
  return container === '' ? first : `${container}.${first}`;
}

/** The arrows of a machine: one per (source, drawn target) pair, in document order. */
export function edgeGroups(transitions: readonly ParsedTransition[]): EdgeGroup[] {
  const groups = new Map<string, EdgeGroup>();
  for (const t of transitions) {
    for (const target of t.targets) {
      const end = arrowEnd(t.source, target);
      const id = `edge:${t.source}->${end}`;
      const group = groups.get(id) ?? { id, source: t.source, target: end, targets: [], eventTypes: [], labels: [] };
      const label = end === target ? t.label : `${t.label} → ${target.slice(end.length + 1)}`;
      if (!group.labels.includes(label)) group.labels.push(label);
      if (!group.eventTypes.includes(t.eventType)) group.eventTypes.push(t.eventType);
      if (!group.targets.includes(target)) group.targets.push(target);
      groups.set(id, group);
    }
  }
  return [...groups.values()];
}

/** What a state's box lists under its name: "⟳ invoked actor", then "event → (stays)" for each targetless transition. */
export function stateLines(state: ParsedState, transitions: readonly ParsedTransition[]): string[] {
  const invoked = state.invokes.map((src) => `⟳ ${src}`);
  const internal = transitions.filter((t) => t.source === state.path && t.targets.length === 0).map((t) => t.label);
  return [...invoked, ...[...new Set(internal)].map((label) => `${label} ↺`)];
}

/** The lowest state whose box contains both ends: a parent of both, or the outer end itself when one contains the other. */
export function containerOf(source: string, target: string): string {
  const within = (outer: string, inner: string): boolean => outer === '' || inner === outer || inner.startsWith(`${outer}.`);
  if (source === target) return parentPath(source);
  if (within(source, target)) return source;
  let path = parentPath(source);
  while (!within(path, target)) path = parentPath(path);
  return path;
}

function parentPath(path: string): string {
  return path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '';
}

function textLabel(id: string, text: string, width: number, height: number): ElkLabel {
  return { id, text, width: Math.ceil(width), height: Math.ceil(height) };
}

/** The header of a box: its name and lines, as ELK sizes it (width, height). */
export function headerSize(state: ParsedState, lines: readonly string[], measure: Measure): { width: number; height: number } {
  const width = Math.max(measure(state.key, 'state'), ...lines.map((l) => measure(l, 'line'))) + 2 * m.padX;
  return { width: Math.ceil(width), height: m.padTop + m.stateLine + lines.length * m.line + m.padBottom };
}

/** Builds the ELK graph of a parsed machine; ELK sizes compound boxes, we size atomic ones and every label. */
export function toElkGraph(machine: ParsedMachine, measure: Measure, options: LayoutOptions = {}): MachineGraph {
  const edges = edgeGroups(machine.transitions);
  const lines = new Map<string, string[]>();
  const nodes = new Map<string, ElkNode>();

  const build = (state: ParsedState): ElkNode => {
    const own = stateLines(state, machine.transitions);
    lines.set(state.path, own);
    const header = headerSize(state, own, measure);
    const node: ElkNode = { id: stateId(state.path) };
    nodes.set(state.path, node);
    if (state.children.length === 0) {
      node.width = Math.max(m.minStateWidth, header.width);
      node.height = header.height;
      return node;
    }
    node.layoutOptions = {
      ...containerLayoutOptions,
      ...options,
      // Room at the top for the header; ELK grows the box around its children, but never below the header's width.
      'elk.padding': `[top=${header.height + 8},left=16,bottom=16,right=16]`,
      'elk.nodeSize.constraints': 'MINIMUM_SIZE',
      'elk.nodeSize.minimum': `(${Math.max(m.minStateWidth, header.width)},${header.height + 24})`,
    };
    node.children = state.children.map(build);
    node.edges = [];
    if (state.type !== 'parallel' && state.initial) {
      // The dot and arrow that mark the initial child.
      node.children.unshift({ id: initialId(state.path), width: m.initialDot, height: m.initialDot });
      node.edges.push({ id: `edge:initial:${state.path}`, sources: [initialId(state.path)], targets: [stateId(state.initial)] });
    }
    return node;
  };
  const root = build(machine.root);

  for (const edge of edges) {
    const container = nodes.get(containerOf(edge.source, edge.target)) ?? root;
    const label = edge.labels.join('\n');
    const width = Math.max(...edge.labels.map((l) => measure(l, 'label'))) + 2 * m.labelPadX;
    const height = edge.labels.length * m.labelLine + 2 * m.labelPadY;
    const elkEdge: ElkExtendedEdge = {
      id: edge.id,
      sources: [stateId(edge.source)],
      targets: [stateId(edge.target)],
      labels: [textLabel(`label:${edge.id}`, label, width, height)],
    };
    (container.edges ??= []).push(elkEdge);
  }

  return {
    elk: { id: 'root', layoutOptions: { ...rootLayoutOptions, ...options }, children: [root], edges: [] },
    machine,
    edges,
    lines,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// ELK's answer, read back

export interface Point {
  x: number;
  y: number;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A state's box as laid out. */
export interface StateBox extends Box {
  path: string;
  state: ParsedState;
  /** Listed under the name: invoked actors and targetless transitions. */
  lines: string[];
}

/** An arrow as laid out: the points it runs through (start to end) and its label's box. */
export interface EdgeLayout {
  group: EdgeGroup;
  points: Point[];
  label: Box | null;
}

export interface InitialLayout {
  parent: string;
  target: string;
  dot: Box;
  points: Point[];
}

/** A laid-out machine, in px at 100%, every coordinate relative to its top-left corner. */
export interface MachineLayout {
  width: number;
  height: number;
  boxes: StateBox[];
  edges: EdgeLayout[];
  initials: InitialLayout[];
}

function pointsOf(edge: ElkExtendedEdge): Point[] {
  return (edge.sections ?? []).flatMap((section, i) => [
    ...(i === 0 ? [section.startPoint] : []),
    ...(section.bendPoints ?? []),
    section.endPoint,
  ]);
}

/** Reads ELK's answer for `graph` (laid out with root coordinates) into boxes, arrows and labels. */
export function readLayout(graph: MachineGraph, laidOut: ElkNode): MachineLayout {
  const boxes: StateBox[] = [];
  const initials: InitialLayout[] = [];
  const elkEdges = new Map<string, ElkExtendedEdge>();
  const dots = new Map<string, Box>();
  const box = (n: ElkNode): Box => ({ x: n.x ?? 0, y: n.y ?? 0, width: n.width ?? 0, height: n.height ?? 0 });
  const visit = (node: ElkNode): void => {
    for (const edge of node.edges ?? []) elkEdges.set(edge.id, edge);
    for (const child of node.children ?? []) {
      if (child.id.startsWith('initial:')) dots.set(child.id.slice('initial:'.length), box(child));
      else {
        const path = child.id.slice('state:'.length);
        const state = graph.machine.states.get(path);
        if (state) boxes.push({ ...box(child), path, state, lines: graph.lines.get(path) ?? [] });
      }
      visit(child);
    }
  };
  visit(laidOut);
  for (const state of graph.machine.states.values()) {
    const dot = dots.get(state.path);
    const edge = elkEdges.get(`edge:initial:${state.path}`);
    if (dot && edge && state.initial) initials.push({ parent: state.path, target: state.initial, dot, points: pointsOf(edge) });
  }
  const edges = graph.edges.map((group) => {
    const edge = elkEdges.get(group.id);
    const label = edge?.labels?.[0];
    return { group, points: edge ? pointsOf(edge) : [], label: label ? box(label as ElkNode) : null };
  });
  return { width: laidOut.width ?? 0, height: laidOut.height ?? 0, boxes, edges, initials };
}

/** The arrows an event just took: labelled with it, leaving a state that was active, entering one now active. */
export function takenEdges(
  edges: readonly EdgeGroup[],
  previousPaths: readonly string[],
  nextPaths: readonly string[],
  eventType: string | null,
): EdgeGroup[] {
  if (eventType === null) return [];
  return edges.filter(
    (e) => e.eventTypes.includes(eventType) && previousPaths.includes(e.source) && e.targets.some((t) => nextPaths.includes(t)),
  );
}
