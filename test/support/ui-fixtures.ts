// Status and history values as the supervisor sends them, for the web UI's unit tests.
import type { HistoryEvent, SupervisorStatus } from '../../src/ui/app/api.js';

/** A status of a running, healthy server; override any field. */
export function uiStatus(overrides: Partial<SupervisorStatus> = {}): SupervisorStatus {
  return {
    supervisor_uptime_seconds: 100,
    supervisor_version: '0.1.0',
    main_server_healthy: true,
    main_server_status: 'running',
    main_server_state: 'running',
    main_server_uptime_seconds: 300,
    main_server_version: '1.2.3',
    main_server_port: 3333,
    config_loaded: true,
    main_server_pid: 4242,
    main_server_adopted: false,
    main_server_socket: 'own',
    restart_count: 0,
    last_exit: null,
    last_error: null,
    last_error_code: null,
    next_restart_at: null,
    cpu_percent: 1.5,
    memory_bytes: 50 * 1024 * 1024,
    default_model: 'claude-sonnet-4-5-20250929',
    default_model_info: null,
    main_server_health: 'healthy',
    last_crash: null,
    history_seq: 10,
    ...overrides,
  };
}

const at = (seq: number): string => new Date(Date.UTC(2026, 10, 24, 10, 0, seq)).toISOString();

/** History events of one kind, numbered by `seq`. */
export const uiEvent = {
  starting: (seq: number, pid = 5151): HistoryEvent => ({ seq, at: at(seq), type: 'starting', pid, cause: 'crash_restart' }),
  running: (seq: number, pid = 5151): HistoryEvent => ({ seq, at: at(seq), type: 'running', pid, took_ms: 120 }),
  stopping: (seq: number): HistoryEvent => ({ seq, at: at(seq), type: 'stopping', cause: 'restart' }),
  stopped: (seq: number, pid = 4242): HistoryEvent => ({ seq, at: at(seq), type: 'stopped', pid, code: 0, signal: null }),
  crashed: (seq: number, pid = 4242): HistoryEvent => ({
    seq,
    at: at(seq),
    type: 'crashed',
    pid,
    code: null,
    signal: 'SIGKILL',
    ran_for_ms: 65_000,
    reason: 'exit',
    message: 'server was killed by SIGKILL',
    log_tail: ['listening on 3333', 'handling a request'],
  }),
  restartScheduled: (seq: number, delayMs = 3_000): HistoryEvent => ({ seq, at: at(seq), type: 'restart_scheduled', delay_ms: delayMs }),
  gaveUp: (seq: number): HistoryEvent => ({ seq, at: at(seq), type: 'gave_up', crashes: 6, period_ms: 60_000 }),
  halted: (seq: number): HistoryEvent => ({ seq, at: at(seq), type: 'halted', code: 'ERR_PORT_IN_USE', message: 'port 3333 is in use by pid 77 (python3)' }),
  configApplied: (seq: number): HistoryEvent => ({ seq, at: at(seq), type: 'config_applied', keys: ['log_level'] }),
};

/** The time of an event made by `uiEvent` (ms epoch). */
export const uiEventAt = (seq: number): number => Date.parse(at(seq));
