// The Settings page (/supervisor/ui/): wires the API and the two event streams to the store, and renders it.
import { api, ApiError, streamUrls, type ServerCommand } from './api.js';
import { byId, errorMessage, h, setText } from './dom.js';
import { openEventStream, type EventStreamHandle } from './event-stream.js';
import { formatBytes, formatVersion, stripAnsi } from './format.js';
import { parseEvent, parseSnapshot } from './inspection.js';
import { createSettingsStore, currentModel, type LogLine, type SettingsContext } from './settings.store.js';
import {
  canApplyModel,
  commandEnabled,
  modelDetails,
  modelGroups,
  shownModel,
  statusBadge,
  uptimeText,
} from './settings.view.js';
import { renderConnection } from './shell.js';

const store = createSettingsStore();

const el = {
  badge: byId('server-badge', HTMLElement),
  uptime: byId('server-uptime', HTMLElement),
  pid: byId('fact-pid', HTMLElement),
  port: byId('fact-port', HTMLElement),
  serverVersion: byId('fact-server-version', HTMLElement),
  supervisorVersion: byId('fact-supervisor-version', HTMLElement),
  restarts: byId('fact-restarts', HTMLElement),
  resources: byId('fact-resources', HTMLElement),
  lastError: byId('last-error', HTMLElement),
  buttons: {
    start: byId('btn-start', HTMLButtonElement),
    stop: byId('btn-stop', HTMLButtonElement),
    restart: byId('btn-restart', HTMLButtonElement),
  } satisfies Record<ServerCommand, HTMLButtonElement>,
  commandOutcome: byId('command-outcome', HTMLElement),
  modelSelect: byId('model-select', HTMLSelectElement),
  apply: byId('btn-apply', HTMLButtonElement),
  showAll: byId('show-all', HTMLInputElement),
  modelsNote: byId('models-note', HTMLElement),
  modelId: byId('model-id', HTMLElement),
  modelOutcome: byId('model-outcome', HTMLElement),
  live: byId('live', HTMLInputElement),
  logState: byId('log-state', HTMLElement),
  log: byId('log', HTMLElement),
  latest: byId('btn-latest', HTMLButtonElement),
};

// ---- effects ------------------------------------------------------------------------------------------------

// One status request at a time; snapshots that arrive meanwhile ask for exactly one more.
let statusInFlight = false;
let statusAgain = false;
async function refreshStatus(): Promise<void> {
  if (statusInFlight) {
    statusAgain = true;
    return;
  }
  statusInFlight = true;
  try {
    do {
      statusAgain = false;
      const requestedAtSeq = store.getSnapshot().context.snapshotSeq;
      try {
        const status = await api.getStatus();
        store.trigger.statusLoaded({ status, requestedAtSeq, at: Date.now() });
      } catch (error) {
        store.trigger.statusFailed({ message: errorMessage(error) });
      }
    } while (statusAgain);
  } finally {
    statusInFlight = false;
  }
}

async function loadModels(showAll: boolean): Promise<void> {
  store.trigger.modelsRequested({ showAll });
  try {
    store.trigger.modelsLoaded({ models: await api.getModels(showAll) });
  } catch (error) {
    store.trigger.modelsFailed({ message: errorMessage(error) });
  }
}

async function runCommand(command: ServerCommand): Promise<void> {
  const requestedAtSeq = store.getSnapshot().context.snapshotSeq;
  store.trigger.commandStarted({ command });
  try {
    const result = await api.serverCommand(command);
    store.trigger.commandSucceeded({ command, result, requestedAtSeq, at: Date.now() });
  } catch (error) {
    store.trigger.commandFailed({ command, message: errorMessage(error) });
  }
  void refreshStatus();
}

async function applyModel(): Promise<void> {
  const id = store.getSnapshot().context.selectedModel;
  if (id === null) return;
  store.trigger.applyStarted({ id });
  try {
    const result = await api.setDefaultModel(id);
    store.trigger.applySucceeded({ id, result });
  } catch (error) {
    const rolledBack = error instanceof ApiError && error.rolledBack;
    store.trigger.applyFailed({ id, message: errorMessage(error), rolledBack });
  }
  void loadModels(store.getSnapshot().context.showAll);
  void refreshStatus();
}

openEventStream({
  url: streamUrls.inspect,
  listeners: {
    snapshot: (data) => {
      const snapshot = parseSnapshot(data);
      if (snapshot?.actor !== 'server') return;
      store.trigger.serverObserved({ value: snapshot.value });
      void refreshStatus();
    },
    event: (data) => {
      if (parseEvent(data)?.actor === 'server') void refreshStatus();
    },
  },
  onOpen: () => {
    store.trigger.inspectionOpened();
    void refreshStatus();
    const ctx = store.getSnapshot().context;
    if (ctx.models === null || ctx.modelsError !== null) void loadModels(ctx.showAll);
  },
  onDown: () => store.trigger.inspectionLost(),
});

let logStream: EventStreamHandle | null = null;
function startLogStream(): void {
  logStream = openEventStream({
    url: streamUrls.logs(50, true),
    resume: true,
    listeners: {
      message: (data) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(data);
        } catch {
          return;
        }
        if (typeof parsed !== 'object' || parsed === null) return;
        const message = parsed as { line?: unknown; error?: unknown };
        if (typeof message.line === 'string') store.trigger.logLine({ text: stripAnsi(message.line) });
        else if (typeof message.error === 'string') store.trigger.logError({ message: message.error });
      },
    },
    onOpen: () => store.trigger.logOpened(),
    onDown: () => store.trigger.logDown(),
    onFresh: () => store.trigger.logCleared(),
  });
}

// ---- user input ---------------------------------------------------------------------------------------------

for (const [command, button] of Object.entries(el.buttons) as [ServerCommand, HTMLButtonElement][]) {
  button.addEventListener('click', () => void runCommand(command));
}
el.modelSelect.addEventListener('change', () => store.trigger.modelSelected({ id: el.modelSelect.value }));
el.apply.addEventListener('click', () => void applyModel());
el.showAll.addEventListener('change', () => void loadModels(el.showAll.checked));
el.live.addEventListener('change', () => {
  store.trigger.liveToggled({ live: el.live.checked });
  logStream?.close();
  logStream = null;
  if (el.live.checked) {
    // A new stream starts again from the last 50 lines.
    store.trigger.logCleared();
    startLogStream();
  }
});
el.log.addEventListener('scroll', () => {
  el.latest.hidden = isAtBottom(el.log);
});
el.latest.addEventListener('click', () => {
  el.log.scrollTop = el.log.scrollHeight;
  el.latest.hidden = true;
});

// ---- rendering ----------------------------------------------------------------------------------------------

function isAtBottom(box: HTMLElement): boolean {
  return box.scrollHeight - box.scrollTop - box.clientHeight < 8;
}

function renderStatus(ctx: SettingsContext): void {
  const badge = statusBadge(ctx);
  setText(el.badge, badge.text);
  el.badge.dataset['tone'] = badge.tone;
  setText(el.uptime, uptimeText(ctx, Date.now()) ?? '');
  const st = ctx.status;
  const dash = '—';
  const pid = st?.main_server_pid;
  setText(el.pid, ctx.serverState === 'running' || ctx.serverState === 'starting' ? (pid ? `pid ${pid}` : dash) : dash);
  setText(el.port, st?.main_server_port ? String(st.main_server_port) : dash);
  setText(el.serverVersion, st?.main_server_version ? formatVersion(st.main_server_version) : dash);
  setText(el.supervisorVersion, st?.supervisor_version ? formatVersion(st.supervisor_version) : dash);
  setText(el.restarts, typeof st?.restart_count === 'number' ? String(st.restart_count) : dash);
  const resources = [
    typeof st?.cpu_percent === 'number' ? `${st.cpu_percent.toFixed(1)}% CPU` : null,
    typeof st?.memory_bytes === 'number' ? formatBytes(st.memory_bytes) : null,
  ].filter(Boolean);
  setText(el.resources, resources.length ? resources.join(' · ') : dash);
  const lastError = st?.last_error ?? null;
  el.lastError.hidden = !lastError || ctx.serverState === 'running';
  setText(el.lastError, lastError ? `Last error: ${lastError}` : '');

  const enabled = commandEnabled(ctx);
  for (const [command, button] of Object.entries(el.buttons) as [ServerCommand, HTMLButtonElement][]) {
    button.disabled = !enabled[command];
    button.setAttribute('aria-busy', String(ctx.pendingCommand === command));
  }
  renderOutcome(el.commandOutcome, ctx.commandOutcome);
}

function renderOutcome(target: HTMLElement, outcome: SettingsContext['commandOutcome']): void {
  const key = JSON.stringify(outcome);
  if (target.dataset['key'] === key) return;
  target.dataset['key'] = key;
  target.dataset['kind'] = outcome?.kind ?? 'none';
  if (!outcome) target.replaceChildren();
  else if (!outcome.detail) target.replaceChildren(outcome.message);
  else target.replaceChildren(h('span', { class: 'outcome-message' }, outcome.message), ' ', h('span', { class: 'outcome-detail' }, outcome.detail));
}

let modelKey = '';
function renderModels(ctx: SettingsContext): void {
  const current = currentModel(ctx);
  const groups = modelGroups(ctx.models, current);
  const shown = shownModel(ctx);
  // Rebuild the options only when they change, so an open dropdown is not disturbed.
  const key = JSON.stringify([groups, shown]);
  if (key !== modelKey) {
    modelKey = key;
    const children = groups.map((group) =>
      h(
        'optgroup',
        { label: group.label },
        ...group.options.map((o) => h('option', { value: o.id, selected: o.id === shown, 'data-latest': o.latest }, o.label)),
      ),
    );
    if (children.length === 0) {
      children.push(h('option', { value: '', disabled: true, selected: true }, ctx.modelsLoading ? 'Loading models…' : 'No models'));
    }
    el.modelSelect.replaceChildren(...children);
    if (shown !== null) el.modelSelect.value = shown;
  }
  el.modelSelect.disabled = ctx.applying !== null || ctx.connection !== 'live' || groups.length === 0;
  el.apply.disabled = !canApplyModel(ctx);
  el.apply.setAttribute('aria-busy', String(ctx.applying !== null));
  setText(el.modelId, modelDetails(ctx));
  el.showAll.checked = ctx.showAll;
  el.showAll.disabled = ctx.applying !== null;

  const m = ctx.models;
  const notes: string[] = [];
  if (ctx.modelsError) notes.push(`Could not load models: ${ctx.modelsError}`);
  else if (m?.source === 'fallback') notes.push(`Built-in list: Anthropic did not answer${m.error ? ` (${m.error})` : ''}.`);
  else if (m?.is_stale) notes.push(`Cached list, may be out of date${m.error ? ` (${m.error})` : ''}.`);
  if (ctx.modelsLoading && m) notes.push('Refreshing…');
  setText(el.modelsNote, notes.join(' '));
  renderOutcome(el.modelOutcome, ctx.modelOutcome);
}

const logStateText: Record<SettingsContext['logStream'], string> = {
  connecting: 'Connecting…',
  open: 'Live',
  down: 'Reconnecting…',
  off: 'Paused',
};

let lastRenderedSeq = 0;
function renderLog(ctx: SettingsContext): void {
  setText(el.logState, logStateText[ctx.logStream]);
  el.logState.dataset['state'] = ctx.logStream;
  const lines = ctx.logLines;
  const stick = isAtBottom(el.log);
  let appended = false;
  if (lines.length === 0) {
    if (el.log.childElementCount) el.log.replaceChildren();
    lastRenderedSeq = 0;
  } else {
    const first = lines[0]?.seq ?? 0;
    while (el.log.firstElementChild && Number((el.log.firstElementChild as HTMLElement).dataset['seq']) < first) {
      el.log.firstElementChild.remove();
    }
    const fresh = lines.filter((line) => line.seq > lastRenderedSeq);
    if (fresh.length) {
      el.log.append(...fresh.map(logLineElement));
      lastRenderedSeq = fresh[fresh.length - 1]?.seq ?? lastRenderedSeq;
      appended = true;
    }
  }
  // Follow the bottom unless the reader scrolled up to read something.
  if (stick) el.log.scrollTop = el.log.scrollHeight;
  else if (appended) el.latest.hidden = false;
  el.log.dataset['empty'] = String(lines.length === 0);
}

// Colours a line by the level word it carries, if any.
function logLevel(line: LogLine): string {
  if (line.kind === 'error') return 'stream-error';
  if (/\b(ERROR|FATAL|CRITICAL|PANIC)\b/.test(line.text)) return 'error';
  if (/\bWARN(ING)?\b/.test(line.text)) return 'warn';
  if (/\bDEBUG\b/.test(line.text)) return 'debug';
  return 'info';
}

function logLineElement(line: LogLine): HTMLElement {
  return h('span', { class: 'log-line', 'data-level': logLevel(line), 'data-seq': line.seq }, line.text || ' ');
}

function render(ctx: SettingsContext): void {
  renderConnection(ctx.connection);
  renderStatus(ctx);
  renderModels(ctx);
  renderLog(ctx);
}

store.subscribe((snapshot) => render(snapshot.context));
render(store.getSnapshot().context);
// Uptime keeps counting between status answers; this only redraws text, it asks the supervisor nothing.
setInterval(() => setText(el.uptime, uptimeText(store.getSnapshot().context, Date.now()) ?? ''), 1000);

void refreshStatus();
void loadModels(false);
startLogStream();
