// The ELK graph of each machine the supervisor runs, and ELK's layout of it, without a DOM: text is measured at a
// fixed width per character, and elkjs runs in Node as it runs in the page.
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import { createMachine } from 'xstate';
import { machineDefinitions } from '../../../../src/inspect/machine-definitions.js';
import {
  arrowEnd,
  graphMetrics,
  initialId,
  stateId,
  takenEdges,
  toElkGraph,
  type Box,
  type Measure,
} from '../../../../src/ui/app/elk-graph.js';
import { layoutMachine } from '../../../../src/ui/app/elk-layout.js';
import { activePaths } from '../../../../src/ui/app/inspection.js';
import { parseMachine, type ParsedMachine } from '../../../../src/ui/app/machine-graph.js';

// Close to the page's fonts: enough to check that every box and label is sized for its text.
const measure: Measure = (text, style) => text.length * (style === 'state' ? 9 : 7.6);
const names = Object.keys(machineDefinitions);
const parsedOf = (name: string): ParsedMachine => parseMachine(JSON.parse(JSON.stringify(machineDefinitions[name]?.toJSON())));

function allNodes(node: ElkNode, parent: string | null = null, out = new Map<string, { node: ElkNode; parent: string | null }>()) {
  out.set(node.id, { node, parent });
  for (const child of node.children ?? []) allNodes(child, node.id, out);
  return out;
}

function allEdges(node: ElkNode, out: { edge: ElkExtendedEdge; container: string }[] = []) {
  for (const edge of node.edges ?? []) out.push({ edge, container: node.id });
  for (const child of node.children ?? []) allEdges(child, out);
  return out;
}

const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const contains = (outer: Box, inner: Box): boolean =>
  inner.x >= outer.x - 0.5 &&
  inner.y >= outer.y - 0.5 &&
  inner.x + inner.width <= outer.x + outer.width + 0.5 &&
  inner.y + inner.height <= outer.y + outer.height + 0.5;

describe('toElkGraph', () => {
  it('has the four machines to convert', () => {
    expect([...names].sort()).toEqual(['config', 'models', 'server', 'supervisor']);
  });

  it.each(names)('gives every state of %s a node inside its parent state’s node', (name) => {
    const machine = parsedOf(name);
    const nodes = allNodes(toElkGraph(machine, measure).elk);
    for (const state of machine.states.values()) {
      const entry = nodes.get(stateId(state.path));
      expect({ state: state.path, found: Boolean(entry) }).toEqual({ state: state.path, found: true });
      const parent = state.path === '' ? 'root' : stateId(state.path.includes('.') ? state.path.slice(0, state.path.lastIndexOf('.')) : '');
      expect({ state: state.path, parent: entry?.parent }).toEqual({ state: state.path, parent });
      // Compound states are boxes around their children, with an initial marker when they have one.
      if (state.children.length && state.type !== 'parallel' && state.initial) {
        expect(entry?.node.children?.map((c) => c.id)).toContain(initialId(state.path));
        expect(allEdges(entry!.node).some(({ edge }) => edge.sources[0] === initialId(state.path) && edge.targets[0] === stateId(state.initial!))).toBe(true);
      }
    }
    // Nothing else: states and initial markers only.
    const expected = [...machine.states.values()].length + [...machine.states.values()].filter((s) => s.children.length && s.type !== 'parallel' && s.initial).length + 1;
    expect(nodes.size).toBe(expected);
  });

  it.each(names)('shows every transition of %s: as a labelled arrow, or listed in its state when it has no target', (name) => {
    const machine = parsedOf(name);
    const graph = toElkGraph(machine, measure);
    const edges = allEdges(graph.elk);
    const nodes = allNodes(graph.elk);
    expect(machine.transitions.length).toBeGreaterThan(0);
    for (const t of machine.transitions) {
      if (t.targets.length === 0) {
        expect(graph.lines.get(t.source)).toContain(`${t.label} ↺`);
        continue;
      }
      for (const target of t.targets) {
        const end = arrowEnd(t.source, target);
        const text = end === target ? t.label : `${t.label} → ${target.slice(end.length + 1)}`;
        const found = edges.find(({ edge }) => edge.sources[0] === stateId(t.source) && edge.targets[0] === stateId(end));
        expect({ transition: `${t.source} -${t.label}-> ${target}`, label: found?.edge.labels?.[0]?.text?.split('\n') }).toEqual({
          transition: `${t.source} -${t.label}-> ${target}`,
          label: expect.arrayContaining([text]),
        });
        // Defined in the lowest node that holds both ends, as ELK wants.
        const holds = (container: string, path: string) => {
          for (let id: string | null = stateId(path); id; id = nodes.get(id)?.parent ?? null) if (id === container) return true;
          return false;
        };
        expect(holds(found!.container, t.source) && holds(found!.container, end)).toBe(true);
      }
    }
  });

  it.each(names)('sizes every label of %s for its text, and every state box for its name and lines', (name) => {
    const machine = parsedOf(name);
    const graph = toElkGraph(machine, measure);
    for (const { edge } of allEdges(graph.elk)) {
      const label = edge.labels?.[0];
      if (!label) continue;
      const lines = (label.text ?? '').split('\n');
      expect(label.width).toBeGreaterThanOrEqual(Math.max(...lines.map((l) => measure(l, 'label'))) + 2 * graphMetrics.labelPadX);
      expect(label.height).toBe(lines.length * graphMetrics.labelLine + 2 * graphMetrics.labelPadY);
    }
    for (const [id, { node }] of allNodes(graph.elk)) {
      const state = id.startsWith('state:') ? machine.states.get(id.slice('state:'.length)) : undefined;
      if (!state || state.children.length) continue;
      const lines = graph.lines.get(state.path) ?? [];
      expect(node.width).toBeGreaterThanOrEqual(Math.max(measure(state.key, 'state'), ...lines.map((l) => measure(l, 'line'))));
      expect(node.height).toBe(graphMetrics.padTop + graphMetrics.stateLine + lines.length * graphMetrics.line + graphMetrics.padBottom);
    }
  });

  it('draws an arrow into a compound state from outside to its border, naming the inner state', () => {
    expect(arrowEnd('running', 'crashed.backoff')).toBe('crashed');
    expect(arrowEnd('crashed.backoff', 'starting')).toBe('starting');
    expect(arrowEnd('stopping.killing', 'stopping.terminating')).toBe('stopping.terminating');
    expect(arrowEnd('starting', 'starting')).toBe('starting');
    const graph = toElkGraph(parsedOf('server'), measure);
    const intoCrashed = graph.edges.find((e) => e.source === 'running' && e.target === 'crashed');
    expect(intoCrashed?.targets.sort()).toEqual(['crashed.backoff', 'crashed.exhausted', 'crashed.halted']);
    expect(intoCrashed?.labels).toContain('process.exited [restartAllowed] → backoff');
  });
});

describe('ELK layout (elkjs in Node)', () => {
  it.each(names)('lays %s out with nested boxes, and labels that cover neither boxes nor each other', async (name) => {
    const { layout } = await layoutMachine(JSON.parse(JSON.stringify(machineDefinitions[name]?.toJSON())), measure);
    const box = (path: string) => layout.boxes.find((b) => b.path === path)!;
    expect(layout.boxes.map((b) => b.path).sort()).toEqual([...parsedOf(name).states.keys()].sort());
    for (const b of layout.boxes) {
      const parent = b.path === '' ? null : b.path.includes('.') ? b.path.slice(0, b.path.lastIndexOf('.')) : '';
      if (parent !== null) expect({ box: b.path, inside: contains(box(parent), b) }).toEqual({ box: b.path, inside: true });
      expect(contains({ x: 0, y: 0, width: layout.width, height: layout.height }, b)).toBe(true);
    }
    const atomic = layout.boxes.filter((b) => b.state.children.length === 0);
    const labels = layout.edges.flatMap((e) => (e.label ? [{ id: e.group.id, ...e.label }] : []));
    expect(labels).toHaveLength(layout.edges.length);
    const clashes = labels.flatMap((label, i) => [
      ...atomic.filter((b) => overlaps(label, b)).map((b) => `${label.id} covers ${b.path}`),
      ...labels.slice(0, i).filter((other) => overlaps(label, other)).map((other) => `${label.id} covers ${other.id}`),
    ]);
    expect(clashes).toEqual([]);
    // Every arrow runs from its source box to its target box.
    for (const edge of layout.edges) {
      const near = (p: { x: number; y: number }, b: Box) => contains({ x: b.x - 2, y: b.y - 2, width: b.width + 4, height: b.height + 4 }, { ...p, width: 0, height: 0 });
      expect(edge.points.length).toBeGreaterThanOrEqual(2);
      expect({ edge: edge.group.id, starts: near(edge.points[0]!, box(edge.group.source)), ends: near(edge.points.at(-1)!, box(edge.group.target)) }).toEqual({
        edge: edge.group.id,
        starts: true,
        ends: true,
      });
    }
  });

  it('lays out parallel regions and deep states, with an arrow from the machine to its child', async () => {
    const machine = createMachine({
      id: 'p',
      initial: 'busy',
      on: { reset: '.idle' },
      states: {
        idle: { on: { go: 'busy' } },
        busy: {
          type: 'parallel',
          states: {
            upload: { initial: 'sending', states: { sending: { on: { sent: 'done' } }, done: { type: 'final' } } },
            probe: { initial: 'waiting', states: { waiting: { after: { 1500: 'failed' } }, failed: {} } },
          },
          on: { cancel: 'idle' },
        },
      },
    });
    const { layout, graph } = await layoutMachine(JSON.parse(JSON.stringify(machine.toJSON())), measure);
    expect(layout.initials.map((i) => i.target).sort()).toEqual(['busy', 'busy.probe.waiting', 'busy.upload.sending']);
    expect(graph.edges.find((e) => e.source === 'busy.probe.waiting')?.labels).toEqual(['after 1.5s']);
    expect(graph.edges.find((e) => e.source === '')?.labels).toEqual(['reset']);
  });

  it('finds the arrow an event took, also into a compound state', () => {
    const graph = toElkGraph(parsedOf('server'), measure);
    const taken = (from: string, to: unknown, type: string) =>
      takenEdges(graph.edges, activePaths(from), activePaths(to as string), type).map((e) => `${e.source}→${e.target}`);
    expect(taken('running', 'stopping', 'server.restart')).toEqual(['running→stopping']);
    expect(taken('running', { crashed: 'backoff' }, 'process.exited')).toEqual(['running→crashed']);
    expect(taken('running', 'stopping', 'other')).toEqual([]);
  });
});
