// Reads an XState v5 `machine.toJSON()` into a state tree and its transitions, and lays it out as boxes and
// arrows: a simple layered layout (columns by breadth-first distance from the initial state), done per
// compound state and nested. Pure: text widths come from an injected `measure`, so tests need no DOM.

export type StateType = 'atomic' | 'compound' | 'parallel' | 'final' | 'history';

export interface ParsedState {
  /** Keys from the root joined by '.', '' for the root: "crashed.backoff". */
  path: string;
  key: string;
  id: string;
  type: StateType;
  description: string | null;
  /** Path of the initial child of a compound state. */
  initial: string | null;
  children: ParsedState[];
  /** Names of the actors this state invokes. */
  invokes: string[];
}

export interface ParsedTransition {
  source: string;
  /** Target paths; empty for a targetless transition (actions only). */
  targets: string[];
  eventType: string;
  /** What an arrow shows: "server.restart", "after 30s", "done: fetchModels", with " [guard]". */
  label: string;
}

export interface ParsedMachine {
  id: string;
  root: ParsedState;
  states: Map<string, ParsedState>;
  transitions: ParsedTransition[];
}

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const stateTypes: readonly StateType[] = ['atomic', 'compound', 'parallel', 'final', 'history'];

/** A delay for a label: 30000 → "30s", 1500 → "1.5s", 250 → "250ms", "restartBackoff" stays. */
export function formatDelay(delay: unknown): string {
  if (typeof delay === 'number' || (typeof delay === 'string' && /^\d+$/.test(delay))) {
    const ms = Number(delay);
    if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}min`;
    if (ms >= 1000) return `${+(ms / 1000).toFixed(2)}s`;
    return `${ms}ms`;
  }
  return String(delay);
}

/** The arrow text of an event type, given the machine's invoke ids → actor names. */
export function eventLabel(eventType: string, transition: Json, invokeSources: Map<string, string>): string {
  if (eventType === '') return 'always';
  if (eventType.startsWith('xstate.after.')) {
    const delay = transition['delay'] ?? eventType.slice('xstate.after.'.length).split('.')[0];
    return `after ${formatDelay(delay)}`;
  }
  for (const [prefix, word] of [
    ['xstate.done.actor.', 'done'],
    ['xstate.error.actor.', 'error'],
  ] as const) {
    if (eventType.startsWith(prefix)) {
      const id = eventType.slice(prefix.length);
      return `${word}: ${invokeSources.get(id) ?? id}`;
    }
  }
  if (eventType.startsWith('xstate.done.state.')) return 'done';
  return eventType;
}

function guardName(transition: Json): string | null {
  const guard = transition['guard'];
  if (typeof guard === 'string') return guard;
  if (isRecord(guard) && typeof guard['type'] === 'string') return guard['type'];
  return null;
}

/** Reads `machine.toJSON()`; tolerant of missing fields, throws only when there is no state tree at all. */
export function parseMachine(json: unknown): ParsedMachine {
  if (!isRecord(json)) throw new Error('machine definition is not an object');
  const states = new Map<string, ParsedState>();
  const idToPath = new Map<string, string>();
  const invokeSources = new Map<string, string>();
  const rawByPath = new Map<string, Json>();

  const visit = (raw: Json, key: string, path: string): ParsedState => {
    const children: ParsedState[] = [];
    const rawChildren = isRecord(raw['states']) ? raw['states'] : {};
    const invokes: string[] = [];
    for (const invoke of Array.isArray(raw['invoke']) ? raw['invoke'] : []) {
      if (!isRecord(invoke)) continue;
      const src = typeof invoke['src'] === 'string' ? invoke['src'] : typeof invoke['id'] === 'string' ? invoke['id'] : null;
      if (src === null) continue;
      invokes.push(src);
      if (typeof invoke['id'] === 'string') invokeSources.set(invoke['id'], src);
    }
    const type = stateTypes.find((t) => t === raw['type']) ?? (Object.keys(rawChildren).length ? 'compound' : 'atomic');
    const node: ParsedState = {
      path,
      key,
      id: typeof raw['id'] === 'string' ? raw['id'] : path,
      type,
      description: typeof raw['description'] === 'string' ? raw['description'] : null,
      initial: null,
      children,
      invokes,
    };
    states.set(path, node);
    rawByPath.set(path, raw);
    idToPath.set(node.id, path);
    // Children in document order (toJSON keeps `order`; object key order is the fallback).
    const entries = Object.entries(rawChildren).filter((entry): entry is [string, Json] => isRecord(entry[1]));
    entries.sort(([, a], [, b]) => (Number(a['order']) || 0) - (Number(b['order']) || 0));
    for (const [childKey, childRaw] of entries) {
      children.push(visit(childRaw, childKey, path === '' ? childKey : `${path}.${childKey}`));
    }
    return node;
  };

  const rootKey = typeof json['key'] === 'string' ? json['key'] : typeof json['id'] === 'string' ? json['id'] : 'machine';
  if (!isRecord(json['states'])) throw new Error('machine definition has no states');
  const root = visit(json, rootKey, '');

  // Resolves "#id" targets through the id map, and bare keys as siblings or children of the source.
  const resolve = (target: string, source: string): string | null => {
    if (target.startsWith('#')) return idToPath.get(target.slice(1)) ?? null;
    const parent = source.includes('.') ? source.slice(0, source.lastIndexOf('.')) : '';
    for (const base of [parent, source]) {
      const candidate = base === '' ? target.replace(/^\./, '') : `${base}.${target.replace(/^\./, '')}`;
      if (states.has(candidate)) return candidate;
    }
    return null;
  };

  const transitions: ParsedTransition[] = [];
  for (const [path, raw] of rawByPath) {
    const node = states.get(path);
    if (!node) continue;
    const initial = raw['initial'];
    if (isRecord(initial) && Array.isArray(initial['target'])) {
      const first = initial['target'].find((t): t is string => typeof t === 'string');
      node.initial = first ? resolve(first, path) : null;
    } else if (typeof initial === 'string') {
      node.initial = resolve(initial, `${path}.${initial}`) ?? null;
    }
    const list: unknown[] = Array.isArray(raw['transitions'])
      ? raw['transitions']
      : isRecord(raw['on'])
        ? Object.values(raw['on']).flat()
        : [];
    // `always` is not in toJSON today; read it if a serializer adds it.
    const always: unknown[] = Array.isArray(raw['always']) ? raw['always'] : [];
    for (const item of [...list, ...always.map((t) => (isRecord(t) ? { ...t, eventType: '' } : t))]) {
      if (!isRecord(item)) continue;
      const eventType = typeof item['eventType'] === 'string' ? item['eventType'] : '';
      const rawTargets = Array.isArray(item['target']) ? item['target'] : typeof item['target'] === 'string' ? [item['target']] : [];
      const targets = rawTargets
        .filter((t): t is string => typeof t === 'string')
        .map((t) => resolve(t, path))
        .filter((t): t is string => t !== null);
      const guard = guardName(item);
      const label = eventLabel(eventType, item, invokeSources) + (guard ? ` [${guard}]` : '');
      transitions.push({ source: path, targets, eventType, label });
    }
  }
  const id = typeof json['id'] === 'string' ? json['id'] : rootKey;
  return { id, root, states, transitions };
}

// ---------------------------------------------------------------------------------------------------------------
// Layout

/** Text widths in px for the three text styles of the drawing. */
export type Measure = (text: string, style: 'state' | 'label' | 'small') => number;

export interface BoxLayout {
  path: string;
  state: ParsedState;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Extra lines under the name (invoked actors). */
  lines: string[];
}

export interface EdgeLayout {
  source: string;
  target: string;
  eventTypes: string[];
  labels: string[];
  /** SVG path data, ending at the target's border. */
  d: string;
  /** Label box, centred on (labelX, labelY). */
  labelX: number;
  labelY: number;
  labelWidth: number;
  labelHeight: number;
}

export interface InitialMarker {
  /** The compound state whose initial child this marks ('' = the machine). */
  parent: string;
  target: string;
  d: string;
  cx: number;
  cy: number;
}

export interface MachineLayout {
  width: number;
  height: number;
  boxes: BoxLayout[];
  edges: EdgeLayout[];
  initials: InitialMarker[];
  /** Transitions of the machine itself ("from any state"), listed rather than drawn. */
  globalTransitions: { label: string; targets: string[] }[];
}

export const layoutMetrics = {
  atomicHeight: 38,
  lineHeight: 15,
  boxPadX: 16,
  minAtomicWidth: 92,
  headerHeight: 28,
  pad: 18,
  initialRoom: 26,
  columnGap: 64,
  rowGap: 34,
  labelLineHeight: 15,
  labelPadX: 7,
  labelPadY: 4,
  laneGap: 12,
  selfLoopRoom: 30,
} as const;

const m = layoutMetrics;

interface EdgeGroup {
  source: string;
  target: string;
  eventTypes: string[];
  labels: string[];
}

interface Placement {
  width: number;
  height: number;
  /** Child positions relative to this node's top-left. */
  children: Map<string, { x: number; y: number }>;
  /** Edge routing decided at this level: lane y (relative) per edge key, and the child column of each child. */
  lanes: Map<string, { side: 'above' | 'below'; y: number }>;
  column: Map<string, number>;
}

function isAncestorOrSelf(ancestor: string, path: string): boolean {
  return ancestor === '' || path === ancestor || path.startsWith(`${ancestor}.`);
}

/** The child of `parent` on the way to `path` (itself if it is a child), or null if `path` is not below `parent`. */
function childToward(parent: ParsedState, path: string): ParsedState | null {
  return parent.children.find((c) => isAncestorOrSelf(c.path, path)) ?? null;
}

function labelSize(labels: string[], measure: Measure): { width: number; height: number } {
  const width = Math.max(0, ...labels.map((l) => measure(l, 'label'))) + 2 * m.labelPadX;
  return { width, height: labels.length * m.labelLineHeight + 2 * m.labelPadY };
}

/** Lays out a parsed machine: absolute boxes for every state below the root, routed arrows, initial markers. */
export function layoutMachine(machine: ParsedMachine, measure: Measure): MachineLayout {
  // One arrow per (source, target) pair, its events listed on the label.
  const groups = new Map<string, EdgeGroup>();
  const globalTransitions: MachineLayout['globalTransitions'] = [];
  for (const t of machine.transitions) {
    if (t.source === '') {
      globalTransitions.push({ label: t.label, targets: t.targets });
      continue;
    }
    for (const target of t.targets) {
      const key = `${t.source}→${target}`;
      const group = groups.get(key) ?? { source: t.source, target, eventTypes: [], labels: [] };
      if (!group.labels.includes(t.label)) group.labels.push(t.label);
      if (!group.eventTypes.includes(t.eventType)) group.eventTypes.push(t.eventType);
      groups.set(key, group);
    }
  }
  const edgeGroups = [...groups.values()];
  const placements = new Map<string, Placement>();
  // A self-loop sits over the top of its box with its label centred above it: room above the box for both.
  const loopLabels = new Map(edgeGroups.filter((g) => g.source === g.target).map((g) => [g.source, labelSize(g.labels, measure)]));
  const loopRoom = (path: string): number => {
    const label = loopLabels.get(path);
    return label ? m.selfLoopRoom + label.height : 0;
  };

  // Bottom-up sizes: an atomic box fits its text; a compound box fits its children's layered layout.
  const place = (node: ParsedState): Placement => {
    if (node.children.length === 0) {
      const lines = node.invokes.map((src) => `⟳ ${src}`);
      const width = Math.max(
        m.minAtomicWidth,
        measure(node.key, 'state') + 2 * m.boxPadX,
        ...lines.map((l) => measure(l, 'small') + 2 * m.boxPadX),
      );
      const placement: Placement = {
        width: Math.ceil(width),
        height: m.atomicHeight + lines.length * m.lineHeight,
        children: new Map(),
        lanes: new Map(),
        column: new Map(),
      };
      placements.set(node.path, placement);
      return placement;
    }
    const sizes = new Map(node.children.map((c) => [c.path, place(c)]));
    // The child-level graph: an edge between two different children that contain its ends.
    const local = edgeGroups
      .map((g) => {
        const a = childToward(node, g.source);
        const b = childToward(node, g.target);
        return a && b && a !== b ? { group: g, a: a.path, b: b.path } : null;
      })
      .filter((e): e is { group: EdgeGroup; a: string; b: string } => e !== null);

    const column = new Map<string, number>();
    if (node.type === 'parallel') {
      node.children.forEach((c, i) => column.set(c.path, i));
    } else {
      // Depth-first from the initial child marks the arrows that close a cycle; without them the graph is
      // acyclic and each child goes to the column of its longest path from the start.
      const order = node.children.map((c) => c.path);
      const start = node.initial && order.includes(node.initial) ? node.initial : order[0];
      const back = new Set<string>();
      const done = new Set<string>();
      const onStack = new Set<string>();
      const dfs = (current: string): void => {
        onStack.add(current);
        for (const e of local) {
          if (e.a !== current) continue;
          if (onStack.has(e.b)) back.add(`${e.a}→${e.b}`);
          else if (!done.has(e.b)) dfs(e.b);
        }
        onStack.delete(current);
        done.add(current);
      };
      if (start !== undefined) dfs(start);
      for (const path of order) if (!done.has(path)) dfs(path);
      const forward = local.filter((e) => !back.has(`${e.a}→${e.b}`));
      const depth = (path: string, seen: Set<string>): number => {
        if (column.has(path)) return column.get(path) ?? 0;
        const preds = forward.filter((e) => e.b === path && !seen.has(e.a));
        const value = preds.length ? Math.max(...preds.map((e) => depth(e.a, new Set([...seen, path])) + 1)) : 0;
        column.set(path, value);
        return value;
      };
      for (const path of order) depth(path, new Set());
    }

    // Columns, ordered inside by the mean row of their predecessors (fewer crossings), then document order.
    const columnCount = Math.max(0, ...column.values()) + 1;
    const columns: string[][] = Array.from({ length: columnCount }, () => []);
    for (const c of node.children) columns[column.get(c.path) ?? 0]?.push(c.path);
    const rowOf = new Map<string, number>();
    columns.forEach((col, ci) => {
      if (ci > 0) {
        const docIndex = new Map(col.map((p, i) => [p, i]));
        const score = (p: string): number => {
          const preds = local.filter((e) => e.b === p && (column.get(e.a) ?? 0) < ci).map((e) => rowOf.get(e.a) ?? 0);
          return preds.length ? preds.reduce((s, v) => s + v, 0) / preds.length : (docIndex.get(p) ?? 0);
        };
        col.sort((p, q) => score(p) - score(q) || (docIndex.get(p) ?? 0) - (docIndex.get(q) ?? 0));
      }
      col.forEach((p, i) => rowOf.set(p, i));
    });

    // Gap after each column: wide enough for the labels of arrows that cross only that gap.
    const gaps = columns.map((_, ci) => {
      const labels = local
        .filter((e) => column.get(e.a) === ci && column.get(e.b) === ci + 1)
        .map((e) => labelSize(e.group.labels, measure).width);
      return Math.max(m.columnGap, ...labels.map((w) => w + 28));
    });
    const columnWidths = columns.map((col) => Math.max(0, ...col.map((p) => sizes.get(p)?.width ?? 0)));
    const columnHeights = columns.map((col) =>
      col.reduce((sum, p, i) => sum + (sizes.get(p)?.height ?? 0) + loopRoom(p) + (i ? m.rowGap : 0), 0),
    );
    // Same-column arrows bulge right: give that column room for their labels.
    local.forEach((e) => {
      const ci = column.get(e.a) ?? 0;
      if (ci === column.get(e.b)) {
        gaps[ci] = Math.max(gaps[ci] ?? 0, labelSize(e.group.labels, measure).width + 48);
      }
    });

    // What a self-loop label wider than its box sticks out on each side: the gaps beside it (or the margins) take it.
    let overhangLeft = 0;
    let overhangRight = 0;
    columns.forEach((col, ci) => {
      for (const p of col) {
        const label = loopLabels.get(p);
        if (!label) continue;
        const overhang = (label.width - (sizes.get(p)?.width ?? 0)) / 2 + m.laneGap;
        if (ci > 0) gaps[ci - 1] = Math.max(gaps[ci - 1] ?? 0, overhang);
        else overhangLeft = Math.max(overhangLeft, overhang - m.initialRoom);
        if (ci < columns.length - 1) gaps[ci] = Math.max(gaps[ci] ?? 0, overhang);
        else overhangRight = Math.max(overhangRight, overhang);
      }
    });

    // Arrows that skip columns run in lanes above the boxes; backward arrows in lanes below.
    const lanes = new Map<string, { side: 'above' | 'below'; y: number }>();
    const laneEdges = local
      .filter((e) => {
        const d = (column.get(e.b) ?? 0) - (column.get(e.a) ?? 0);
        return d > 1 || d < 0;
      })
      .sort(
        (e, f) =>
          Math.abs((column.get(e.b) ?? 0) - (column.get(e.a) ?? 0)) - Math.abs((column.get(f.b) ?? 0) - (column.get(f.a) ?? 0)),
      );
    let aboveHeight = 0;
    let belowHeight = 0;
    const laneOffsets: { key: string; side: 'above' | 'below'; offset: number }[] = [];
    // A lane runs on the side where its ends are outermost in their columns, so it does not cut through a
    // box stacked above or below; with no such preference, skipping arrows go above and backward ones below.
    const preference = (path: string): 'above' | 'below' | null => {
      const col = columns[column.get(path) ?? 0] ?? [];
      if (col.length < 2) return null;
      if (col[0] === path) return 'above';
      if (col[col.length - 1] === path) return 'below';
      return null;
    };
    for (const e of laneEdges) {
      const side =
        preference(e.a) ?? preference(e.b) ?? ((column.get(e.b) ?? 0) > (column.get(e.a) ?? 0) ? 'above' : 'below');
      const height = labelSize(e.group.labels, measure).height + m.laneGap;
      const key = `${e.group.source}→${e.group.target}`;
      if (side === 'above') {
        laneOffsets.push({ key, side, offset: aboveHeight + height / 2 });
        aboveHeight += height;
      } else {
        laneOffsets.push({ key, side, offset: belowHeight + height / 2 });
        belowHeight += height;
      }
    }

    const header = node.path === '' ? 0 : m.headerHeight;
    const contentHeight = Math.max(0, ...columnHeights);
    const contentTop = header + m.pad + aboveHeight + (aboveHeight ? m.laneGap : 0);
    const children = new Map<string, { x: number; y: number }>();
    let x = m.pad + (node.type === 'parallel' ? 0 : m.initialRoom) + Math.max(0, overhangLeft);
    columns.forEach((col, ci) => {
      let y = contentTop + (contentHeight - (columnHeights[ci] ?? 0)) / 2;
      for (const p of col) {
        const size = sizes.get(p);
        if (!size) continue;
        y += loopRoom(p);
        children.set(p, { x: x + ((columnWidths[ci] ?? 0) - size.width) / 2, y });
        y += size.height + m.rowGap;
      }
      x += (columnWidths[ci] ?? 0) + (ci < columns.length - 1 ? (gaps[ci] ?? m.columnGap) : 0);
    });
    const contentBottom = contentTop + contentHeight;
    for (const lane of laneOffsets) {
      lanes.set(lane.key, {
        side: lane.side,
        y: lane.side === 'above' ? contentTop - m.laneGap - lane.offset : contentBottom + m.laneGap + lane.offset,
      });
    }
    // Room on the right for same-column bulges of the last column.
    const lastGap = local.some((e) => column.get(e.a) === columns.length - 1 && column.get(e.b) === columns.length - 1)
      ? (gaps[columns.length - 1] ?? 0)
      : 0;
    const placement: Placement = {
      width: Math.ceil(Math.max(x + Math.max(lastGap, overhangRight) + m.pad, measure(node.key, 'state') + 2 * m.pad)),
      height: Math.ceil(contentBottom + (belowHeight ? m.laneGap + belowHeight : 0) + m.pad),
      children,
      lanes,
      column,
    };
    placements.set(node.path, placement);
    return placement;
  };

  const rootPlacement = place(machine.root);

  // Absolute positions, top-down.
  const boxes: BoxLayout[] = [];
  const absolute = new Map<string, { x: number; y: number }>([['', { x: 0, y: 0 }]]);
  const position = (node: ParsedState): void => {
    const origin = absolute.get(node.path) ?? { x: 0, y: 0 };
    const placement = placements.get(node.path);
    for (const child of node.children) {
      const rel = placement?.children.get(child.path) ?? { x: 0, y: 0 };
      const abs = { x: origin.x + rel.x, y: origin.y + rel.y };
      absolute.set(child.path, abs);
      const size = placements.get(child.path);
      boxes.push({
        path: child.path,
        state: child,
        x: abs.x,
        y: abs.y,
        width: size?.width ?? 0,
        height: size?.height ?? 0,
        lines: child.children.length === 0 ? child.invokes.map((src) => `⟳ ${src}`) : [],
      });
      position(child);
    }
  };
  position(machine.root);
  const boxOf = new Map(boxes.map((b) => [b.path, b]));

  const edges: EdgeLayout[] = [];
  interface LaneRoute {
    base: Omit<EdgeLayout, 'd' | 'labelX' | 'labelY'>;
    s: BoxLayout;
    t: BoxLayout;
    laneY: number;
    above: boolean;
    fromX: number;
    toX: number;
  }
  const laneRoutes: LaneRoute[] = [];
  const gapLabels: EdgeLayout[] = [];
  for (const g of edgeGroups) {
    const s = boxOf.get(g.source);
    const t = boxOf.get(g.target);
    if (!s || !t) continue;
    const size = labelSize(g.labels, measure);
    const base = { source: g.source, target: g.target, eventTypes: g.eventTypes, labels: g.labels, labelWidth: size.width, labelHeight: size.height };
    if (g.source === g.target) {
      // A loop over the top edge of the box (its highest point 25.5 above it), the label above the loop.
      const cx = s.x + s.width / 2;
      const top = s.y;
      const d = `M ${cx - 14} ${top} C ${cx - 30} ${top - 34}, ${cx + 30} ${top - 34}, ${cx + 14} ${top}`;
      edges.push({ ...base, d, labelX: cx, labelY: top - m.selfLoopRoom - size.height / 2 });
      continue;
    }
    // The level that separates the two ends decides the route.
    const lca = lowestCommonAncestor(machine, g.source, g.target);
    const placement = placements.get(lca.path);
    const origin = absolute.get(lca.path) ?? { x: 0, y: 0 };
    const a = childToward(lca, g.source);
    const b = childToward(lca, g.target);
    if (!placement || !a || !b || a === b) {
      // One end contains the other: a short arrow from the outer box's header to the inner box.
      const outer = isAncestorOrSelf(g.source, g.target) ? s : t;
      const inner = outer === s ? t : s;
      const from = outer === s ? { x: s.x + 24, y: s.y + m.headerHeight - 6 } : { x: inner.x + inner.width / 2, y: inner.y };
      const to = outer === s ? { x: t.x + t.width / 2, y: t.y } : { x: t.x + 24, y: t.y + m.headerHeight - 6 };
      edges.push({ ...base, d: curve(from, to), labelX: (from.x + to.x) / 2, labelY: (from.y + to.y) / 2 });
      continue;
    }
    const ca = placement.column.get(a.path) ?? 0;
    const cb = placement.column.get(b.path) ?? 0;
    const lane = placement.lanes.get(`${g.source}→${g.target}`);
    if (cb === ca + 1 || (cb > ca && !lane)) {
      const from = { x: s.x + s.width, y: s.y + s.height / 2 };
      const to = { x: t.x, y: t.y + t.height / 2 };
      const back = groups.has(`${g.target}→${g.source}`) && cb > ca;
      // A pair with arrows both ways: nudge this one up so the two stay apart.
      if (back) {
        from.y -= 6;
        to.y -= 6;
      }
      // The label goes in the gap between the two columns (sized for it), also when an end is nested deeper
      // and its straight line passes under the boxes beside it.
      const left = boxOf.get(a.path) ?? s;
      const right = boxOf.get(b.path) ?? t;
      const edge = { ...base, d: curve(from, to), labelX: (left.x + left.width + right.x) / 2, labelY: (from.y + to.y) / 2 };
      // Labels that would land on one another in the same gap are stacked downwards.
      for (let moved = true; moved; ) {
        moved = false;
        for (const other of gapLabels) {
          if (labelsOverlap(other, edge)) {
            edge.labelY = other.labelY + (other.labelHeight + edge.labelHeight) / 2 + 4;
            moved = true;
          }
        }
      }
      gapLabels.push(edge);
      edges.push(edge);
    } else if (ca === cb) {
      // Same column: bulge to the right.
      const from = { x: s.x + s.width, y: s.y + s.height / 2 };
      const to = { x: t.x + t.width, y: t.y + t.height / 2 };
      const bulge = Math.max(from.x, to.x) + 40;
      const d = `M ${from.x} ${from.y} C ${bulge} ${from.y}, ${bulge} ${to.y}, ${to.x} ${to.y}`;
      edges.push({ ...base, d, labelX: bulge - 10 + size.width / 2, labelY: (from.y + to.y) / 2 });
    } else {
      laneRoutes.push({ base, s, t, laneY: origin.y + (lane?.y ?? 0), above: lane?.side === 'above', fromX: 0, toX: 0 });
    }
  }

  // Lane arrows leave and enter through the top or bottom edge of a box; several on one edge are spread along
  // it, ordered by where their other end lies, so they neither share a point nor cross at the box.
  const ports = new Map<string, { route: LaneRoute; end: 'fromX' | 'toX'; otherX: number }[]>();
  for (const route of laneRoutes) {
    const side = route.above ? 'top' : 'bottom';
    for (const [box, other, end] of [
      [route.s, route.t, 'fromX'],
      [route.t, route.s, 'toX'],
    ] as const) {
      const key = `${box.path}|${side}`;
      const list = ports.get(key) ?? [];
      list.push({ route, end, otherX: other.x + other.width / 2 });
      ports.set(key, list);
    }
  }
  for (const [key, list] of ports) {
    const box = boxOf.get(key.slice(0, key.lastIndexOf('|')));
    if (!box) continue;
    list.sort((p, q) => p.otherX - q.otherX);
    const span = Math.min(box.width - 16, 24 * (list.length - 1));
    list.forEach((port, i) => {
      port.route[port.end] = box.x + box.width / 2 + (list.length > 1 ? -span / 2 + (span * i) / (list.length - 1) : 0);
    });
  }
  for (const route of laneRoutes) {
    const { s, t, laneY, above } = route;
    const from = { x: route.fromX, y: above ? s.y : s.y + s.height };
    const to = { x: route.toX, y: above ? t.y : t.y + t.height };
    // Control points placed so the curve's extreme point sits on the lane.
    const c = (8 * laneY - from.y - to.y) / 6;
    const d = `M ${from.x} ${from.y} C ${from.x} ${c}, ${to.x} ${c}, ${to.x} ${to.y}`;
    edges.push({ ...route.base, d, labelX: (from.x + to.x) / 2, labelY: laneY });
  }

  const initials: InitialMarker[] = [];
  for (const node of machine.states.values()) {
    if (node.type === 'parallel' || !node.initial) continue;
    const box = boxOf.get(node.initial);
    if (!box) continue;
    const to = { x: box.x, y: box.y + Math.min(box.height / 2, m.atomicHeight / 2) };
    const cx = to.x - m.initialRoom + 6;
    initials.push({ parent: node.path, target: node.initial, cx, cy: to.y, d: `M ${cx + 4} ${to.y} L ${to.x} ${to.y}` });
  }

  return { width: rootPlacement.width, height: rootPlacement.height, boxes, edges, initials, globalTransitions };
}

function labelsOverlap(a: EdgeLayout, b: EdgeLayout): boolean {
  return Math.abs(a.labelX - b.labelX) * 2 < a.labelWidth + b.labelWidth && Math.abs(a.labelY - b.labelY) * 2 < a.labelHeight + b.labelHeight;
}

function curve(from: { x: number; y: number }, to: { x: number; y: number }): string {
  const dx = Math.max(24, Math.abs(to.x - from.x) / 2);
  return `M ${from.x} ${from.y} C ${from.x + dx} ${from.y}, ${to.x - dx} ${to.y}, ${to.x} ${to.y}`;
}

function lowestCommonAncestor(machine: ParsedMachine, a: string, b: string): ParsedState {
  const pa = a.split('.');
  const pb = b.split('.');
  const common: string[] = [];
  for (let i = 0; i < Math.min(pa.length, pb.length) && pa[i] === pb[i]; i += 1) common.push(pa[i] as string);
  // The LCA of two different states is a proper ancestor of both.
  let path = common.join('.');
  if (path === a || path === b) path = path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '';
  return machine.states.get(path) ?? machine.root;
}

/** The arrows an event just took: labelled with it, leaving a state that was active, entering one now active. */
export function takenEdges(
  edges: readonly EdgeLayout[],
  previousPaths: readonly string[],
  nextPaths: readonly string[],
  eventType: string | null,
): EdgeLayout[] {
  if (eventType === null) return [];
  return edges.filter(
    (e) => e.eventTypes.includes(eventType) && previousPaths.includes(e.source) && nextPaths.includes(e.target),
  );
}
