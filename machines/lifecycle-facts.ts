// The lifecycle facts the machines emit (XState `emit`), one per thing that happened to the server or its config.
// Each is a history event as docs/api.md ("History") defines it, less the `seq` and `at` that the recorder in
// src/history/ stamps on it; src/ adds what a machine cannot know (the crash's log tail, from `logSpan`).

/** Why a start attempt began. */
export type StartCause = 'autostart' | 'manual' | 'crash_restart' | 'config_apply';

/** Why the server is being stopped. */
export type StopCause = 'manual' | 'restart' | 'config_apply' | 'start_timeout' | 'liveness' | 'shutdown';

/** How a crash came about: the process exited, failed its liveness probes, never became healthy, or never ran. */
export type CrashReason = 'exit' | 'liveness' | 'start_timeout' | 'spawn_failed';

/** Where one run's output lies in server.log, as stream offsets: from its start (null: unknown) to the moment it exited. */
export interface LogSpan {
  from: number | null;
  to: number;
}

/** Every fact the machines emit; `type` is the history event's type. */
export type LifecycleFact =
  | { type: 'starting'; pid: number; cause: StartCause }
  | { type: 'running'; pid: number; took_ms: number }
  | {
      type: 'crashed';
      pid: number | null;
      code: number | null;
      signal: string | null;
      ran_for_ms: number | null;
      reason: CrashReason;
      message: string;
      /** The run's output in server.log, turned into `log_tail` by src/ (null: no output to show). */
      logSpan: LogSpan | null;
    }
  | { type: 'restart_scheduled'; delay_ms: number }
  | { type: 'gave_up'; crashes: number; period_ms: number }
  | { type: 'halted'; code: string; message: string }
  | { type: 'stopping'; cause: StopCause }
  | { type: 'stopped'; pid: number | null; code: number | null; signal: string | null }
  | { type: 'config_applied'; keys: string[] }
  | { type: 'config_rolled_back'; keys: string[]; reason: string };

/** The type of every fact, for listeners that subscribe to each (`actor.on(type, …)`). */
export const lifecycleFactTypes = [
  'starting',
  'running',
  'crashed',
  'restart_scheduled',
  'gave_up',
  'halted',
  'stopping',
  'stopped',
  'config_applied',
  'config_rolled_back',
] as const satisfies readonly LifecycleFact['type'][];
