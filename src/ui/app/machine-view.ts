// Draws a laid-out machine as SVG and lights up its active states and the arrow taken last.
import { s } from './dom.js';
import { activePaths, formatStateValue, type StateValue } from './inspection.js';
import {
  layoutMachine,
  layoutMetrics,
  parseMachine,
  takenEdges,
  type EdgeLayout,
  type MachineLayout,
  type Measure,
} from './machine-graph.js';

// Fonts here must match the .machine-svg text rules in styles.css, so measured widths fit.
const fonts: Record<Parameters<Measure>[1], string> = {
  state: '600 13px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  label: '500 11.5px ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace',
  small: '400 11px ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace',
};

let canvas: CanvasRenderingContext2D | null = null;
/** Text width in px through a canvas, with a per-character estimate if canvas is unavailable. */
export const measureText: Measure = (text, style) => {
  canvas ??= document.createElement('canvas').getContext('2d');
  if (!canvas) return text.length * 7.5;
  canvas.font = fonts[style];
  return Math.ceil(canvas.measureText(text).width);
};

export interface MachineView {
  svg: SVGSVGElement;
  layout: MachineLayout;
  /** Highlights `value`; with the previous value and the event that arrived last, also the arrow it took. */
  show(value: StateValue, previous: StateValue | null, lastEventType: string | null): void;
}

/** Draws the machine definition (`machine.toJSON()`) of one actor. */
export function drawMachine(actor: string, definition: unknown): MachineView {
  const layout = layoutMachine(parseMachine(definition), measureText);
  const markerId = `arrow-${actor.replace(/[^\w-]/g, '_')}`;
  const svg = s('svg', {
    class: 'machine-svg',
    viewBox: `0 0 ${layout.width} ${layout.height}`,
    width: layout.width,
    height: layout.height,
    role: 'img',
    'aria-label': `State machine ${actor}`,
    'data-actor': actor,
  });
  svg.append(s('defs', {}, arrowMarker(markerId, 'arrowhead'), arrowMarker(`${markerId}-taken`, 'arrowhead arrowhead--taken')));
  const states = drawStates(layout);
  const edges = drawEdges(layout, markerId);
  svg.append(states.compoundLayer, edges.edgeLayer, states.atomicLayer, drawInitials(layout, markerId), edges.labelLayer);

  const show = (value: StateValue, previous: StateValue | null, lastEventType: string | null): void => {
    const active = activePaths(value);
    const leaves = active.filter((p) => !active.some((q) => q.startsWith(`${p}.`)));
    for (const [path, g] of states.groups) {
      g.classList.toggle('is-active', active.includes(path));
      g.classList.toggle('is-current', leaves.includes(path));
    }
    const taken = new Set(previous === null ? [] : takenEdges(layout.edges, activePaths(previous), active, lastEventType));
    for (const [edge, elements] of edges.groups) {
      const isTaken = taken.has(edge);
      for (const element of elements) element.classList.toggle('is-taken', isTaken);
      elements[0]?.querySelector('path')?.setAttribute('marker-end', `url(#${markerId}${isTaken ? '-taken' : ''})`);
    }
    svg.dataset['active'] = leaves.join(' ');
    svg.setAttribute('aria-label', `State machine ${actor}, current state ${formatStateValue(value)}`);
  };

  return { svg, layout, show };
}

function arrowMarker(id: string, cls: string): SVGElement {
  return s(
    'marker',
    { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
    s('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: cls }),
  );
}

// One group per state box, compound states in their own layer (drawn under the arrows), atomic ones above them.
function drawStates(layout: MachineLayout) {
  const groups = new Map<string, SVGGElement>();
  const compoundLayer = s('g', { class: 'layer-compound' });
  const atomicLayer = s('g', { class: 'layer-atomic' });
  // Outer boxes first so nested ones paint on top.
  const boxes = [...layout.boxes].sort((a, b) => a.path.split('.').length - b.path.split('.').length);
  for (const box of boxes) {
    const compound = box.state.children.length > 0;
    const title = s('title', {}, box.state.description ? `${box.path} — ${box.state.description}` : box.path);
    const g = s('g', {
      class: `state state--${box.state.type}${compound ? ' state--group' : ''}`,
      'data-path': box.path,
    });
    g.append(title, s('rect', { class: 'state-box', x: box.x, y: box.y, width: box.width, height: box.height, rx: compound ? 10 : 8 }));
    if (box.state.type === 'final') {
      g.append(s('rect', { class: 'state-final-ring', x: box.x + 3, y: box.y + 3, width: box.width - 6, height: box.height - 6, rx: 6 }));
    }
    if (compound) {
      g.append(s('text', { class: 'state-name state-name--group', x: box.x + 12, y: box.y + 19 }, box.state.key));
      g.append(s('line', { class: 'state-divider', x1: box.x, x2: box.x + box.width, y1: box.y + layoutMetrics.headerHeight, y2: box.y + layoutMetrics.headerHeight }));
    } else {
      g.append(s('text', { class: 'state-name', x: box.x + box.width / 2, y: box.y + 23, 'text-anchor': 'middle' }, box.state.key));
      box.lines.forEach((line, i) =>
        g.append(
          s('text', { class: 'state-sub', x: box.x + box.width / 2, y: box.y + 23 + (i + 1) * layoutMetrics.lineHeight, 'text-anchor': 'middle' }, line),
        ),
      );
    }
    groups.set(box.path, g);
    (compound ? compoundLayer : atomicLayer).append(g);
  }
  return { groups, compoundLayer, atomicLayer };
}

// Each arrow and its label (labels in a layer above everything, so no box hides them).
function drawEdges(layout: MachineLayout, markerId: string) {
  const edgeLayer = s('g', { class: 'layer-edges' });
  const labelLayer = s('g', { class: 'layer-labels' });
  const groups = new Map<EdgeLayout, SVGGElement[]>();
  for (const edge of layout.edges) {
    const path = s('path', { class: 'edge-line', d: edge.d, 'marker-end': `url(#${markerId})` });
    const eg = s('g', { class: 'edge', 'data-source': edge.source, 'data-target': edge.target }, path);
    const label = s('g', { class: 'edge-label', 'data-source': edge.source, 'data-target': edge.target });
    const top = edge.labelY - edge.labelHeight / 2;
    label.append(
      s('rect', { class: 'edge-label-box', x: edge.labelX - edge.labelWidth / 2, y: top, width: edge.labelWidth, height: edge.labelHeight, rx: 4 }),
      ...edge.labels.map((text, i) =>
        s(
          'text',
          { class: 'edge-label-text', x: edge.labelX, y: top + layoutMetrics.labelPadY + (i + 1) * layoutMetrics.labelLineHeight - 4, 'text-anchor': 'middle' },
          text,
        ),
      ),
    );
    edgeLayer.append(eg);
    labelLayer.append(label);
    groups.set(edge, [eg, label]);
  }
  return { groups, edgeLayer, labelLayer };
}

// The dot-and-arrow that marks each initial state.
function drawInitials(layout: MachineLayout, markerId: string): SVGGElement {
  const initialLayer = s('g', { class: 'layer-initial' });
  for (const initial of layout.initials) {
    initialLayer.append(
      s('circle', { class: 'initial-dot', cx: initial.cx, cy: initial.cy, r: 4.5 }),
      s('path', { class: 'edge-line initial-line', d: initial.d, 'marker-end': `url(#${markerId})` }),
    );
  }
  return initialLayer;
}
