import { formatBytes } from '../client/format.js';
import { programName } from './command.js';
// Pure text views of the supervisor's answers for the terminal.
import type { CurrentModelInfo, ModelsResponse, SupervisorStatus, Timestamp } from '../client/supervisor-types.js';

/**
 * `status`: the readable summary (state, uptime, pid, restarts, last exit, model, ...). `modelInfo` is what is known
 * of the model, when the caller learnt more than status holds (status carries only what the model cache has).
 */
export function formatStatus(status: SupervisorStatus, url: string, modelInfo: CurrentModelInfo | null = status.default_model_info ?? null): string {
  const server = status.main_server_status;
  const health = server === 'running' ? (status.main_server_healthy ? ', healthy' : ', not healthy') : '';
  const rows: [string, string][] = [
    ['supervisor', `up ${formatDuration(status.supervisor_uptime_seconds)}, version ${status.supervisor_version}, ${url}`],
    ['server', `${server}${health}`],
    ['uptime', status.main_server_uptime_seconds === null ? '-' : formatDuration(status.main_server_uptime_seconds)],
    ['pid', status.main_server_pid === null ? '-' : String(status.main_server_pid)],
    ['port', status.main_server_port === null ? '-' : `${status.main_server_port}${status.main_server_socket === 'inherited' ? ' (socket held by the supervisor, fd 3)' : ''}`],
  ];
  if (status.main_server_version) rows.push(['version', status.main_server_version]);
  rows.push(['restarts', String(status.restart_count)]);
  rows.push(['last exit', status.last_exit ? formatExit(status.last_exit) : '-']);
  if (status.last_error) rows.push(['last error', status.last_error]);
  if (status.last_crash) {
    const crash = status.last_crash;
    rows.push(['last crash', `#${crash.seq} at ${crash.at}: ${crash.reason}: ${crash.message} (${programName} history --crash ${crash.seq})`]);
  }
  if (status.next_restart_at !== null && status.next_restart_at !== undefined) rows.push(['next restart', formatTimestamp(status.next_restart_at)]);
  if (status.cpu_percent !== null && status.cpu_percent !== undefined) rows.push(['cpu', `${round(status.cpu_percent, 1)}%`]);
  if (status.memory_bytes !== null && status.memory_bytes !== undefined) rows.push(['memory', formatBytes(status.memory_bytes)]);
  rows.push(['model', status.default_model === null ? '-' : formatModelInfo(status.default_model, modelInfo)]);
  rows.push(['config', status.config_loaded ? 'loaded' : 'not loaded']);
  return table(rows);
}

/** One line about the server for progress and results: `running, pid 123, port 3333`. */
export function formatServerLine(status: SupervisorStatus): string {
  const parts: string[] = [status.main_server_status];
  if (status.main_server_pid !== null) parts.push(`pid ${status.main_server_pid}`);
  if (status.main_server_port !== null) parts.push(`port ${status.main_server_port}`);
  return parts.join(', ');
}

/**
 * The configured model and what is known of it: `claude-sonnet-4-5 → claude-sonnet-4-5-20250929 (deprecated, retires
 * 2027-02-05; claude-sonnet-5 replaces it)`. Nothing is added when nothing is known.
 */
export function formatModelInfo(configured: string, info: CurrentModelInfo | null): string {
  if (info === null || info.id !== configured) return configured;
  const named = info.resolved_id !== null && info.resolved_id !== configured ? `${configured} → ${info.resolved_id}` : configured;
  const instead = info.replacement ? `; ${info.replacement} replaces it` : '';
  switch (info.lifecycle) {
    case 'active':
      return `${named} (active)`;
    case 'deprecated':
      return `${named} (deprecated${info.retires_at ? `, retires ${day(info.retires_at)}` : ''}${instead})`;
    case 'retired':
      return `${named} (retired: requests naming it fail${instead})`;
    case 'unknown':
      return `${named} (unknown to the Anthropic API${info.replacement ? `; try ${info.replacement}` : ''})`;
    default:
      return named;
  }
}

/** `models`: grouped by family (the API's line when it gives one), the current model marked with `*`. */
export function formatModels(response: ModelsResponse): string {
  const lines: string[] = [];
  const families = new Map<string, ModelsResponse['models']>();
  for (const model of response.models) families.set(model.family, [...(families.get(model.family) ?? []), model]);
  const idWidth = Math.max(0, ...response.models.map((m) => m.id.length));
  const nameWidth = Math.max(0, ...response.models.map((m) => m.display_name.length));
  const contextWidth = Math.max(0, ...response.models.map((m) => formatContext(m.max_input_tokens).length));
  for (const [family, models] of families) {
    lines.push(family);
    for (const model of models) {
      const mark = model.is_current ? '*' : ' ';
      const latest = response.show_all && model.is_latest ? ', latest' : '';
      const columns = [model.id.padEnd(idWidth), model.display_name.padEnd(nameWidth), model.created_at.slice(0, 10), formatContext(model.max_input_tokens).padEnd(contextWidth)];
      lines.push(`${mark} ${columns.join('  ')}  ${formatLifecycle(model)}${latest}`.trimEnd());
    }
  }
  if (response.models.length === 0) lines.push('(no models)');
  const view = response.show_all ? 'all versions' : 'latest per family';
  const cached = response.cached_at === null ? '' : `, cached at ${formatTimestamp(response.cached_at)}`;
  lines.push('');
  lines.push(`${response.count} models (${view}); source: ${response.source}${cached}${response.is_stale ? ' (stale)' : ''}`);
  lines.push(`current model: ${response.current_model === null ? '-' : formatModelInfo(response.current_model, response.current_model_info)}`);
  for (const warning of response.warnings) lines.push(`warning: ${warning}`);
  return lines.join('\n');
}

// `1000000` → `1M context`; `-` when the API does not say.
function formatContext(tokens: number | null): string {
  if (tokens === null) return '-';
  if (tokens >= 1_000_000) return `${round(tokens / 1_000_000, 1)}M context`;
  if (tokens >= 1_000) return `${round(tokens / 1_000, 0)}k context`;
  return `${tokens} context`;
}

// `active`, `deprecated, retires 2027-02-05`, or `lifecycle unknown`.
function formatLifecycle(model: ModelsResponse['models'][number]): string {
  if (model.lifecycle === null) return 'lifecycle unknown';
  if (model.lifecycle === 'active' || model.retires_at === null) return model.lifecycle;
  return `${model.lifecycle}, retires ${day(model.retires_at)}`;
}

// The UTC day of an RFC 3339 time, as the API's dates are read.
function day(at: string): string {
  const time = Date.parse(at);
  return Number.isNaN(time) ? at : new Date(time).toISOString().slice(0, 10);
}

/** `3725` → `1h 2m 5s`. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3_600);
  const minutes = Math.floor((s % 3_600) / 60);
  const seconds = s % 60;
  if (days > 0) return `${days}d ${hours}h ${minutes}m`;
  if (hours > 0) return `${hours}h ${minutes}m ${seconds}s`;
  if (minutes > 0) return `${minutes}m ${seconds}s`;
  return `${seconds}s`;
}

/** An ISO string as is; epoch milliseconds as ISO 8601. */
export function formatTimestamp(at: Timestamp): string {
  return typeof at === 'number' ? new Date(at).toISOString() : at;
}


function formatExit(exit: NonNullable<SupervisorStatus['last_exit']>): string {
  const how = exit.signal ? `signal ${exit.signal}` : exit.code === null ? 'unknown' : `code ${exit.code}`;
  return exit.at === null || exit.at === undefined ? how : `${how} at ${formatTimestamp(exit.at)}`;
}

function table(rows: [string, string][]): string {
  const width = Math.max(...rows.map(([label]) => label.length)) + 1;
  return rows.map(([label, value]) => `${`${label}:`.padEnd(width)} ${value}`).join('\n');
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
