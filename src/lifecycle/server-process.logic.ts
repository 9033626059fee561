import { closeSync, fstatSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { fromCallback } from 'xstate';
import type { LogSpan } from '../../machines/lifecycle-facts.js';
import type { ProcessCommand, ProcessInfo, ServerLifecycleEvent, ServerProcessInput, StartFailure } from '../../machines/server-lifecycle.types.js';
import type { ServerSettings } from '../config/settings.js';
import { layoutEnd, readLayout } from '../logs/log-layout.js';
import { writeSeparator, type ServerLogMark } from '../logs/log-separator.js';
import { serverFiles, type ServerFiles } from '../logs/server-files.js';
import { inheritedSocketEnv, socketForStart, startFailureOf, type InheritedSocket } from './inherited-socket.js';
import { policyOf } from './lifecycle-policy.js';
import { pidFileProblem, removePidFileOf } from './pid-file.js';
import { lookUpCommand } from './command-path.js';
import { portInUse } from './port-check.js';
import { portInUseMessage } from './port-holder.js';
import type { ProcessFacts } from './process-facts.js';
import { signalGroup } from './process-group.js';
import { spawnRecorded } from './spawn-recorded.js';

/** What one start needs, read fresh from config.yaml at that moment. */
export interface StartSettings {
  server: ServerSettings;
  logDir: string;
  configPath: string;
  /** Set when config.yaml has never parsed in this run: there are no settings the owner wrote to start with. */
  configProblem?: string | null;
}

export interface ServerProcessDeps {
  startSettings(): StartSettings;
  now(): number;
  /** How often an adopted process (not our child, so no exit event) is checked. */
  adoptPollMs?: number;
  /** The listening socket held for the server (supervisor.server.socket: inherit). */
  socket: InheritedSocket;
  /** What the operating system says about processes (process groups, liveness, start marks, port holders). */
  facts: ProcessFacts;
}

const groupPollMs = 20;

/**
 * Spawns (or adopts) the main server in its own process group and reports process.* facts to the lifecycle, the first
 * being process.launching with the policy it read from config.yaml for this attempt.
 */
export function serverProcessLogic(deps: ServerProcessDeps) {
  return fromCallback<ProcessCommand, ServerProcessInput>(({ sendBack, receive, input }) => {
    const run = new ProcessRun(sendBack, deps.now, deps.facts);
    receive((command) => run.terminate(command.type === 'process.kill' ? 'SIGKILL' : 'SIGTERM'));
    // Read once per attempt: the policy reported, the port checked and the process spawned all come from this read.
    let settings: StartSettings;
    try {
      settings = deps.startSettings();
    } catch (error) {
      run.fail('ERR_SPAWN_FAILED', `cannot read the server settings: ${(error as Error).message}`);
      return () => undefined;
    }
    run.send({ type: 'process.launching', policy: policyOf(settings.server), at: deps.now() });
    if (input.adopt) {
      adoptServer(run, input.adopt, settings.logDir, deps.adoptPollMs ?? 250);
    } else {
      void spawnServer(run, settings, deps.socket).catch((error: unknown) => run.fail('ERR_SPAWN_FAILED', `cannot start the server: ${(error as Error).message}`));
    }
    // Stopping this actor never kills the server: only process.terminate/kill do (so --keep-server works).
    return () => run.dispose();
  });
}

/** One attempt's process: what it knows of the server, its timers, and the facts it reports (each exit once). */
class ProcessRun {
  pid: number | null = null;
  pgid: number | null = null;
  files: ServerFiles | null = null;
  /** Stream offset of server.log where this run's output begins (null: unknown, e.g. an adopted server). */
  logFrom: number | null = null;
  /** A stop was asked for: signals go to the group, and a spawn not yet made never happens. */
  terminating = false;
  disposed = false;
  /** Why the exit, if it ends a start, is one a retry cannot fix (read when the process has exited); null: none known. */
  startFailure: (() => StartFailure | null) | null = null;
  private exitReported = false;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly sendBack: (event: ServerLifecycleEvent) => void,
    readonly now: () => number,
    readonly facts: ProcessFacts,
  ) {}

  /** Reports a fact to the lifecycle, unless the actor was stopped meanwhile. */
  send(event: ServerLifecycleEvent): void {
    if (!this.disposed) this.sendBack(event);
  }

  fail(code: string, message: string): void {
    this.send({ type: 'process.spawnFailed', code, message, at: this.now() });
  }

  /** A timer released with the actor. */
  later(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  signal(name: NodeJS.Signals): void {
    if (this.pgid !== null) signalGroup(this.pgid, name);
  }

  /** process.terminate / process.kill from the lifecycle. */
  terminate(name: NodeJS.Signals): void {
    this.terminating = true;
    this.signal(name);
  }

  /** The leader is gone; the exit counts only once no member of its group is left to hold the port. */
  awaitEmptyGroup(code: number | null, signal: string | null): void {
    if (this.disposed) return;
    const left = this.pgid === null ? [] : this.facts.groupMembers(this.pgid);
    if (left.length === 0) return this.reportExit(code, signal);
    // After a crash nobody asked the leftovers to stop: they are orphans of a dead server, so kill them now.
    if (!this.terminating && this.pgid !== null) signalGroup(this.pgid, 'SIGKILL');
    this.later(() => this.awaitEmptyGroup(code, signal), groupPollMs);
  }

  /** process.exited, once: the pid file goes and server.log gets its stopped separator. */
  reportExit(code: number | null, signal: string | null): void {
    if (this.exitReported) return;
    this.exitReported = true;
    let log: LogSpan | undefined;
    if (this.files && this.pid !== null) {
      // Where the run's output ends: before the separator below, so a crash's log tail holds only the server's lines.
      const to = streamEnd(this.files.logPath);
      if (to !== null) log = { from: this.logFrom, to };
      removePidFileOf(this.files.pidPath, this.pid);
      separator(this.files.logPath, { kind: 'stopped', pid: this.pid, code, signal: signal as NodeJS.Signals | null, at: new Date(this.now()) });
    }
    const startFailure = this.startFailure?.() ?? null;
    this.send({ type: 'process.exited', code, signal, at: this.now(), ...(log ? { log } : {}), ...(startFailure ? { startFailure } : {}) });
  }

  dispose(): void {
    this.disposed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

// Checks the port (or binds it, with socket: inherit), opens server.log and spawns the server detached in its own
// group, its output in the log.
async function spawnServer(run: ProcessRun, settings: StartSettings, socket: InheritedSocket): Promise<void> {
  const { server, logDir, configPath } = settings;
  // Defaults would run the demo command on port 3333, which is not the server the owner configured.
  if (settings.configProblem) {
    return run.fail('ERR_CONFIG_INVALID', `${settings.configProblem}; fix the file, then start the server again (it has not parsed since the supervisor started, so there are no settings to start with)`);
  }
  const [file] = server.command;
  if (!file) return run.fail('ERR_SPAWN_FAILED', 'supervisor.server.command is empty');
  const cwd = server.cwd ?? dirname(configPath);
  const env = serverEnv(server, configPath);
  // Checked after an await (the port check or the bind): a failure reported while the actor system is still starting
  // would come before the history listens.
  // With socket: inherit the bind is the port check: nobody else can take the port while we hold it.
  const held = server.socket === 'inherit' ? await socketForStart(socket, server, configPath) : null;
  if (held?.failure) return run.fail(held.failure.code, held.failure.message);
  if (held === null && (await portInUse(server.port))) {
    const holder = portInUseMessage(server.port, run.facts.portHolder(server.port));
    return run.fail('ERR_PORT_IN_USE', `${holder}; stop that process or change "port" in ${configPath}`);
  }
  // Said before spawning, with the path tried and the fix: a missing program is not a crash to retry.
  const command = lookUpCommand(file, env, cwd, configPath);
  if (!command.ok) return run.fail(command.code, command.message);
  // A stop that arrived while we checked the port: never spawn at all.
  if (run.disposed || run.terminating) return run.reportExit(null, null);
  const files = (run.files = serverFiles(logDir));
  const fd = openServerLog(run, files, logDir);
  if (fd === null) return;
  if (held?.socket) run.startFailure = startFailureOf(server, files.logPath, fstatSync(fd).size);
  run.logFrom = streamEnd(files.logPath);
  const { child, pidFileError } = spawnRecorded(
    server.command,
    {
      cwd,
      env,
      // Own process group: signals reach grandchildren too, and a terminal's Ctrl-C does not hit the server.
      detached: true,
      // A file, not a pipe: the server keeps logging if the supervisor dies. The held socket, if any, is its fd 3.
      stdio: held?.socket ? ['ignore', fd, fd, held.socket.fd] : ['ignore', fd, fd],
    },
    files.pidPath,
    run.now,
    run.facts,
  );
  closeSync(fd);
  if (pidFileError !== null) {
    // The folder turned unwritable since the check: the server runs, only adoption after a crash is lost.
    console.error(`[supervisor] pid file ${files.pidPath} not written (${pidFileError}); a supervisor restarted after a crash could not adopt pid ${child.pid}`);
  }
  let spawned = false;
  // 'error' before 'spawn' means it never ran (ENOENT, EACCES); later errors are failed kills, already handled.
  child.once('error', (error) => {
    if (spawned) return;
    if (child.pid !== undefined) removePidFileOf(files.pidPath, child.pid);
    run.fail('ERR_SPAWN_FAILED', `cannot start ${JSON.stringify(file)}: ${error.message}`);
  });
  child.once('spawn', () => {
    spawned = true;
    run.pid = run.pgid = child.pid ?? null;
    if (run.pid === null) return;
    separator(files.logPath, { kind: 'started', pid: run.pid, at: new Date(run.now()) });
    run.send({ type: 'process.spawned', pid: run.pid, pgid: run.pid, at: run.now() });
    if (run.terminating) run.signal('SIGTERM');
  });
  // Exit events are handled at once: no polling delay between a crash and the lifecycle hearing of it.
  child.once('exit', (code, sig) => run.awaitEmptyGroup(code, sig));
  child.unref();
}

// The fd the server appends its output to, once the pid file is known writable; null (failure reported) otherwise.
function openServerLog(run: ProcessRun, files: ServerFiles, logDir: string): number | null {
  let fd: number;
  try {
    mkdirSync(logDir, { recursive: true, mode: 0o700 });
    fd = openSync(files.logPath, 'a', 0o600);
  } catch (error) {
    run.fail('ERR_LOG_UNAVAILABLE', `cannot open the server log ${files.logPath}: ${(error as Error).message}`);
    return null;
  }
  // Without a pid file a supervisor restarted after a crash could not adopt the server and would start a second one.
  const pidProblem = pidFileProblem(files.pidPath);
  if (pidProblem) {
    closeSync(fd);
    run.fail('ERR_LOG_UNAVAILABLE', `cannot write the pid file ${files.pidPath}: ${pidProblem}`);
    return null;
  }
  return fd;
}

// The server's environment: ours, its configured env, PORT and PARACHUTE_CONFIG, and LISTEN_FDS/LISTEN_FDNAMES when it
// is handed the socket (else none, so it never looks for an fd 3 it does not have); never our own API token.
function serverEnv(server: ServerSettings, configPath: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...server.env, PORT: String(server.port), PARACHUTE_CONFIG: configPath };
  delete env.SUPERVISOR_TOKEN;
  for (const name of ['LISTEN_FDS', 'LISTEN_FDNAMES', 'LISTEN_PID']) delete env[name];
  return server.socket === 'inherit' ? { ...env, ...inheritedSocketEnv } : env;
}

// An adopted server is not our child, so there is no exit event: its pid is polled instead.
function adoptServer(run: ProcessRun, record: ProcessInfo, logDir: string, pollMs: number): void {
  run.files = serverFiles(logDir);
  run.pid = record.pid;
  run.pgid = record.pgid;
  if (!run.facts.isAlive(record.pid)) return run.reportExit(null, null);
  run.send({ type: 'process.spawned', pid: record.pid, pgid: record.pgid, at: run.now(), adopted: true });
  const poll = () => {
    if (run.disposed) return;
    if (run.facts.isAlive(record.pid)) return run.later(poll, pollMs);
    run.awaitEmptyGroup(null, null);
  };
  run.later(poll, pollMs);
}

// The stream offset after the last byte of server.log and its backups, or null when it cannot be read.
function streamEnd(logPath: string): number | null {
  try {
    return layoutEnd(readLayout(logPath));
  } catch {
    return null;
  }
}

// A timestamped marker in server.log, so a reader of the stream sees every start and stop.
function separator(logPath: string, mark: ServerLogMark): void {
  try {
    writeSeparator(logPath, mark);
  } catch {
    // The log is best effort here; the lifecycle reports log failures when it opens the file.
  }
}
