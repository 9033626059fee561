// The Inspector page (/supervisor/ui/inspector): every actor's machine laid out by ELK and drawn from its
// definition, the current state lit from the inspection stream, a timeline of events that starts with the recent
// past, and time travel: selecting an entry shows every diagram as it was right after it.
import { api, streamUrls } from './api.js';
import { byId, errorMessage, h, setText } from './dom.js';
import { createViewport, type Viewport } from './diagram-viewport.js';
import { openEventStream } from './event-stream.js';
import { formatStateValue } from './inspection.js';
import { formatLocalTime, parseEventRecord, parseSnapshotRecord, parseStartedRecord } from './inspector-records.js';
import {
  actorOrder,
  createInspectorStore,
  momentAfter,
  visibleTimeline,
  type ActorMoment,
  type InspectorContext,
  type TimelineEntry,
} from './inspector.store.js';
import { drawMachine, type MachineView } from './machine-view.js';
import { renderConnection } from './shell.js';

const store = createInspectorStore();
const pageStartedAt = performance.now();

const el = {
  machines: byId('machines', HTMLElement),
  filter: byId('timeline-filter', HTMLSelectElement),
  clear: byId('btn-clear', HTMLButtonElement),
  live: byId('btn-live', HTMLButtonElement),
  travel: byId('time-travel', HTMLElement),
  travelText: byId('time-travel-text', HTMLElement),
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
      const snapshot = parseSnapshotRecord(data);
      if (snapshot) store.trigger.snapshotReceived({ snapshot });
    },
    event: (data) => {
      const event = parseEventRecord(data);
      if (event) store.trigger.eventReceived({ event });
    },
    started: (data) => {
      const started = parseStartedRecord(data);
      if (started) store.trigger.startedReceived({ started });
    },
  },
  onOpen: () => {
    store.trigger.inspectionOpened();
    // The supervisor may have restarted with other machines.
    void loadMachines();
  },
  // A new connection replays the recent past again: start from it rather than doubling it.
  onFresh: () => store.trigger.streamReset(),
  onDown: () => store.trigger.inspectionLost(),
});

el.filter.addEventListener('change', () => store.trigger.filterChanged({ actor: el.filter.value || null }));
el.clear.addEventListener('click', () => store.trigger.timelineCleared());
el.live.addEventListener('click', () => store.trigger.liveSelected());
el.timeline.addEventListener('click', (event) => {
  const button = (event.target as Element).closest('button.entry-select');
  const seq = Number(button?.closest('li')?.getAttribute('data-seq'));
  if (button && Number.isFinite(seq)) store.trigger.entrySelected({ seq });
});

// ---- machines -----------------------------------------------------------------------------------------------

interface MachineCard {
  root: HTMLElement;
  view: MachineView | null;
  viewport: Viewport | null;
  drawing: HTMLElement;
  value: HTMLElement;
  status: HTMLElement;
  context: HTMLElement;
  zoom: HTMLElement;
  /** What the diagram shows now, so it is redrawn only when that changes. */
  shown: string;
}

const cards = new Map<string, MachineCard>();
let machinesRef: InspectorContext['machines'] = null;

function zoomButton(label: string, title: string, action: (viewport: Viewport) => void, card: () => MachineCard | undefined): HTMLButtonElement {
  const button = h('button', { type: 'button', class: 'btn btn-small', title, 'aria-label': title }, label);
  button.addEventListener('click', () => {
    const viewport = card()?.viewport;
    if (viewport) action(viewport);
  });
  return button;
}

function buildCard(actor: string, definition: unknown): MachineCard {
  const headingId = `machine-${actor.replace(/[^\w-]/g, '_')}`;
  const value = h('span', { class: 'state-chip', 'data-role': 'value' }, '…');
  const status = h('span', { class: 'muted small', 'data-role': 'status' });
  const context = h('pre', { class: 'json' });
  const zoom = h('span', { class: 'zoom-level muted small', 'data-role': 'zoom', 'aria-live': 'polite' });
  const drawing = h('div', { class: 'diagram' }, h('p', { class: 'muted small' }, 'Laying out…'));
  const get = () => cards.get(actor);
  const tools = h(
    'div',
    { class: 'diagram-tools', role: 'toolbar', 'aria-label': `Zoom ${actor}` },
    zoomButton('−', 'Zoom out', (v) => v.zoomBy(1 / 1.25), get),
    zoomButton('+', 'Zoom in', (v) => v.zoomBy(1.25), get),
    zoomButton('Fit', 'Fit the whole machine', (v) => v.fit(), get),
    // The name holds the visible text ("100%"), so speech input and screen readers agree on what it is called.
    zoomButton('100%', 'Actual size, 100%', (v) => v.actualSize(), get),
    zoom,
  );
  const root = h(
    'section',
    { class: 'card machine', 'data-actor': actor, 'aria-labelledby': headingId },
    h('div', { class: 'card-head' }, h('h2', { id: headingId }, actor), value, status, h('span', { class: 'push-right' }), tools),
    drawing,
    h('details', { class: 'context' }, h('summary', {}, 'Context'), context),
  );
  const card: MachineCard = { root, view: null, viewport: null, drawing, value, status, context, zoom, shown: '' };
  void layOut(actor, definition, card);
  return card;
}

// ELK lays a machine out asynchronously; the card shows it once it is ready.
async function layOut(actor: string, definition: unknown, card: MachineCard): Promise<void> {
  try {
    const view = await drawMachine(actor, definition);
    if (cards.get(actor) !== card) return;
    card.view = view;
    card.drawing.replaceChildren(view.svg);
    card.viewport = createViewport(view.svg, view.content, view.layout, (v) => setText(card.zoom, `${Math.round(v.zoom * 100)}%`));
    card.shown = '';
    render(store.getSnapshot().context);
    if (el.machines.querySelectorAll('.diagram svg').length === cards.size) {
      document.documentElement.dataset['firstRenderMs'] = String(Math.round(performance.now() - pageStartedAt));
    }
  } catch (error) {
    card.drawing.replaceChildren(h('p', { class: 'error-text' }, `Cannot draw this machine: ${errorMessage(error)}`));
  }
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
  const past = ctx.selected === null ? null : momentAfter(ctx, ctx.selected);
  for (const [name, card] of cards) {
    const live = ctx.actors[name];
    const moment: ActorMoment | null = past
      ? (past[name] ?? null)
      : live
        ? { value: live.value, previous: live.previous, eventType: live.lastEventType }
        : null;
    renderActor(card, moment, live?.status ?? '', live?.context ?? null, past !== null);
  }
}

function renderActor(card: MachineCard, moment: ActorMoment | null, status: string, context: unknown, past: boolean): void {
  setText(card.value, moment ? formatStateValue(moment.value) : past ? 'not on the timeline' : '…');
  card.root.classList.toggle('is-past', past);
  setText(card.status, !past && status && status !== 'active' ? status : '');
  if (!past) setText(card.context, JSON.stringify(context, null, 2));
  const key = JSON.stringify(moment);
  if (!card.view || card.shown === key) return;
  card.shown = key;
  if (moment) card.view.show(moment.value, moment.previous, moment.eventType);
  else card.view.show(null, null, null);
}

// ---- timeline -----------------------------------------------------------------------------------------------

let shownFilter: string | null | undefined;
let shownSelected: number | null | undefined;
let topSeq = 0;
let timelineRef: TimelineEntry[] | null = null;

// An entry drawn already marked as selected or not, so new entries need no pass over the whole list.
function entryElement(entry: TimelineEntry, selected: number | null): HTMLLIElement {
  const isSelected = entry.seq === selected;
  const selectedClass = isSelected ? ' is-selected' : '';
  if (entry.kind === 'started') {
    return h(
      'li',
      { class: `entry entry--started${selectedClass}`, 'data-seq': entry.seq, 'data-replayed': String(entry.replayed) },
      h('time', { datetime: new Date(entry.at).toISOString(), class: 'entry-time' }, formatLocalTime(entry.at)),
      h('span', { class: 'entry-title' }, `Supervisor started (pid ${String(entry.payload['pid'])}, v${String(entry.payload['version'])})`),
    );
  }
  // The title already says the event type.
  const { type: _type, ...rest } = entry.payload;
  const payload = entry.kind === 'event' ? rest : entry.payload;
  const json = JSON.stringify(payload);
  const short = json.length <= 72;
  return h(
    'li',
    {
      class: `entry entry--${entry.kind}${entry.error ? ' entry--error' : ''}${selectedClass}`,
      'data-seq': entry.seq,
      'data-actor': entry.actor,
      'data-replayed': String(entry.replayed),
    },
    h('time', { datetime: new Date(entry.at).toISOString(), class: 'entry-time' }, formatLocalTime(entry.at)),
    h('span', { class: 'actor-chip', 'data-actor': entry.actor }, entry.actor),
    h(
      'button',
      { type: 'button', class: 'entry-select entry-title', title: 'Show the machines as they were right after this', 'aria-pressed': String(isSelected) },
      entry.title,
    ),
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
  renderTimeTravel(ctx);
  if (ctx.timeline === timelineRef && ctx.filter === shownFilter && ctx.selected === shownSelected) return;
  timelineRef = ctx.timeline;
  const visible = visibleTimeline(ctx);
  const newestSeq = ctx.timeline[0]?.seq ?? 0;
  if (ctx.filter !== shownFilter || visible.length === 0 || el.timeline.childElementCount === 0 || newestSeq < topSeq) {
    shownFilter = ctx.filter;
    el.timeline.replaceChildren(...visible.map((entry) => entryElement(entry, ctx.selected)));
  } else {
    // Entries only arrive at the top and fall off the bottom: add the new, drop the old.
    const fresh = visible.filter((e) => e.seq > topSeq);
    el.timeline.prepend(...fresh.map((entry) => entryElement(entry, ctx.selected)));
    const oldest = visible[visible.length - 1]?.seq ?? 0;
    while (el.timeline.lastElementChild && Number((el.timeline.lastElementChild as HTMLElement).dataset['seq']) < oldest) {
      el.timeline.lastElementChild.remove();
    }
  }
  // Entries drawn before the selection moved are re-marked only when it does, not on every new entry.
  if (ctx.selected !== shownSelected) {
    shownSelected = ctx.selected;
    for (const li of el.timeline.children) {
      const selected = Number((li as HTMLElement).dataset['seq']) === ctx.selected;
      li.classList.toggle('is-selected', selected);
      li.querySelector('button.entry-select')?.setAttribute('aria-pressed', String(selected));
    }
  }
  topSeq = newestSeq;
  setText(el.count, `${visible.length} ${visible.length === 1 ? 'entry' : 'entries'}`);
  el.timeline.dataset['empty'] = String(visible.length === 0);
}

function renderTimeTravel(ctx: InspectorContext): void {
  const entry = ctx.selected === null ? null : ctx.timeline.find((e) => e.seq === ctx.selected);
  el.travel.hidden = !entry;
  el.live.disabled = !entry;
  document.body.dataset['timeTravel'] = String(Boolean(entry));
  if (entry) {
    const what = entry.actor ? `${entry.actor} ${entry.title}` : entry.title;
    setText(el.travelText, `Showing the machines right after ${what} at ${formatLocalTime(entry.at)}.`);
  }
}

function render(ctx: InspectorContext): void {
  renderConnection(ctx.connection);
  renderMachines(ctx);
  renderTimeline(ctx);
}

store.subscribe((snapshot) => render(snapshot.context));
render(store.getSnapshot().context);

