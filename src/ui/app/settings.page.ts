// The Settings page (/supervisor/ui/): wires the API, the history event stream and the timers to the store, and
// draws it. What it shows comes from status answers and /supervisor/events, ordered by history seq (status.transitions.ts).
import { api, ApiError, type ConfigValue, type HistoryEvent, type ServerCommand } from './api.js';
import { configEls, renderConfigCard } from './config-card.js';
import { changedValues, type EditableKey } from './config-form.view.js';
import { diagnosticsText } from './diagnostics.js';
import { byId, errorMessage, isUsable, setText } from './dom.js';
import { followStream } from './follow-stream.js';
import { historyEls, renderHistoryCard } from './history-card.js';
import { downloadText, startLogCard } from './log-card.js';
import { metricsWindowSeconds } from './metrics.view.js';
import { modelEls, renderModelCard } from './model-card.js';
import { commandButtons, renderClock, renderMetrics, renderServerCard } from './server-card.js';
import { createSettingsStore, type SettingsContext } from './settings.store.js';
import { renderConnection } from './shell.js';
import { historyLimit } from './status.transitions.js';
import { renderToasts } from './toast-list.js';

/** How often status and the metrics history are asked while the page is visible. */
const statusEveryMs = 2_000;
const metricsEveryMs = 5_000;

const store = createSettingsStore();
const confirmStop = byId('confirm-stop', HTMLDialogElement);

// ---- effects ------------------------------------------------------------------------------------------------

// One status request at a time; asks made meanwhile become exactly one more.
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
      try {
        store.trigger.statusLoaded({ status: await api.getStatus(), at: Date.now() });
      } catch (error) {
        store.trigger.statusFailed({ message: errorMessage(error), unreachable: error instanceof ApiError && error.unreachable });
      }
    } while (statusAgain);
  } finally {
    statusInFlight = false;
  }
}

async function loadHistory(): Promise<number | null> {
  try {
    const { events } = await api.getHistory(historyLimit);
    store.trigger.historyLoaded({ events });
    return events[0]?.seq ?? 0;
  } catch {
    return null;
  }
}

async function loadMetrics(): Promise<void> {
  try {
    renderMetrics(await api.getMetricsHistory(metricsWindowSeconds));
  } catch {
    // Unreachable: the status card says so; the charts keep their last samples.
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

async function refreshModels(): Promise<void> {
  store.trigger.modelsRefreshStarted();
  try {
    store.trigger.modelsLoaded({ models: await api.refreshModels(store.getSnapshot().context.showAll) });
  } catch (error) {
    store.trigger.modelsFailed({ message: errorMessage(error) });
  }
}

async function loadConfig(): Promise<void> {
  try {
    store.trigger.configLoaded({ config: (await api.getConfig()).config });
  } catch (error) {
    store.trigger.configFailed({ message: errorMessage(error) });
  }
}

async function runCommand(command: ServerCommand): Promise<void> {
  store.trigger.commandStarted({ command });
  try {
    store.trigger.commandSucceeded({ command, result: await api.serverCommand(command), at: Date.now() });
  } catch (error) {
    const status = error instanceof ApiError ? error.serverStatus : null;
    store.trigger.commandFailed({ command, message: errorMessage(error), status, at: Date.now() });
  }
  void refreshStatus();
}

async function applyModel(id: string): Promise<void> {
  store.trigger.applyStarted({ id });
  try {
    store.trigger.applySucceeded({ id, result: await api.setDefaultModel(id) });
  } catch (error) {
    store.trigger.applyFailed({ id, message: errorMessage(error), rolledBack: error instanceof ApiError && error.rolledBack });
  }
  void loadModels(store.getSnapshot().context.showAll);
  void refreshStatus();
}

async function applyConfig(): Promise<void> {
  const ctx = store.getSnapshot().context;
  const values = changedValues(ctx.config ?? {}, ctx.draft);
  const keys = Object.keys(values);
  if (keys.length === 0) return;
  store.trigger.configApplyStarted();
  try {
    store.trigger.configApplySucceeded({ result: await api.updateConfig(values) });
  } catch (error) {
    store.trigger.configApplyFailed({ keys, message: errorMessage(error), rolledBack: error instanceof ApiError && error.rolledBack });
    void loadConfig();
  }
  void refreshStatus();
}

async function copyDiagnostics(): Promise<void> {
  const ctx = store.getSnapshot().context;
  const logLines = logCard.lastLines(100);
  const text = diagnosticsText({
    now: Date.now(),
    pageUrl: location.href,
    userAgent: navigator.userAgent,
    connection: ctx.connection,
    lastContactAt: ctx.lastContactAt,
    status: ctx.status,
    history: ctx.history,
    logLines,
  });
  const what = `status, ${ctx.history.length} events, ${logLines.length} log lines`;
  try {
    await navigator.clipboard.writeText(text);
    setText(historyEls.diagnosticsNote, `Diagnostics copied (${what}), secrets redacted.`);
  } catch {
    // No clipboard (permission, an insecure origin): the same text as a file.
    downloadText(`parachute-diagnostics-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}.txt`, text);
    setText(historyEls.diagnosticsNote, `The clipboard is not available here, so the diagnostics (${what}, secrets redacted) were downloaded.`);
  }
}

// What an event tells the page to read again.
function followUp(event: HistoryEvent): void {
  void refreshStatus();
  if (event.type === 'config_applied' || event.type === 'config_rolled_back') {
    void loadConfig();
    if (!store.getSnapshot().context.applying) void loadModels(store.getSnapshot().context.showAll);
  }
}

function startEvents(lastEventId: number | null): void {
  followStream<HistoryEvent>({
    open: (options) => api.events(options),
    idOf: (event) => String(event.seq),
    lastEventId: lastEventId === null ? null : String(lastEventId),
    onEvent: (event) => {
      store.trigger.eventReceived({ event });
      followUp(event);
    },
    onOpen: () => {
      store.trigger.eventsOpened();
      // Whatever was missed while away: status, the history, and what failed to load.
      void refreshStatus();
      void loadHistory();
      void loadMetrics();
      const ctx = store.getSnapshot().context;
      if (ctx.models === null || ctx.modelsError !== null) void loadModels(ctx.showAll);
      if (ctx.config === null) void loadConfig();
    },
    onDown: () => store.trigger.eventsLost(),
  });
}

// ---- user input ---------------------------------------------------------------------------------------------

for (const [command, button] of Object.entries(commandButtons) as [ServerCommand, HTMLButtonElement][]) {
  button.addEventListener('click', () => {
    if (!isUsable(button)) return;
    if (command !== 'stop') return void runCommand(command);
    confirmStop.returnValue = '';
    confirmStop.showModal();
  });
}
confirmStop.addEventListener('close', () => {
  if (confirmStop.returnValue === 'stop' && isUsable(commandButtons.stop)) void runCommand('stop');
});
modelEls.select.addEventListener('change', () => store.trigger.modelSelected({ id: modelEls.select.value }));
modelEls.apply.addEventListener('click', () => {
  const id = store.getSnapshot().context.selectedModel;
  if (isUsable(modelEls.apply) && id !== null) void applyModel(id);
});
modelEls.switchButton.addEventListener('click', () => {
  const id = modelEls.switchButton.dataset['model'];
  if (isUsable(modelEls.switchButton) && id) void applyModel(id);
});
modelEls.refresh.addEventListener('click', () => {
  if (isUsable(modelEls.refresh)) void refreshModels();
});
modelEls.showAll.addEventListener('change', () => void loadModels(modelEls.showAll.checked));
configEls.form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (isUsable(configEls.apply)) void applyConfig();
});
configEls.discard.addEventListener('click', () => {
  if (isUsable(configEls.discard)) store.trigger.draftDiscarded();
});
historyEls.diagnostics.addEventListener('click', () => void copyDiagnostics());

const onEdit = (key: EditableKey, value: ConfigValue | undefined): void => store.trigger.draftEdited({ key, value });
const dismissToast = (id: number): void => store.trigger.toastDismissed({ id });

// ---- rendering ----------------------------------------------------------------------------------------------

const logCard = startLogCard(store);

function render(ctx: SettingsContext): void {
  const now = Date.now();
  renderConnection(ctx.connection);
  renderServerCard(ctx, now);
  renderModelCard(ctx, now);
  renderConfigCard(ctx, onEdit);
  renderHistoryCard(ctx, now);
  renderToasts(ctx, dismissToast);
  logCard.render(ctx);
}

store.subscribe((snapshot) => render(snapshot.context));
render(store.getSnapshot().context);

// Uptime and countdowns move with the clock; this redraws text only and asks the supervisor nothing.
setInterval(() => renderClock(store.getSnapshot().context, Date.now()), 250);
// Status and the trends are asked for only while someone can see the page.
const visible = (): boolean => document.visibilityState === 'visible';
setInterval(() => visible() && void refreshStatus(), statusEveryMs);
setInterval(() => visible() && void loadMetrics(), metricsEveryMs);
document.addEventListener('visibilitychange', () => {
  if (!visible()) return;
  void refreshStatus();
  void loadMetrics();
});

void refreshStatus();
void loadModels(false);
void loadConfig();
void loadMetrics();
// The history first, then its events from right after it: nothing falls between the two.
void loadHistory().then(startEvents);
