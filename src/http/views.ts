import type { ServerView } from '../actors/actor-refs.js';
import { statePath, topState } from '../actors/state-value.js';
import type { CrashSummary } from '../history/history-event.js';
import type { ProcessMetrics } from '../metrics/metrics-sampler.js';
import type { CurrentModelInfo } from '../models/current-model.js';

/** Everything the status view is computed from; the route gathers it without waiting on anything. */
export interface StatusInput {
  now: number;
  supervisorStartedAt: number;
  supervisorVersion: string;
  server: ServerView;
  configLoaded: boolean;
  defaultModel: string | null;
  /** What the model cache already knows of `defaultModel` (never fetched for status). */
  defaultModelInfo: CurrentModelInfo | null;
  metrics: ProcessMetrics | null;
  /** The newest crash the history holds, without its log tail. */
  lastCrash: CrashSummary | null;
  /** The seq of the newest history event recorded so far (the status reflects every event up to it). */
  historySeq: number;
}

const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
const seconds = (ms: number): number => Math.max(0, Math.floor(ms / 1000));

/** GET /supervisor/status (docs/api.md, Status): integers as integers, times as ISO 8601. */
export function statusView(input: StatusInput) {
  const { context } = input.server;
  const status = topState(input.server.value);
  const running = status === 'running';
  return {
    supervisor_uptime_seconds: seconds(input.now - input.supervisorStartedAt),
    supervisor_version: input.supervisorVersion,
    main_server_healthy: running && context.healthy,
    main_server_status: status,
    main_server_state: statePath(input.server.value),
    main_server_uptime_seconds: running && context.runningSince !== null ? seconds(input.now - context.runningSince) : null,
    main_server_version: running ? context.serverVersion : null,
    main_server_port: context.policy.port,
    main_server_pid: context.process?.pid ?? null,
    main_server_adopted: context.process?.adopted ?? false,
    // How the server gets its listening socket under the settings of its latest start.
    main_server_socket: context.policy.socket === 'inherit' ? ('inherited' as const) : ('own' as const),
    config_loaded: input.configLoaded,
    restart_count: context.restartCount,
    last_exit: context.lastExit ? { code: context.lastExit.code, signal: context.lastExit.signal, at: iso(context.lastExit.at) } : null,
    last_error: context.lastError?.message ?? null,
    last_error_code: context.lastError?.code ?? null,
    next_restart_at: iso(context.nextRestartAt),
    cpu_percent: input.metrics?.cpuPercent ?? null,
    memory_bytes: input.metrics?.memoryBytes ?? null,
    default_model: input.defaultModel,
    default_model_info: input.defaultModelInfo,
    // Health apart from "up": a running server whose latest probe failed is unhealthy; a server not running, unknown.
    main_server_health: running ? (context.healthy ? 'healthy' : 'unhealthy') : 'unknown',
    last_crash: input.lastCrash,
    history_seq: input.historySeq,
  };
}

export type StatusView = ReturnType<typeof statusView>;
