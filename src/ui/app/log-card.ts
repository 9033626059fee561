// The server log card: the log stream (resumed with Last-Event-ID after a drop and after "Stream live" is turned
// back on, so no line is lost or repeated), the log view, and its tools: search, level, pause, copy, download, wrap
// and local time.
import { api, type LogEvent } from './api.js';
import { byId, errorMessage, setText } from './dom.js';
import { followStream, type FollowHandle } from './follow-stream.js';
import { stripAnsi } from './format.js';
import { LogView, type LogViewStats } from './log-view.js';
import type { LogLevelFilter, SettingsContext } from './settings.context.js';
import type { SettingsStore } from './settings.store.js';

/** Lines the log starts with. */
const backfillLines = 200;

const el = {
  state: byId('log-state', HTMLElement),
  live: byId('live', HTMLInputElement),
  search: byId('log-search', HTMLInputElement),
  level: byId('log-level', HTMLSelectElement),
  pause: byId('btn-log-pause', HTMLButtonElement),
  copy: byId('btn-log-copy', HTMLButtonElement),
  download: byId('btn-log-download', HTMLButtonElement),
  wrap: byId('log-wrap', HTMLInputElement),
  localTime: byId('log-local-time', HTMLInputElement),
  note: byId('log-note', HTMLElement),
  box: byId('log', HTMLElement),
  latest: byId('btn-latest', HTMLButtonElement),
  summary: byId('log-summary', HTMLElement),
};

const streamText: Record<SettingsContext['logStream'], string> = {
  connecting: 'Connecting…',
  open: 'Live',
  down: 'Reconnecting…',
  off: 'Not streaming',
};

/** What the rest of the page needs of the log card. */
export interface LogCard {
  /** The newest lines received (for diagnostics). */
  lastLines(count: number): string[];
  render(ctx: SettingsContext): void;
}

/** Wires the log card to the store and starts streaming. */
export function startLogCard(store: SettingsStore): LogCard {
  let stats: LogViewStats = { total: 0, shown: 0, pending: 0 };
  // What Copy or Download did; it goes once the tools change (the state it was about moved on).
  let message = '';
  let messageFor = '';
  const toolState = (ctx: SettingsContext): string => JSON.stringify([ctx.logPaused, ctx.logFilterText, ctx.logLevel, ctx.logWrap, ctx.logLocalTime]);
  const view = new LogView(
    { box: el.box, latest: el.latest, summary: el.summary },
    {
      onStats: (next) => {
        stats = next;
        renderNote(store.getSnapshot().context);
      },
    },
  );

  let stream: FollowHandle | null = null;
  let lastEventId: string | null = null;
  const open = (): void => {
    stream = followStream<LogEvent>({
      open: (options) => api.logs(backfillLines, options),
      idOf: (event) => event.id,
      lastEventId,
      onEvent: (event) => (event.kind === 'line' ? view.push(stripAnsi(event.line)) : view.push(event.error, true)),
      onOpen: () => store.trigger.logOpened(),
      onDown: () => store.trigger.logDown(),
    });
  };

  el.live.addEventListener('change', () => {
    store.trigger.liveToggled({ live: el.live.checked });
    if (el.live.checked) {
      // Back on: resume right after the last line received.
      if (!stream) open();
    } else if (stream) {
      stream.close();
      lastEventId = stream.lastEventId;
      stream = null;
    }
  });
  const setFilter = (): void => store.trigger.logFilterSet({ text: el.search.value, level: el.level.value as LogLevelFilter });
  el.search.addEventListener('input', setFilter);
  el.level.addEventListener('change', setFilter);
  el.pause.addEventListener('click', () => store.trigger.logPausedSet({ paused: !store.getSnapshot().context.logPaused }));
  el.wrap.addEventListener('change', () => store.trigger.logWrapSet({ wrap: el.wrap.checked }));
  el.localTime.addEventListener('change', () => store.trigger.logLocalTimeSet({ localTime: el.localTime.checked }));
  el.copy.addEventListener('click', () => {
    const text = view.shownText();
    navigator.clipboard.writeText(text).then(
      () => say(`Copied ${stats.shown} ${stats.shown === 1 ? 'line' : 'lines'}.`),
      (error: unknown) => say(`Could not copy: ${errorMessage(error)}. Use Download instead.`),
    );
  });
  el.download.addEventListener('click', () => {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
    downloadText(`server-log-${stamp}.txt`, `${view.shownText()}\n`);
    say(`Downloaded ${stats.shown} ${stats.shown === 1 ? 'line' : 'lines'}.`);
  });
  el.box.addEventListener('scroll', () => {
    if (el.box.scrollHeight - el.box.scrollTop - el.box.clientHeight < 8) el.latest.hidden = true;
  });
  el.latest.addEventListener('click', () => {
    el.box.scrollTop = el.box.scrollHeight;
    el.latest.hidden = true;
  });
  // Frames do not run in a hidden tab: what arrived meanwhile is drawn at once when it shows again.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') view.flushNow();
  });

  function say(text: string): void {
    message = text;
    messageFor = toolState(store.getSnapshot().context);
    renderNote(store.getSnapshot().context);
  }

  function renderNote(ctx: SettingsContext): void {
    if (message && toolState(ctx) !== messageFor) message = '';
    const parts: string[] = [];
    if (ctx.logPaused) parts.push(`Paused${stats.pending ? ` — ${stats.pending.toLocaleString('en')} new ${stats.pending === 1 ? 'line' : 'lines'} waiting` : ''}.`);
    if (ctx.logFilterText.trim() || ctx.logLevel !== 'all') parts.push(`Showing ${stats.shown.toLocaleString('en')} of ${stats.total.toLocaleString('en')} lines.`);
    if (message) parts.push(message);
    setText(el.note, parts.join(' '));
  }

  let filterKey = '';
  open();
  return {
    lastLines: (count) => view.lastLines(count),
    render(ctx) {
      setText(el.state, streamText[ctx.logStream]);
      el.state.dataset['state'] = ctx.logStream;
      el.live.checked = ctx.live;
      const key = `${ctx.logFilterText}\u0000${ctx.logLevel}`;
      if (key !== filterKey) {
        filterKey = key;
        view.setFilter({ text: ctx.logFilterText, level: ctx.logLevel });
      }
      view.setLocalTime(ctx.logLocalTime);
      view.setPaused(ctx.logPaused);
      el.pause.setAttribute('aria-pressed', String(ctx.logPaused));
      el.box.dataset['wrap'] = String(ctx.logWrap);
      el.wrap.checked = ctx.logWrap;
      el.localTime.checked = ctx.logLocalTime;
      renderNote(ctx);
    },
  };
}

/** Saves text as a file through the browser's download. */
export function downloadText(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
