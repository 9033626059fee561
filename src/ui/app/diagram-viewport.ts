// Zoom and pan for a diagram: buttons (−, +, Fit, 100%), Ctrl+wheel, pinch, and drag to pan. The drawing is a group
// inside the SVG, moved and scaled with a transform; the SVG keeps the width of its card, so the page never scrolls
// sideways however large the diagram is.

/** Zoom bounds, and the zoom below which labels would no longer be legible (the page never starts below it). */
export const zoomLimits = { min: 0.15, max: 3, legible: 0.72 } as const;

/** A transform of the drawing: `scale(zoom)` then `translate(x, y)` in px of the SVG. */
export interface View {
  zoom: number;
  x: number;
  y: number;
}

/** The first view of a drawing: as large as fits the width, but never below legible nor above 100%; centred when it fits. */
export function initialView(content: { width: number; height: number }, frameWidth: number, pad = 8): View {
  const fitWidth = (frameWidth - 2 * pad) / Math.max(1, content.width);
  const zoom = Math.min(1, Math.max(zoomLimits.legible, fitWidth));
  const drawn = content.width * zoom;
  return { zoom, x: drawn + 2 * pad <= frameWidth ? (frameWidth - drawn) / 2 : pad, y: pad };
}

/** The view that shows all of the drawing in the frame, centred. */
export function fitView(content: { width: number; height: number }, frame: { width: number; height: number }, pad = 8): View {
  const zoom = clampZoom(Math.min((frame.width - 2 * pad) / Math.max(1, content.width), (frame.height - 2 * pad) / Math.max(1, content.height)));
  return { zoom, x: (frame.width - content.width * zoom) / 2, y: (frame.height - content.height * zoom) / 2 };
}

/** `view` zoomed to `zoom` around the frame point (px, py), which stays where it is. */
export function zoomAround(view: View, zoom: number, px: number, py: number): View {
  const next = clampZoom(zoom);
  const k = next / view.zoom;
  return { zoom: next, x: px - (px - view.x) * k, y: py - (py - view.y) * k };
}

function clampZoom(zoom: number): number {
  return Math.min(zoomLimits.max, Math.max(zoomLimits.min, zoom));
}

export interface Viewport {
  readonly view: View;
  set(view: View): void;
  fit(): void;
  actualSize(): void;
  zoomBy(factor: number): void;
}

/**
 * Makes `svg` a viewport on `content` (drawn at `size` px at 100%): sets its height for the first view, and wires
 * the controls. `onChange` hears every new view (the page shows the zoom).
 */
export function createViewport(
  svg: SVGSVGElement,
  content: SVGGElement,
  size: { width: number; height: number },
  onChange: (view: View) => void,
): Viewport {
  const frame = () => {
    const rect = svg.getBoundingClientRect();
    return { width: rect.width || svg.clientWidth, height: rect.height || svg.clientHeight };
  };
  let view = initialView(size, frame().width);
  // As tall as the first view needs, within most of the window: the rest is reached by panning or zooming out.
  const height = Math.round(Math.min(size.height * view.zoom + 16, Math.max(320, window.innerHeight * 0.8)));
  svg.setAttribute('height', String(height));
  svg.style.height = `${height}px`;

  const apply = (next: View): void => {
    view = next;
    content.setAttribute('transform', `translate(${view.x} ${view.y}) scale(${view.zoom})`);
    svg.dataset['zoom'] = String(view.zoom);
    onChange(view);
  };
  const centre = () => {
    const f = frame();
    return { x: f.width / 2, y: f.height / 2 };
  };
  const point = (event: { clientX: number; clientY: number }) => {
    const rect = svg.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };

  // Ctrl (or ⌘) + wheel zooms around the pointer; a plain wheel scrolls the page as usual.
  svg.addEventListener(
    'wheel',
    (event) => {
      if (!event.ctrlKey && !event.metaKey) return;
      event.preventDefault();
      const p = point(event);
      apply(zoomAround(view, view.zoom * Math.exp(-event.deltaY * 0.0025), p.x, p.y));
    },
    { passive: false },
  );

  // One pointer pans; two pinch-zoom around their midpoint.
  const pointers = new Map<number, { x: number; y: number }>();
  let pinch: { distance: number; zoom: number } | null = null;
  svg.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    pointers.set(event.pointerId, point(event));
    try {
      // Keeps the drag when the pointer leaves the diagram; a pointer the browser does not track cannot be captured.
      svg.setPointerCapture(event.pointerId);
    } catch {
      // The drag still works while the pointer stays over the diagram.
    }
    svg.classList.add('is-panning');
    if (pointers.size === 2) {
      const [a, b] = [...pointers.values()] as [{ x: number; y: number }, { x: number; y: number }];
      pinch = { distance: Math.hypot(a.x - b.x, a.y - b.y) || 1, zoom: view.zoom };
    }
  });
  svg.addEventListener('pointermove', (event) => {
    const before = pointers.get(event.pointerId);
    if (!before) return;
    const now = point(event);
    pointers.set(event.pointerId, now);
    if (pointers.size === 2 && pinch) {
      const [a, b] = [...pointers.values()] as [{ x: number; y: number }, { x: number; y: number }];
      const distance = Math.hypot(a.x - b.x, a.y - b.y);
      apply(zoomAround(view, (pinch.zoom * distance) / pinch.distance, (a.x + b.x) / 2, (a.y + b.y) / 2));
    } else if (pointers.size === 1) {
      apply({ ...view, x: view.x + now.x - before.x, y: view.y + now.y - before.y });
    }
  });
  const release = (event: PointerEvent) => {
    pointers.delete(event.pointerId);
    if (pointers.size < 2) pinch = null;
    if (pointers.size === 0) svg.classList.remove('is-panning');
  };
  svg.addEventListener('pointerup', release);
  svg.addEventListener('pointercancel', release);

  apply(view);
  return {
    get view() {
      return view;
    },
    set: apply,
    fit: () => apply(fitView(size, frame())),
    actualSize: () => {
      const c = centre();
      apply(zoomAround(view, 1, c.x, c.y));
    },
    zoomBy: (factor) => {
      const c = centre();
      apply(zoomAround(view, view.zoom * factor, c.x, c.y));
    },
  };
}
