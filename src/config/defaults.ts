import type { RestartType, SocketMode } from '../../machines/server-lifecycle.types.js';

/** Defaults for every key of config.yaml the supervisor reads, in the supervisor vocabulary. */
export const serverDefaults = {
  /** Main server port; health is probed at http://127.0.0.1:{port}{healthPath}. */
  port: 3333,
  /** Main server address, bound by the supervisor with socket: inherit (the server reads it too). */
  host: '127.0.0.1',
  /** none: the server binds its port itself; inherit: the supervisor holds the listening socket and hands it over as fd 3. */
  socket: 'none' as SocketMode,
  /** Readiness and liveness probe path. */
  healthPath: '/api/health',
  /** Start the server when the supervisor starts. */
  autostart: true,
  /** Not healthy by then = a failed start (never "online anyway"). */
  startTimeoutMs: 30_000,
  /** SIGTERM to the process group, SIGKILL to the group after this. */
  stopTimeoutMs: 10_000,
  /** OTP restart type: permanent (always), transient (only after an abnormal exit), temporary (never). */
  restart: 'transient' as RestartType,
  /** First restart delay after a crash; doubles on each consecutive crash. */
  backoffMs: 1_000,
  /** Cap of the restart delay. */
  backoffMaxMs: 30_000,
  /** More crashes than this within periodMs: stay crashed until a manual start. */
  intensity: 5,
  /** The crash-counting window. */
  periodMs: 60_000,
  /** Running this long without a crash resets the backoff to backoffMs. */
  stableMs: 30_000,
  /** How often the liveness probe asks the running server. */
  healthIntervalMs: 2_000,
  /** This many liveness failures in a row = the server has crashed. */
  healthFailures: 3,
  /** One probe gets this long to answer. */
  healthTimeoutMs: 2_000,
} as const;

export const supervisorDefaults = {
  /** Size at which server.log is rotated. */
  logMaxBytes: 10 * 1024 * 1024,
  /** Rotated files kept (server.log.1 … server.log.N). */
  logBackups: 3,
  /** How long a fetched model list counts as fresh. */
  modelsTtlMs: 3_600_000,
  /** Supervisor HTTP port and host. */
  port: 3334,
  host: '127.0.0.1',
} as const;

export type { RestartType, SocketMode };
export const restartTypes: readonly RestartType[] = ['permanent', 'transient', 'temporary'];
export const socketModes: readonly SocketMode[] = ['none', 'inherit'];
