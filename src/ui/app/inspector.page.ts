// The Inspector page (/supervisor/ui/inspector): every actor's machine drawn from its definition, the current
// state lit from the inspection stream, and a timeline of events with their payloads.
import { api, streamUrls } from './api.js';
import { byId, errorMessage, h, setText } from './dom.js';
import { openEventStream } from './event-stream.js';
import { formatClock } from './format.js';
import { formatStateValue, parseEvent, parseSnapshot } from './inspection.js';
import {
  actorOrder,
  createInspectorStore,
  visibleTimeline,
  type ActorView,
  type InspectorContext,
  type TimelineEntry,
} from './inspector.store.js';
import { drawMachine, type MachineView } from './machine-view.js';
import { renderConnection } from './shell.js';

const store = createInspectorStore();

const el = {
  machines: byId('machines', HTMLElement),
  filter: byId('timeline-filter', HTMLSelectElement),
  clear: byId('btn-clear', HTMLButtonElement),
  timeline: byId('timeline', HTMLOListElement),
  count: byId('timeline-count', HTMLElement),
};

// ---- effects ------------------------------------------------------------------------------------------------

async function loadMachines(): Promise<void> {
  try {
    const { machines } = await api.getMachines();
    store.trigger.machinesLoaded({ machines: machines ?? {} });
  } catch (error) {
    store.trigger.machinesFailed({ message: errorMessage(error) });
  }
}

openEventStream({
  url: streamUrls.inspect,
  listeners: {
    snapshot: (data) => {
      const snapshot = parseSnapshot(data);
      if (snapshot) store.trigger.snapshotReceived({ snapshot });
    },
    event: (data) => {
      const event = parseEvent(data);
      if (event) store.trigger.eventReceived({ event });
    },
  },
  onOpen: () => {
    store.trigger.inspectionOpened();
    // The supervisor may have restarted with other machines.
    void loadMachines();
  },
  onDown: () => store.trigger.inspectionLost(),
});

el.filter.addEventListener('change', () => store.trigger.filterChanged({ actor: el.filter.value || null }));
el.clear.addEventListener('click', () => store.trigger.timelineCleared());

// ---- machines -----------------------------------------------------------------------------------------------

interface MachineCard {
  root: HTMLElement;
  view: MachineView | null;
  value: HTMLElement;
  status: HTMLElement;
  context: HTMLElement;
  shownChanges: number;
}

const cards = new Map<string, MachineCard>();
let machinesRef: InspectorContext['machines'] = null;

function buildCard(actor: string, definition: unknown): MachineCard {
  const headingId = `machine-${actor.replace(/[^\w-]/g, '_')}`;
  const value = h('span', { class: 'state-chip', 'data-role': 'value' }, '…');
  const status = h('span', { class: 'muted small', 'data-role': 'status' });
  const context = h('pre', { class: 'json' });
  let view: MachineView | null = null;
  let drawing: HTMLElement;
  try {
    view = drawMachine(actor, definition);
    const globals = view.layout.globalTransitions;
    drawing = h(
      'div',
      {},
      h('div', { class: 'svg-wrap' }, view.svg),
      globals.length
        ? h('p', { class: 'muted small global' }, `From any state: ${globals.map((g) => `${g.label} → ${g.targets.join(', ') || '(stays)'}`).join('; ')}`)
        : null,
    );
  } catch (error) {
    drawing = h('p', { class: 'error-text' }, `Cannot draw this machine: ${errorMessage(error)}`);
  }
  const root = h(
    'section',
    { class: 'card machine', 'data-actor': actor, 'aria-labelledby': headingId },
    h('div', { class: 'card-head' }, h('h2', { id: headingId }, actor), value, status),
    drawing,
    h('details', { class: 'context' }, h('summary', {}, 'Context'), context),
  );
  return { root, view, value, status, context, shownChanges: -1 };
}

function renderMachines(ctx: InspectorContext): void {
  if (ctx.machines !== machinesRef) {
    machinesRef = ctx.machines;
    cards.clear();
    const names = actorOrder(Object.keys(ctx.machines ?? {}));
    for (const name of names) cards.set(name, buildCard(name, ctx.machines?.[name]));
    el.machines.replaceChildren(...[...cards.values()].map((c) => c.root));
  }
  if (ctx.machines === null) {
    const text = ctx.machinesError ? `Could not load the machine definitions: ${ctx.machinesError}` : 'Loading machines…';
    if (el.machines.textContent !== text) el.machines.replaceChildren(h('p', { class: 'card muted' }, text));
    return;
  }
  for (const [name, card] of cards) renderActor(card, ctx.actors[name]);
}

function renderActor(card: MachineCard, actor: ActorView | undefined): void {
  if (!actor) return;
  setText(card.value, formatStateValue(actor.value));
  setText(card.status, actor.status === 'active' ? '' : actor.status);
  const json = JSON.stringify(actor.context, null, 2);
  setText(card.context, json);
  if (card.shownChanges !== actor.changes) {
    card.shownChanges = actor.changes;
    card.view?.show(actor.value, actor.previous, actor.lastEventType);
  }
}

// ---- timeline -----------------------------------------------------------------------------------------------

let shownFilter: string | null | undefined;
let topSeq = 0;
let timelineRef: TimelineEntry[] | null = null;

function entryElement(entry: TimelineEntry): HTMLLIElement {
  // The title already says the event type.
  const { type: _type, ...rest } = entry.payload;
  const payload = entry.kind === 'event' ? rest : entry.payload;
  const json = JSON.stringify(payload);
  const short = json.length <= 72;
  return h(
    'li',
    { class: `entry entry--${entry.kind}`, 'data-seq': entry.seq, 'data-actor': entry.actor },
    h('time', { datetime: new Date(entry.at).toISOString(), class: 'entry-time' }, formatClock(entry.at)),
    h('span', { class: 'actor-chip', 'data-actor': entry.actor }, entry.actor),
    h('span', { class: 'entry-title' }, entry.title),
    json === '{}'
      ? null
      : short
        ? h('code', { class: 'entry-payload' }, json)
        : h(
            'details',
            { class: 'entry-payload' },
            h('summary', {}, entry.kind === 'snapshot' ? 'context' : 'payload'),
            h('pre', { class: 'json' }, JSON.stringify(payload, null, 2)),
          ),
  );
}

function renderTimeline(ctx: InspectorContext): void {
  const actors = actorOrder([...Object.keys(ctx.machines ?? {}), ...Object.keys(ctx.actors)]);
  const optionsKey = actors.join('|');
  if (el.filter.dataset['key'] !== optionsKey) {
    el.filter.dataset['key'] = optionsKey;
    el.filter.replaceChildren(h('option', { value: '' }, 'All actors'), ...actors.map((a) => h('option', { value: a }, a)));
  }
  el.filter.value = ctx.filter ?? '';
  if (ctx.timeline === timelineRef && ctx.filter === shownFilter) return;
  timelineRef = ctx.timeline;
  const visible = visibleTimeline(ctx);
  const newestSeq = ctx.timeline[0]?.seq ?? 0;
  if (ctx.filter !== shownFilter || visible.length === 0 || el.timeline.childElementCount === 0) {
    shownFilter = ctx.filter;
    el.timeline.replaceChildren(...visible.map(entryElement));
  } else {
    // Entries only arrive at the top and fall off the bottom: add the new, drop the old.
    const fresh = visible.filter((e) => e.seq > topSeq);
    el.timeline.prepend(...fresh.map(entryElement));
    const oldest = visible[visible.length - 1]?.seq ?? 0;
    while (el.timeline.lastElementChild && Number((el.timeline.lastElementChild as HTMLElement).dataset['seq']) < oldest) {
      el.timeline.lastElementChild.remove();
    }
  }
  topSeq = newestSeq;
  setText(el.count, `${visible.length} ${visible.length === 1 ? 'entry' : 'entries'}`);
  el.timeline.dataset['empty'] = String(visible.length === 0);
}

function render(ctx: InspectorContext): void {
  renderConnection(ctx.connection);
  renderMachines(ctx);
  renderTimeline(ctx);
}

store.subscribe((snapshot) => render(snapshot.context));
render(store.getSnapshot().context);
