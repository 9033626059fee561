// Draws the server card from the store's context: badge, uptime or countdown, what a bad state means, the facts
// (greyed, as last known, while the supervisor is unreachable), the CPU and memory trends, and the buttons.
import type { MetricsHistory, ServerCommand } from './api.js';
import { byId, renderOutcome, setText, setUsable } from './dom.js';
import { formatBytes, formatVersion } from './format.js';
import { MetricsCharts } from './metrics-charts.js';
import { metricsLabels, metricsSummary } from './metrics.view.js';
import { topState, type SettingsContext } from './settings.context.js';
import { commandEnabled, isStale, stateNote, statusBadge, uptimeText } from './status.view.js';

const el = {
  card: byId('server-card', HTMLElement),
  badge: byId('server-badge', HTMLElement),
  uptime: byId('server-uptime', HTMLElement),
  note: byId('state-note', HTMLElement),
  pid: byId('fact-pid', HTMLElement),
  port: byId('fact-port', HTMLElement),
  serverVersion: byId('fact-server-version', HTMLElement),
  supervisorVersion: byId('fact-supervisor-version', HTMLElement),
  restarts: byId('fact-restarts', HTMLElement),
  resources: byId('fact-resources', HTMLElement),
  cpuChart: byId('trend-cpu', HTMLElement),
  cpuText: byId('trend-cpu-text', HTMLElement),
  memoryChart: byId('trend-memory', HTMLElement),
  memoryText: byId('trend-memory-text', HTMLElement),
  outcome: byId('command-outcome', HTMLElement),
};

/** The lifecycle buttons, by command. */
export const commandButtons: Record<ServerCommand, HTMLButtonElement> = {
  start: byId('btn-start', HTMLButtonElement),
  stop: byId('btn-stop', HTMLButtonElement),
  restart: byId('btn-restart', HTMLButtonElement),
};

let charts: MetricsCharts | null = null;

/** Redraws the parts that change with time alone (uptime, countdown). */
export function renderClock(ctx: SettingsContext, now: number): void {
  setText(el.uptime, uptimeText(ctx, now) ?? '');
}

/** Draws the card. */
export function renderServerCard(ctx: SettingsContext, now: number): void {
  const badge = statusBadge(ctx);
  setText(el.badge, badge.text);
  el.badge.dataset['tone'] = badge.tone;
  renderClock(ctx, now);
  el.card.dataset['stale'] = String(isStale(ctx));

  const note = stateNote(ctx);
  el.note.hidden = note === null;
  el.note.dataset['tone'] = note?.tone ?? 'unknown';
  setText(el.note, note?.text ?? '');

  const st = ctx.status;
  const dash = '—';
  const state = topState(ctx.serverState);
  const pid = st?.main_server_pid;
  setText(el.pid, (state === 'running' || state === 'starting' || state === 'stopping') && pid ? `pid ${pid}` : dash);
  setText(el.port, st?.main_server_port ? String(st.main_server_port) : dash);
  setText(el.serverVersion, st?.main_server_version ? formatVersion(st.main_server_version) : dash);
  setText(el.supervisorVersion, st?.supervisor_version ? formatVersion(st.supervisor_version) : dash);
  setText(el.restarts, typeof st?.restart_count === 'number' ? String(st.restart_count) : dash);
  const resources = [
    typeof st?.cpu_percent === 'number' ? `${st.cpu_percent.toFixed(1)}% CPU` : null,
    typeof st?.memory_bytes === 'number' ? formatBytes(st.memory_bytes) : null,
  ].filter(Boolean);
  setText(el.resources, resources.length && state === 'running' ? resources.join(' · ') : dash);

  const enabled = commandEnabled(ctx);
  for (const [command, button] of Object.entries(commandButtons) as [ServerCommand, HTMLButtonElement][]) {
    setUsable(button, enabled[command]);
    button.setAttribute('aria-busy', String(ctx.pendingCommand === command));
  }
  renderOutcome(el.outcome, ctx.commandOutcome);
}

/** Draws the CPU and memory trends (the charts are made on first use). */
export function renderMetrics(history: MetricsHistory | null): void {
  charts ??= new MetricsCharts(el.cpuChart, el.memoryChart);
  charts.update(history);
  const labels = metricsLabels(metricsSummary(history, Date.now()));
  setText(el.cpuText, labels?.cpu ?? 'no samples yet');
  setText(el.memoryText, labels?.memory ?? 'no samples yet');
  el.cpuChart.setAttribute('aria-label', `CPU: ${labels?.cpu ?? 'no samples yet'}`);
  el.memoryChart.setAttribute('aria-label', `Memory: ${labels?.memory ?? 'no samples yet'}`);
}
