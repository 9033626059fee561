import type { LogSpan, StartCause } from './lifecycle-facts.js';

/** Restart type in OTP's words: permanent (always), transient (only after an abnormal exit), temporary (never). */
export type RestartType = 'permanent' | 'transient' | 'temporary';

/** Who binds the server's port: the server itself, or the supervisor, which hands the listening socket over as fd 3. */
export type SocketMode = 'none' | 'inherit';

/** The lifecycle's rules, read from config.yaml by the process actor on every (re)start. Holds no command, env or secret. */
export interface LifecyclePolicy {
  port: number;
  /** The address the health probe connects to. */
  healthHost: string;
  socket: SocketMode;
  healthPath: string;
  restart: RestartType;
  startTimeoutMs: number;
  stopTimeoutMs: number;
  backoffMs: number;
  backoffMaxMs: number;
  intensity: number;
  periodMs: number;
  stableMs: number;
  healthFailures: number;
}

/** A server process the lifecycle owns. */
export interface ProcessInfo {
  pid: number;
  pgid: number;
  startedAt: number;
  adopted: boolean;
}

/** How the last process ended. */
export interface ExitInfo {
  code: number | null;
  signal: string | null;
  at: number;
}

/** A JSON-safe error record with a code from src/errors.ts. */
export interface LifecycleError {
  code: string;
  message: string;
  at: number;
}

/** What happens once the process has gone: stay stopped, start again, or count it as a crash. */
export type AfterStop = 'stopped' | 'restart' | 'crashed';

export interface ServerLifecycleContext {
  policy: LifecyclePolicy;
  process: ProcessInfo | null;
  /** Number of start attempts so far; a command waits for the generation it caused. */
  generation: number;
  runningSince: number | null;
  /** Restarts done automatically after a crash. */
  restartCount: number;
  /** Crash times inside the intensity window. */
  crashTimes: number[];
  /** Crashes since the server last ran for a stable period; drives the backoff exponent. */
  consecutiveCrashes: number;
  /** The current run of crashes began with a crash of a running server: its first restart is immediate. */
  streakBeganRunning: boolean;
  lastExit: ExitInfo | null;
  lastError: LifecycleError | null;
  nextRestartAt: number | null;
  healthy: boolean;
  healthFailureCount: number;
  serverVersion: string | null;
  afterStop: AfterStop;
  /** A live server from an earlier supervisor run, to be adopted instead of spawned. */
  adopt: ProcessInfo | null;
  /** Why the attempt under way (or the one queued behind a stop) began: told in its `starting` fact. */
  startCause: StartCause;
}

export interface ServerLifecycleInput {
  policy: LifecyclePolicy;
}

/** Commands (from people and the supervisor) and facts (from the process and probes), facts carrying `at`. */
export type ServerLifecycleEvent =
  /** `cause`: who asked (default manual); told in the history. */
  | { type: 'server.start'; cause?: 'autostart' | 'manual' }
  | { type: 'server.stop'; cause?: 'manual' | 'shutdown' }
  /**
   * `fresh`: the new process must read config.yaml as it is now, so an attempt already under way is not joined.
   * `cause`: a person (manual, the default) or the config applier (config_apply).
   */
  | { type: 'server.restart'; fresh?: boolean; cause?: 'manual' | 'config_apply' }
  | { type: 'server.adopt'; process: ProcessInfo }
  /** The process actor read config.yaml for this attempt: the policy it starts (or adopts) the server with. */
  | { type: 'process.launching'; policy: LifecyclePolicy; at: number }
  | { type: 'process.spawned'; pid: number; pgid: number; at: number; adopted?: boolean }
  | { type: 'process.spawnFailed'; code: string; message: string; at: number }
  /**
   * `log`: where this run's output lies in server.log, when known (the crash's log tail is read from it).
   * `startFailure`: this exit, if it ends a start, is one a retry cannot fix (the server ignored the socket it was given).
   */
  | { type: 'process.exited'; code: number | null; signal: string | null; at: number; log?: LogSpan; startFailure?: StartFailure }
  | { type: 'health.ok'; at: number; version: string | null }
  | { type: 'health.failed'; at: number; message: string };

/** Why a start cannot succeed however often it is retried: the attempt is halted with this error. */
export interface StartFailure {
  code: string;
  message: string;
}

/** What the lifecycle tells the process actor. */
export type ProcessCommand = { type: 'process.terminate' } | { type: 'process.kill' };

export interface ServerProcessInput {
  adopt: ProcessInfo | null;
}

export interface ProbeInput {
  host: string;
  port: number;
  healthPath: string;
}

/** The liveness probe's input: also the server process asked about (a failure once it is gone is its exit's news). */
export interface LivenessInput extends ProbeInput {
  pid: number | null;
}
