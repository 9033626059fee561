// Draws the history panel: one row per event (time, what happened, signal or exit code, how long it ran), a crash
// opening to the log lines the server wrote last. Rows that are open stay open when the list is redrawn.
import { byId, h } from './dom.js';
import { historyRows, type HistoryRow } from './history.view.js';
import type { SettingsContext } from './settings.context.js';

export const historyEls = {
  list: byId('history', HTMLOListElement),
  diagnostics: byId('btn-diagnostics', HTMLButtonElement),
  diagnosticsNote: byId('diagnostics-note', HTMLElement),
};

let listKey = '';

function rowLine(row: HistoryRow): (HTMLElement | string)[] {
  return [
    h('time', { class: 'history-when', datetime: row.at }, row.when),
    h('span', { class: 'history-what' }, row.title),
    row.exit ? h('span', { class: 'history-exit' }, row.exit) : '',
    row.ranFor ? h('span', { class: 'history-ran' }, row.ranFor) : '',
  ];
}

function rowElement(row: HistoryRow, open: boolean): HTMLElement {
  if (!row.tail) return h('li', { class: 'history-row', 'data-tone': row.tone, 'data-seq': row.seq }, h('div', { class: 'history-line' }, ...rowLine(row)));
  const tail = row.tail.length ? row.tail.join('\n') : '(the server wrote nothing before it ended)';
  return h(
    'li',
    { class: 'history-row', 'data-tone': row.tone, 'data-seq': row.seq },
    h(
      'details',
      { class: 'history-crash', open },
      h('summary', { class: 'history-line' }, ...rowLine(row)),
      h('p', { class: 'history-tail-title' }, 'Last lines the server wrote:'),
      h('pre', { class: 'history-tail' }, tail),
    ),
  );
}

/** Draws the list (only when its events changed, or once a minute for the times). */
export function renderHistoryCard(ctx: SettingsContext, now: number): void {
  const list = historyEls.list;
  const key = `${ctx.history.map((e) => e.seq).join(',')}|${Math.floor(now / 60_000)}|${ctx.historyLoaded}`;
  if (key === listKey) return;
  listKey = key;
  const open = new Set([...list.querySelectorAll('details[open]')].map((d) => d.closest('li')?.dataset['seq']));
  const rows = historyRows(ctx.history, now);
  if (rows.length === 0) {
    list.replaceChildren(h('li', { class: 'history-empty' }, ctx.historyLoaded ? 'Nothing has happened yet.' : 'Loading the history…'));
  } else {
    list.replaceChildren(...rows.map((row) => rowElement(row, open.has(String(row.seq)))));
  }
  list.dataset['empty'] = String(rows.length === 0);
}
