import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { fromCallback } from 'xstate';
import type { ProcessCommand, ServerLifecycleEvent, ServerProcessInput } from '../../machines/server-lifecycle.types.js';
import type { ServerSettings } from '../config/settings.js';
import { writeSeparator, type ServerLogMark } from '../logs/log-separator.js';
import { serverFiles, type ServerFiles } from '../logs/server-files.js';
import { pidFileProblem, removePidFileOf } from './pid-file.js';
import { portInUse } from './port-check.js';
import { groupMembers, isAlive, signalGroup } from './process-group.js';
import { policyOf } from './lifecycle-policy.js';
import { spawnRecorded } from './spawn-recorded.js';

/** What one start needs, read fresh from config.yaml at that moment. */
export interface StartSettings {
  server: ServerSettings;
  logDir: string;
  configPath: string;
}

export interface ServerProcessDeps {
  startSettings(): StartSettings;
  now(): number;
  /** How often an adopted process (not our child, so no exit event) is checked. */
  adoptPollMs?: number;
}

const groupPollMs = 20;

/**
 * Spawns (or adopts) the main server in its own process group and reports process.* facts to the lifecycle, the first
 * being process.launching with the policy it read from config.yaml for this attempt.
 */
export function serverProcessLogic(deps: ServerProcessDeps) {
  return fromCallback<ProcessCommand, ServerProcessInput>(({ sendBack, receive, input }) => {
    const send = (event: ServerLifecycleEvent) => {
      if (!disposed) sendBack(event);
    };
    let disposed = false;
    let pgid: number | null = null;
    let pid: number | null = null;
    let terminating = false;
    let exitReported = false;
    let files: ServerFiles | null = null;
    const timers = new Set<NodeJS.Timeout>();
    const later = (fn: () => void, ms: number) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        fn();
      }, ms);
      timers.add(timer);
    };

    const reportExit = (code: number | null, signal: string | null) => {
      if (exitReported) return;
      exitReported = true;
      if (files && pid !== null) {
        removePidFileOf(files.pidPath, pid);
        separator(files.logPath, { kind: 'stopped', pid, code, signal: signal as NodeJS.Signals | null, at: new Date(deps.now()) });
      }
      send({ type: 'process.exited', code, signal, at: deps.now() });
    };

    // The leader is gone; the exit counts only once no member of its group is left to hold the port.
    const awaitEmptyGroup = (code: number | null, signal: string | null) => {
      if (disposed) return;
      const left = pgid === null ? [] : groupMembers(pgid);
      if (left.length === 0) return reportExit(code, signal);
      // After a crash nobody asked the leftovers to stop: they are orphans of a dead server, so kill them now.
      if (!terminating && pgid !== null) signalGroup(pgid, 'SIGKILL');
      later(() => awaitEmptyGroup(code, signal), groupPollMs);
    };

    const signal = (name: NodeJS.Signals) => {
      if (pgid !== null) signalGroup(pgid, name);
    };

    receive((command) => {
      terminating = true;
      signal(command.type === 'process.kill' ? 'SIGKILL' : 'SIGTERM');
    });

    const fail = (code: string, message: string) => send({ type: 'process.spawnFailed', code, message, at: deps.now() });

    const start = async (settings: StartSettings) => {
      const { server, logDir, configPath } = settings;
      if (await portInUse(server.port)) {
        return fail(
          'ERR_PORT_IN_USE',
          `port ${server.port} is already in use by another process; stop that process or change "port" in ${configPath}`,
        );
      }
      // A stop that arrived while we checked the port: never spawn at all.
      if (disposed || terminating) return reportExit(null, null);
      files = serverFiles(logDir);
      let fd: number;
      try {
        mkdirSync(logDir, { recursive: true, mode: 0o700 });
        fd = openSync(files.logPath, 'a', 0o600);
      } catch (error) {
        return fail('ERR_LOG_UNAVAILABLE', `cannot open the server log ${files.logPath}: ${(error as Error).message}`);
      }
      // Without a pid file a supervisor restarted after a crash could not adopt the server and would start a second one.
      const pidProblem = pidFileProblem(files.pidPath);
      if (pidProblem) {
        closeSync(fd);
        return fail('ERR_LOG_UNAVAILABLE', `cannot write the pid file ${files.pidPath}: ${pidProblem}`);
      }
      const [file] = server.command;
      if (!file) {
        closeSync(fd);
        return fail('ERR_SPAWN_FAILED', 'supervisor.server.command is empty');
      }
      const env: NodeJS.ProcessEnv = { ...process.env, ...server.env, PORT: String(server.port), PARACHUTE_CONFIG: configPath };
      // The supervisor's own API token is not the server's business.
      delete env.SUPERVISOR_TOKEN;
      let spawned = false;
      const { child, pidFileError } = spawnRecorded(
        server.command,
        {
          cwd: server.cwd ?? dirname(configPath),
          env,
          // Own process group: signals reach grandchildren too, and a terminal's Ctrl-C does not hit the server.
          detached: true,
          // A file, not a pipe: the server keeps logging if the supervisor dies.
          stdio: ['ignore', fd, fd],
        },
        files.pidPath,
        deps.now,
      );
      closeSync(fd);
      if (pidFileError !== null) {
        // The folder turned unwritable since the check above: the server runs, only adoption after a crash is lost.
        console.error(`[supervisor] pid file ${files.pidPath} not written (${pidFileError}); a supervisor restarted after a crash could not adopt pid ${child.pid}`);
      }
      // 'error' before 'spawn' means it never ran (ENOENT, EACCES); later errors are failed kills, already handled.
      child.once('error', (error) => {
        if (spawned) return;
        if (child.pid !== undefined && files !== null) removePidFileOf(files.pidPath, child.pid);
        fail('ERR_SPAWN_FAILED', `cannot start ${JSON.stringify(file)}: ${error.message}`);
      });
      child.once('spawn', () => {
        spawned = true;
        pid = child.pid ?? null;
        pgid = pid;
        if (pid === null || files === null) return;
        separator(files.logPath, { kind: 'started', pid, at: new Date(deps.now()) });
        send({ type: 'process.spawned', pid, pgid: pid, at: deps.now() });
        if (terminating) signal('SIGTERM');
      });
      // Exit events are handled at once: no polling delay between a crash and the lifecycle hearing of it.
      child.once('exit', (code, sig) => awaitEmptyGroup(code, sig));
      child.unref();
    };

    // An adopted server is not our child, so there is no exit event: poll its pid instead.
    const adopt = (record: NonNullable<ServerProcessInput['adopt']>, logDir: string) => {
      files = serverFiles(logDir);
      pid = record.pid;
      pgid = record.pgid;
      if (!isAlive(record.pid)) return reportExit(null, null);
      send({ type: 'process.spawned', pid: record.pid, pgid: record.pgid, at: deps.now(), adopted: true });
      const poll = () => {
        if (disposed) return;
        if (isAlive(record.pid)) return later(poll, deps.adoptPollMs ?? 250);
        awaitEmptyGroup(null, null);
      };
      later(poll, deps.adoptPollMs ?? 250);
    };

    // Read once per attempt: the policy reported, the port checked and the process spawned all come from this read.
    let settings: StartSettings;
    try {
      settings = deps.startSettings();
    } catch (error) {
      fail('ERR_SPAWN_FAILED', `cannot read the server settings: ${(error as Error).message}`);
      return () => undefined;
    }
    send({ type: 'process.launching', policy: policyOf(settings.server), at: deps.now() });
    if (input.adopt) {
      adopt(input.adopt, settings.logDir);
    } else {
      void start(settings).catch((error: unknown) => fail('ERR_SPAWN_FAILED', `cannot start the server: ${(error as Error).message}`));
    }

    // Stopping this actor never kills the server: only process.terminate/kill do (so --keep-server works).
    return () => {
      disposed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    };
  });
}

// A timestamped marker in server.log, so a reader of the stream sees every start and stop.
function separator(logPath: string, mark: ServerLogMark): void {
  try {
    writeSeparator(logPath, mark);
  } catch {
    // The log is best effort here; the lifecycle reports log failures when it opens the file.
  }
}
