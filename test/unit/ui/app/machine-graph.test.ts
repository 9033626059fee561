import { createMachine } from 'xstate';
import { activePaths } from '../../../../src/ui/app/inspection.js';
import {
  layoutMachine,
  parseMachine,
  takenEdges,
  type BoxLayout,
  type EdgeLayout,
  type Measure,
} from '../../../../src/ui/app/machine-graph.js';
import { machineDefinitions } from '../../../../src/inspect/machine-definitions.js';
import { fakeServerMachine } from '../../../support/fake-machines.js';

// 7 px a character: close enough to the page's fonts for geometry checks.
const measure: Measure = (text) => text.length * 7;

function overlaps(a: BoxLayout, b: BoxLayout): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function contains(outer: BoxLayout, inner: BoxLayout): boolean {
  return (
    inner.x >= outer.x &&
    inner.y >= outer.y &&
    inner.x + inner.width <= outer.x + outer.width &&
    inner.y + inner.height <= outer.y + outer.height
  );
}

describe('parseMachine', () => {
  const parsed = parseMachine(JSON.parse(JSON.stringify(fakeServerMachine.toJSON())));

  it('reads the state tree with paths, types, descriptions and initial states', () => {
    expect([...parsed.states.keys()]).toEqual([
      '',
      'stopped',
      'starting',
      'running',
      'stopping',
      'crashed',
      'crashed.backoff',
      'crashed.gaveUp',
    ]);
    expect(parsed.root.initial).toBe('stopped');
    expect(parsed.states.get('crashed')).toMatchObject({ type: 'compound', initial: 'crashed.backoff' });
    expect(parsed.states.get('stopping')?.description).toMatch(/SIGTERM/);
    expect(parsed.states.get('starting')?.invokes).toEqual(['spawn']);
  });

  it('reads transitions with readable labels, guards and delayed events', () => {
    const labels = parsed.transitions.map((t) => `${t.source} -${t.label}-> ${t.targets.join(',')}`);
    expect(labels).toEqual(
      expect.arrayContaining([
        'stopped -server.start-> starting',
        'running -server.restart-> stopping',
        'stopping -process.exited [isRestarting]-> starting',
        'stopping -process.exited-> stopped',
        'crashed.backoff -after restartBackoff-> crashed.gaveUp',
      ]),
    );
  });

  it('labels numeric delays and invoked actor outcomes', () => {
    const machine = createMachine({
      id: 'm',
      initial: 'a',
      states: {
        a: { after: { 30000: 'b' } },
        b: { invoke: { src: 'fetchModels', id: 'fetch', onDone: 'a', onError: 'c' } },
        c: { type: 'final' },
      },
    });
    const labels = parseMachine(JSON.parse(JSON.stringify(machine.toJSON()))).transitions.map((t) => t.label);
    expect(labels).toEqual(['after 30s', 'done: fetchModels', 'error: fetchModels']);
  });

  it('refuses something that is not a machine definition', () => {
    expect(() => parseMachine(null)).toThrow(/not an object/);
    expect(() => parseMachine({ id: 'x' })).toThrow(/no states/);
  });
});

describe('layoutMachine', () => {
  const parsed = parseMachine(JSON.parse(JSON.stringify(fakeServerMachine.toJSON())));
  const layout = layoutMachine(parsed, measure);
  const box = (path: string): BoxLayout => {
    const found = layout.boxes.find((b) => b.path === path);
    if (!found) throw new Error(`no box for ${path}`);
    return found;
  };

  it('draws a box for every state and keeps sibling boxes apart and children inside their parent', () => {
    expect(layout.boxes.map((b) => b.path).sort()).toEqual(
      ['crashed', 'crashed.backoff', 'crashed.gaveUp', 'running', 'starting', 'stopped', 'stopping'].sort(),
    );
    const top = layout.boxes.filter((b) => !b.path.includes('.'));
    for (const a of top) for (const b of top) if (a !== b) expect(overlaps(a, b)).toBe(false);
    expect(contains(box('crashed'), box('crashed.backoff'))).toBe(true);
    expect(contains(box('crashed'), box('crashed.gaveUp'))).toBe(true);
    for (const b of layout.boxes) {
      expect(b.x).toBeGreaterThanOrEqual(0);
      expect(b.y).toBeGreaterThanOrEqual(0);
      expect(b.x + b.width).toBeLessThanOrEqual(layout.width);
      expect(b.y + b.height).toBeLessThanOrEqual(layout.height);
    }
  });

  it('puts states in columns by distance from the initial state', () => {
    expect(box('stopped').x).toBeLessThan(box('starting').x);
    expect(box('starting').x).toBeLessThan(box('running').x);
    expect(box('running').x).toBeLessThan(box('stopping').x);
  });

  it('draws one labelled arrow per source and target, listing all its events', () => {
    const edge = layout.edges.find((e) => e.source === 'stopped' && e.target === 'starting');
    expect(edge?.labels).toEqual(['server.start', 'server.restart']);
    expect(edge?.d).toMatch(/^M [\d.]+ [\d.]+ C /);
    for (const e of layout.edges) {
      expect(e.labelX).toBeGreaterThanOrEqual(0);
      expect(e.labelY).toBeGreaterThanOrEqual(0);
      expect(e.labelY).toBeLessThanOrEqual(layout.height);
    }
    const targeted = new Set(parsed.transitions.flatMap((t) => t.targets.map((target) => `${t.source}→${target}`)));
    expect(new Set(layout.edges.map((e) => `${e.source}→${e.target}`))).toEqual(targeted);
  });

  it('keeps arrow labels of neighbouring columns off the boxes', () => {
    for (const e of layout.edges) {
      const label = { path: 'label', state: parsed.root, lines: [], x: e.labelX - e.labelWidth / 2, y: e.labelY - e.labelHeight / 2, width: e.labelWidth, height: e.labelHeight };
      const hit = layout.boxes.filter((b) => b.state.children.length === 0 && overlaps(label, b));
      expect({ edge: `${e.source}→${e.target}`, hits: hit.map((b) => b.path) }).toEqual({ edge: `${e.source}→${e.target}`, hits: [] });
    }
  });

  it('marks the initial state of the machine and of each compound state', () => {
    expect(layout.initials.map((i) => i.target).sort()).toEqual(['crashed.backoff', 'stopped']);
  });

  it('finds the arrow an event just took', () => {
    const taken = takenEdges(layout.edges, activePaths('running'), activePaths('stopping'), 'server.restart');
    expect(taken.map((e) => `${e.source}→${e.target}`)).toEqual(['running→stopping']);
    expect(takenEdges(layout.edges, activePaths('running'), activePaths('stopping'), 'other')).toEqual([]);
  });
});

describe('layoutMachine with parallel and deep states', () => {
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
  const parsed = parseMachine(JSON.parse(JSON.stringify(machine.toJSON())));
  const layout = layoutMachine(parsed, measure);
  const box = (path: string): BoxLayout => layout.boxes.find((b) => b.path === path) as BoxLayout;

  it('puts parallel regions side by side inside their state, without initial markers for the regions', () => {
    expect(box('busy.upload').x + box('busy.upload').width).toBeLessThanOrEqual(box('busy.probe').x);
    expect(contains(box('busy'), box('busy.upload.sending'))).toBe(true);
    expect(contains(box('busy'), box('busy.probe.failed'))).toBe(true);
    expect(layout.initials.map((i) => i.target).sort()).toEqual(['busy', 'busy.probe.waiting', 'busy.upload.sending']);
  });

  it('lists transitions of the machine itself instead of drawing them', () => {
    expect(layout.globalTransitions).toEqual([{ label: 'reset', targets: ['idle'] }]);
  });

  it('labels delays in seconds and lights every region of a parallel value', () => {
    expect(layout.edges.find((e) => e.source === 'busy.probe.waiting')?.labels).toEqual(['after 1.5s']);
    expect(activePaths({ busy: { upload: 'sending', probe: 'failed' } })).toEqual([
      'busy',
      'busy.upload',
      'busy.upload.sending',
      'busy.probe',
      'busy.probe.failed',
    ]);
  });
});

describe('layoutMachine on the machines the supervisor runs', () => {
  const asBox = (e: EdgeLayout): BoxLayout => ({
    path: `label ${e.source}→${e.target}`,
    state: { path: '', key: '', id: '', type: 'atomic', description: null, initial: null, children: [], invokes: [] },
    lines: [],
    x: e.labelX - e.labelWidth / 2,
    y: e.labelY - e.labelHeight / 2,
    width: e.labelWidth,
    height: e.labelHeight,
  });

  it.each(Object.keys(machineDefinitions))('keeps the arrow labels of %s off its state boxes, off each other and inside the drawing', (name) => {
    const layout = layoutMachine(parseMachine(JSON.parse(JSON.stringify(machineDefinitions[name]?.toJSON()))), measure);
    const labels = layout.edges.map(asBox);
    const atomic = layout.boxes.filter((b) => b.state.children.length === 0);
    const clashes = labels.flatMap((label, i) => [
      ...atomic.filter((b) => overlaps(label, b)).map((b) => `${label.path} covers ${b.path}`),
      ...labels.slice(0, i).filter((other) => overlaps(label, other)).map((other) => `${label.path} covers ${other.path}`),
      ...(label.x < 0 || label.y < 0 || label.x + label.width > layout.width || label.y + label.height > layout.height ? [`${label.path} is cut off`] : []),
    ]);
    expect(clashes).toEqual([]);
  });
});
