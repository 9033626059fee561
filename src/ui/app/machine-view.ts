// Draws a machine laid out by ELK as SVG, and lights up its active states and the arrow an event took.
import { s } from './dom.js';
import { graphMetrics, takenEdges, type EdgeGroup, type MachineGraph, type MachineLayout, type Measure, type Point, type TextStyle } from './elk-graph.js';
import { activePaths, formatStateValue, type StateValue } from './inspection.js';

const m = graphMetrics;
// Fonts here must match the .machine-svg text rules in styles.css, so measured widths fit.
const sans = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
const mono = 'ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace';
const fonts: Record<TextStyle, string> = {
  state: `600 ${m.stateFont}px ${sans}`,
  label: `500 ${m.labelFont}px ${mono}`,
  line: `400 ${m.lineFont}px ${mono}`,
};

let canvas: CanvasRenderingContext2D | null = null;
/** Text width in px through a canvas, with a per-character estimate if canvas is unavailable. */
export const measureText: Measure = (text, style) => {
  canvas ??= document.createElement('canvas').getContext('2d');
  if (!canvas) return text.length * 8.5;
  canvas.font = fonts[style];
  return Math.ceil(canvas.measureText(text).width);
};

export interface MachineView {
  svg: SVGSVGElement;
  /** The drawing, in px at 100%: the group the viewport moves and scales. */
  content: SVGGElement;
  layout: MachineLayout;
  graph: MachineGraph;
  /** Highlights `value` (none for null); with the value before and the event that led to it, also the arrow taken. */
  show(value: StateValue | null, previous: StateValue | null, eventType: string | null): void;
}

/** Lays out and draws the machine definition (`machine.toJSON()`) of one actor. */
export async function drawMachine(actor: string, definition: unknown): Promise<MachineView> {
  // ELK (1.5 MB) is its own chunk of this page's bundle: the page and its timeline show before it has loaded.
  const { layoutMachine } = await import('./elk-layout.js');
  const { graph, layout } = await layoutMachine(definition, measureText);
  const markerId = `arrow-${actor.replace(/[^\w-]/g, '_')}`;
  const content = s('g', { class: 'diagram-content' });
  const svg = s('svg', { class: 'machine-svg', role: 'img', 'aria-label': `State machine ${actor}`, 'data-actor': actor });
  svg.append(s('defs', {}, ...arrowMarkers(markerId)), content);
  const states = drawStates(layout);
  const edges = drawEdges(layout, markerId);
  content.append(states.compoundLayer, edges.edgeLayer, drawInitials(layout, markerId), states.atomicLayer, edges.labelLayer);

  const show = (value: StateValue | null, previous: StateValue | null, eventType: string | null): void => {
    const active = value === null ? [] : activePaths(value);
    const leaves = active.filter((p) => !active.some((q) => q.startsWith(`${p}.`)));
    for (const [path, g] of states.groups) {
      g.classList.toggle('is-active', active.includes(path));
      g.classList.toggle('is-current', leaves.includes(path));
    }
    const taken = new Set(previous === null ? [] : takenEdges(graph.edges, activePaths(previous), active, eventType));
    for (const [group, elements] of edges.groups) {
      const isTaken = taken.has(group);
      for (const element of elements) element.classList.toggle('is-taken', isTaken);
      elements[0]?.querySelector('path')?.setAttribute('marker-end', `url(#${markerId}${isTaken ? '-taken' : ''})`);
    }
    svg.dataset['active'] = leaves.join(' ');
    svg.setAttribute('aria-label', `State machine ${actor}${value === null ? '' : `, state ${formatStateValue(value)}`}`);
  };
  return { svg, content, layout, graph, show };
}

/** The two arrowheads (plain and taken) a diagram's <defs> must hold for `markerId`. */
export function arrowMarkers(markerId: string): SVGElement[] {
  const marker = (id: string, cls: string) =>
    s(
      'marker',
      { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      s('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: cls }),
    );
  return [marker(markerId, 'arrowhead'), marker(`${markerId}-taken`, 'arrowhead arrowhead--taken')];
}

// An orthogonal route with its corners rounded.
function roundedPath(points: readonly Point[], radius = 6): string {
  if (points.length === 0) return '';
  const [first] = points as [Point];
  let d = `M ${first.x} ${first.y}`;
  for (let i = 1; i < points.length; i += 1) {
    const p = points[i] as Point;
    const next = points[i + 1];
    if (!next) {
      d += ` L ${p.x} ${p.y}`;
      break;
    }
    const prev = points[i - 1] as Point;
    const r = Math.min(radius, Math.hypot(p.x - prev.x, p.y - prev.y) / 2, Math.hypot(next.x - p.x, next.y - p.y) / 2);
    const toward = (a: Point, b: Point, dist: number): Point => {
      const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
      return { x: a.x + ((b.x - a.x) / len) * dist, y: a.y + ((b.y - a.y) / len) * dist };
    };
    const a = toward(p, prev, r);
    const b = toward(p, next, r);
    d += ` L ${a.x} ${a.y} Q ${p.x} ${p.y} ${b.x} ${b.y}`;
  }
  return d;
}

// One group per state box: compound boxes (the machine's first) under the arrows, atomic ones above them.
function drawStates(layout: MachineLayout) {
  const groups = new Map<string, SVGGElement>();
  const compoundLayer = s('g', { class: 'layer-compound' });
  const atomicLayer = s('g', { class: 'layer-atomic' });
  const boxes = [...layout.boxes].sort((a, b) => depth(a.path) - depth(b.path));
  for (const box of boxes) {
    const compound = box.state.children.length > 0;
    const isMachine = box.path === '';
    const title = s('title', {}, box.state.description ? `${box.path || box.state.key} — ${box.state.description}` : box.path || box.state.key);
    // The machine's own box is a frame, not a state a value can name.
    const g = s('g', {
      class: isMachine ? 'machine-box' : `state state--${box.state.type}${compound ? ' state--group' : ''}`,
      'data-path': isMachine ? null : box.path,
    });
    g.append(title, s('rect', { class: 'state-box', x: box.x, y: box.y, width: box.width, height: box.height, rx: compound ? 12 : 9 }));
    if (box.state.type === 'final') {
      g.append(s('rect', { class: 'state-final-ring', x: box.x + 3, y: box.y + 3, width: box.width - 6, height: box.height - 6, rx: 7 }));
    }
    const nameY = box.y + m.padTop + m.stateFont;
    const x = compound ? box.x + m.padX : box.x + box.width / 2;
    const anchor = compound ? 'start' : 'middle';
    g.append(s('text', { class: `state-name${compound ? ' state-name--group' : ''}`, x, y: nameY, 'text-anchor': anchor }, box.state.key));
    box.lines.forEach((line, i) =>
      g.append(s('text', { class: 'state-sub', x, y: nameY + (i + 1) * m.line, 'text-anchor': anchor }, line)),
    );
    if (!isMachine) groups.set(box.path, g);
    (compound ? compoundLayer : atomicLayer).append(g);
  }
  return { groups, compoundLayer, atomicLayer };
}

function depth(path: string): number {
  return path === '' ? 0 : path.split('.').length;
}

// Each arrow and its label (labels in a layer above everything, so no box hides them).
function drawEdges(layout: MachineLayout, markerId: string) {
  const edgeLayer = s('g', { class: 'layer-edges' });
  const labelLayer = s('g', { class: 'layer-labels' });
  const groups = new Map<EdgeGroup, SVGGElement[]>();
  for (const edge of layout.edges) {
    const { group } = edge;
    const attrs = { 'data-source': group.source, 'data-target': group.target };
    const eg = s('g', { class: 'edge', ...attrs }, s('path', { class: 'edge-line', d: roundedPath(edge.points), 'marker-end': `url(#${markerId})` }));
    edgeLayer.append(eg);
    const elements = [eg];
    if (edge.label) {
      const { x, y, width, height } = edge.label;
      const label = s('g', { class: 'edge-label', ...attrs });
      label.append(
        s('rect', { class: 'edge-label-box', x, y, width, height, rx: 4 }),
        ...group.labels.map((text, i) =>
          s('text', { class: 'edge-label-text', x: x + m.labelPadX, y: y + m.labelPadY + i * m.labelLine + m.labelFont }, text),
        ),
      );
      labelLayer.append(label);
      elements.push(label);
    }
    groups.set(group, elements);
  }
  return { groups, edgeLayer, labelLayer };
}

// The dot-and-arrow that marks each initial state.
function drawInitials(layout: MachineLayout, markerId: string): SVGGElement {
  const layer = s('g', { class: 'layer-initial' });
  for (const initial of layout.initials) {
    const { x, y, width, height } = initial.dot;
    layer.append(
      s('circle', { class: 'initial-dot', cx: x + width / 2, cy: y + height / 2, r: width / 2 }),
      s('path', { class: 'edge-line initial-line', d: roundedPath(initial.points), 'marker-end': `url(#${markerId})` }),
    );
  }
  return layer;
}
