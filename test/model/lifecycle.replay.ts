// Replays one path of the lifecycle model (lifecycle.model.ts) against a real supervisor (the in-process harness)
// supervising test/fixtures/steerable-server.mjs, with the bare machine run alongside as the oracle. After every event
// the daemon's lifecycle handles, its state, context and transitions must be the oracle's; wherever the path holds
// still, status and history over HTTP must say what the oracle says, and no process may live outside the current
// server's process group. Any difference throws, naming the step.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { LifecycleFact } from '../../machines/lifecycle-facts.js';
import type { ServerLifecycleContext, ServerLifecycleEvent } from '../../machines/server-lifecycle.types.js';
import { statePath, topState } from '../../src/actors/state-value.js';
import { freePort } from '../support/free-port.js';
import type { MachineCoverage } from '../support/machine-coverage.js';
import { census, type Counted } from '../support/process-census.js';
import { blockPort, clogPort, steer, type PortBlocker } from '../support/steerable.js';
import { fixture, startHarness, type Harness } from '../support/supervisor-harness.js';
import { waitFor } from '../support/wait-for.js';
import { ActorTrace, drivePath, sweepLeftovers } from './actor-trace.js';
import { expectEqual, pick } from './compare.js';
import {
  createOracle,
  instantRestart,
  launched,
  portCheckUnderWay,
  stepKind,
  stepName,
  stepsFrom,
  timers,
  healthFailures,
  intensity,
  periodMs,
  type ModelPath,
  type ModelState,
  type ModelStep,
} from './lifecycle.model.js';

/** How to break the replay on purpose (a test of the test): the fixture lies about its exit, or lets a child escape. */
export type Lie = 'exit' | 'escape';

/** A lie to tell (a test of the test), and where to count the transitions the daemon took. */
export interface ReplayOptions {
  lie?: Lie;
  /** Where the transitions the daemon took, step by step, are counted. */
  coverage?: MachineCoverage;
}

// The timer values of one attempt (config.yaml is read at every start): a timer the path waits for is short, with
// room for each step the test takes inside the state first; every other timer is too long to fire during a path.
interface Timings {
  start_timeout_ms: number;
  stop_timeout_ms: number;
  backoff_ms: number;
  backoff_max_ms: number;
  stable_ms: number;
}

// How often the liveness probe asks, read afresh at every probe (not latched at the start): often only in a stint of
// running whose path steers health (ModelState.probed), else never during a path.
const probingMs = 50;
const never = 120_000;
// Room for each step the test takes inside a state before its timer is to fire (an HTTP request, an order to the
// fixture, the checks where the path holds still), on a loaded machine.
const perStepMs = 1_000;
const longTimings = (): Timings => ({ start_timeout_ms: never, stop_timeout_ms: never, backoff_ms: never, backoff_max_ms: never, stable_ms: never });

/** Replays `path`; resolves when every step matched, rejects naming the first difference. */
export async function replayLifecyclePath(path: ModelPath, options: ReplayOptions = {}): Promise<void> {
  await drivePath(new LifecycleReplay(path, options), path.steps.length);
}

class LifecycleReplay {
  private readonly dir = mkdtempSync(join(tmpdir(), 'psup-model-'));
  private readonly configPath = join(this.dir, 'config.yaml');
  private readonly marker = `PSUP_MODEL_RUN=${Math.random().toString(36).slice(2)}`;
  private readonly timings: Timings[];
  private readonly probing: boolean[];
  private attempt = 0;
  private port = 0;
  private h: Harness | null = null;
  /** The supervisor that starts the server an adoption path adopts. */
  private first: Harness | null = null;
  private blocker: PortBlocker | null = null;
  private oracle: ReturnType<typeof createOracle> | null = null;
  // Every event the lifecycle actor handled, with who was alive at that moment.
  private readonly recorder = new ActorTrace<ServerLifecycleContext, { alive: Counted[] }>('server', () => ({ alive: census(this.marker) }));
  private readonly trace = this.recorder.entries;
  private cursor = 0;
  private adopting: number | null = null;

  constructor(
    private readonly path: ModelPath,
    private readonly options: ReplayOptions,
  ) {
    this.timings = planTimings(path);
    this.probing = planProbing(path);
  }

  /** A supervisor on a fresh folder, the server not started (adoption paths start it in their first step). */
  async boot(): Promise<void> {
    this.port = await freePort();
    if (this.path.steps[0]?.step.type === 'server.adopt') return;
    this.writeConfig(this.timings[0] ?? longTimings(), never);
    this.h = await startHarness({ dir: this.dir, inspect: this.recorder.observe });
    this.startOracle();
  }

  /** Causes step i, then checks every event the daemon handled for it, and, where the path holds still, all else. */
  async step(i: number): Promise<void> {
    const { step, before, kind } = this.path.steps[i] as ModelPath['steps'][number];
    const where = `step ${i + 1} (${stepName(step)} in ${statePath(before.machine.value)}) of ${this.path.description}`;
    try {
      if (kind === 'act') await this.cause(step, before);
      if (kind === 'port') await this.changePort(step);
      // A wait is a timer of at most a few seconds (planTimings) or a clogged port check (500 ms): 15 s is room enough.
      for (const expected of this.expectedEvents(i)) await this.match(expected, kind === 'wait' ? 15_000 : 10_000);
      if (step.type === 'process.spawned' && !step.adopted) await this.fixtureListening();
      if (this.heldAfter(i)) await this.checkHeld();
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message}`, { cause: error });
    }
  }

  /** After the last step: nothing more happened than the path says, while it holds still. */
  async finish(): Promise<void> {
    const last = this.path.steps.length - 1;
    if (this.heldAfter(last) && this.cursor !== this.trace.length) {
      throw new Error(`the daemon's lifecycle handled ${describe(this.trace[this.cursor]?.event)} after the last step of ${this.path.description}`);
    }
  }

  /** The last lines of server.log (the supervisor's start and stop marks and the fixture's own lines): what the server said is often why. */
  explain(): string {
    try {
      const lines = readFileSync(join(this.dir, 'logs', 'server.log'), 'utf8').trimEnd().split('\n').slice(-15);
      return `server.log, last ${lines.length} lines:\n  ${lines.join('\n  ')}`;
    } catch {
      return 'server.log: none';
    }
  }

  /** Stops the supervisor and the server, frees the port; then nothing this path started may be alive. */
  async cleanup(failed: boolean): Promise<void> {
    this.writeConfig(longTimings(), never, { STEER_SIGTERM: 'exit' });
    const pid = this.h?.sup.system.refs.server.getSnapshot().context.process?.pid;
    // A fixture holding SIGTERM lets the supervisor's stop at shutdown end at once.
    if (pid !== undefined) await steer(this.port, { sigterm: 'exit' }, 2_000).catch(() => undefined);
    await this.first?.close();
    await this.h?.close();
    await this.blocker?.release();
    sweepLeftovers(this.marker, this.dir, failed);
  }

  // The oracle starts where the daemon's lifecycle started: same policy, same context.
  private startOracle(): void {
    const initial = this.recorder.initial;
    if (!initial) throw new Error('the lifecycle actor was not seen starting');
    this.oracle = createOracle(initial.context.policy);
    expectEqual('the initial context', initial.context, this.oracle.snapshot().context);
  }

  private async cause(step: ModelStep, before: ModelState): Promise<void> {
    switch (step.type) {
      case 'server.start':
      case 'server.stop':
      case 'server.restart': {
        const h = this.harness();
        if (step.type === 'server.restart' && step.fresh) {
          // What the config applier sends: through the door, not awaited (its answer comes when the restart is done).
          void h.sup.system.actors.command('restart', { fresh: true, cause: 'config_apply' }).catch(() => undefined);
          return;
        }
        const answer = await h.post(`/supervisor/${step.type.replace('.', '/')}?wait=false`);
        if (answer.status !== 202) throw new Error(`POST ${step.type} answered ${answer.status}: ${answer.text}`);
        return;
      }
      case 'server.adopt':
        return this.bootAdopting();
      case 'process.exited': {
        const pid = before.machine.context.process ? this.oracleContext().process?.pid : undefined;
        if (pid === undefined) throw new Error('no process to end');
        if (step.signal === 'SIGKILL') process.kill(pid, 'SIGKILL');
        else if (step.startFailure) await steer(this.port, { bindPort: true });
        // An adopted server told to end: a crash while it runs, a clean exit once asked to stop (the supervisor sees neither).
        else if (step.code === null) await steer(this.port, { exit: topState(before.machine.value) === 'stopping' ? 0 : 3 });
        else await steer(this.port, { exit: step.code });
        return;
      }
      case 'health.ok':
        await steer(this.port, { health: 'ok' });
        return;
      case 'health.failed':
        await steer(this.port, { health: 'refuse-once' });
        return;
      default:
        throw new Error(`the replay cannot cause ${stepName(step)}`);
    }
  }

  // The first step of an adoption path: a supervisor starts the server and leaves it running (--keep-server), holding
  // its health; a second supervisor then finds it through the pid file and adopts it (server.adopt at boot).
  private async bootAdopting(): Promise<void> {
    this.writeConfig(longTimings(), never);
    const first = (this.first = await startHarness({ dir: this.dir, keepServer: true }));
    const started = await first.post('/supervisor/server/start?wait=false');
    if (started.status !== 202) throw new Error(`the first supervisor's start answered ${started.status}`);
    const { main_server_pid: pid } = await first.waitForStatus('the first server spawned', (s) => s.main_server_pid !== null);
    await waitFor(`fixture pid ${pid} to listen`, async () => (await steer(this.port, {}, 1_000)).pid === pid);
    await steer(this.port, { health: 'ok' });
    await first.waitForStatus('the first server running', (s) => s.main_server_status === 'running');
    await steer(this.port, { health: 'hold' });
    await first.close();
    this.writeConfig(this.timings[0] ?? longTimings(), never);
    this.h = await startHarness({ dir: this.dir, inspect: this.recorder.observe });
    this.startOracle();
  }

  private async changePort(step: ModelStep): Promise<void> {
    if (step.type === 'port.free') {
      await this.blocker?.release();
      this.blocker = null;
    } else {
      this.blocker = step.type === 'port.block' ? await blockPort(this.port) : await clogPort(this.port);
    }
  }

  // The events the daemon's lifecycle must handle for step i, in order: the step's own, and process.launching when
  // the step began a new attempt (its process actor reports the policy it read first).
  private expectedEvents(i: number): (ModelStep | { type: 'process.launching' })[] {
    const { step, before, after } = this.path.steps[i] as ModelPath['steps'][number];
    if (step.type.startsWith('port.')) return [];
    return launched(before.machine, after.machine) ? [step, { type: 'process.launching' }] : [step];
  }

  // Takes the next event the daemon handled, which must be `expected`; runs it on the oracle, and compares.
  private async match(expected: ModelStep | { type: 'process.launching' }, timeoutMs: number): Promise<void> {
    const entry = await waitFor(`the daemon's lifecycle to handle ${describe(expected)}`, () => this.trace[this.cursor], { timeoutMs });
    this.cursor += 1;
    if (entry.event.type !== expected.type) throw new Error(`expected ${describe(expected)}, but the daemon's lifecycle handled ${describe(entry.event)}`);
    checkFacts(expected, entry.event);
    const oracle = this.oracle;
    if (!oracle) throw new Error('no oracle yet');
    const labels = oracle.send(entry.event as ServerLifecycleEvent);
    expectEqual(`the transitions taken on ${describe(entry.event)}`, entry.labels, labels);
    expectEqual(`the state after ${describe(entry.event)}`, statePath(entry.value), statePath(oracle.snapshot().value));
    expectEqual(`the context after ${describe(entry.event)}`, entry.context, oracle.snapshot().context);
    this.options.coverage?.record(entry.labels, entry.value);
    // No process outside the current server's group, at the moment the event was handled. A server being adopted is
    // the current one from server.adopt on, though the lifecycle names it only once its process actor has looked.
    if (entry.event.type === 'server.adopt') this.adopting = (entry.event['process'] as { pgid: number }).pgid;
    if (entry.event.type === 'process.spawned') this.adopting = null;
    const group = entry.context.process?.pgid ?? this.adopting;
    const strays = entry.alive.filter((p) => p.pgid !== group);
    if (strays.length > 0) throw new Error(`alive outside the current process group (${group ?? 'none'}) after ${describe(entry.event)}: ${JSON.stringify(strays)}`);
    // The attempt has read config.yaml: the next attempt's timers go in now, with how often to probe this one.
    if (entry.event.type === 'process.launching') {
      this.writeConfig(this.timings[this.attempt + 1] ?? longTimings(), this.probing[this.attempt] ? probingMs : never);
      this.attempt += 1;
    }
  }

  // A fixture just spawned answers once it is listening, its SIGTERM handler in place: only then can it be steered.
  private async fixtureListening(): Promise<void> {
    const pid = this.oracleContext().process?.pid;
    await waitFor(`fixture pid ${pid} to listen`, async () => (await steer(this.port, {}, 1_000)).pid === pid);
  }

  // Where the path holds still after step i (the next step is the test's to take), status, history and the processes
  // are checked against the oracle.
  private heldAfter(i: number): boolean {
    const next = this.path.steps[i + 1];
    if (next) return next.kind === 'act' || next.kind === 'port';
    const after = (this.path.steps[i] as ModelPath['steps'][number]).after;
    const moving = stepsFrom(after, this.path.variant).some((s) => stepKind(after, s) === 'auto');
    return !moving && !(portCheckUnderWay(after.machine) && after.port === 'clogged');
  }

  private async checkHeld(): Promise<void> {
    const h = this.harness();
    const c = this.oracleContext();
    const value = this.oracle?.snapshot().value;
    const running = topState(value) === 'running';
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    const status = await h.status();
    expectEqual('status', pick(status, statusFields), {
      main_server_status: topState(value),
      main_server_state: statePath(value),
      main_server_pid: c.process?.pid ?? null,
      main_server_adopted: c.process?.adopted ?? false,
      main_server_healthy: running && c.healthy,
      main_server_health: running ? (c.healthy ? 'healthy' : 'unhealthy') : 'unknown',
      main_server_version: running ? c.serverVersion : null,
      restart_count: c.restartCount,
      last_error_code: c.lastError?.code ?? null,
      last_error: c.lastError?.message ?? null,
      last_exit: c.lastExit ? { code: c.lastExit.code, signal: c.lastExit.signal, at: iso(c.lastExit.at) } : null,
      next_restart_at: iso(c.nextRestartAt),
    });
    // The recorder turns a crash's logSpan into its log_tail (read from server.log; not the machine's to know).
    const emitted = (this.oracle?.emitted ?? []).map((fact: LifecycleFact) => {
      const { logSpan: _span, ...rest } = fact as LifecycleFact & { logSpan?: unknown };
      return rest;
    });
    const recorded = await waitFor(`the history to hold ${emitted.length} lifecycle events`, async () => {
      const events = lifecycleEventsOfThisRun(await h.history());
      return events.length >= emitted.length ? events : undefined;
    });
    expectEqual('the history', recorded, emitted);
    const alive = census(this.marker);
    const leader = c.process?.pid ?? null;
    const strays = alive.filter((p) => p.pgid !== c.process?.pgid);
    if (strays.length > 0) throw new Error(`alive outside the current process group: ${JSON.stringify(strays)}`);
    if (leader !== null && !alive.some((p) => p.pid === leader)) throw new Error(`the server pid ${leader} the lifecycle names is not alive`);
  }

  private writeConfig(timings: Timings, healthIntervalMs: number, env: Record<string, string> = {}): void {
    const variant = this.path.variant;
    const config = {
      port: this.port,
      default_model: 'claude-sonnet-4-5',
      supervisor: {
        log_dir: join(this.dir, 'logs'),
        server: {
          command: [process.execPath, fixture('steerable-server.mjs')],
          autostart: false,
          restart: variant.restart,
          socket: variant.socket,
          intensity,
          period_ms: periodMs,
          health_failures: healthFailures,
          health_interval_ms: healthIntervalMs,
          health_timeout_ms: 60_000,
          ...timings,
          env: { [this.marker.split('=')[0] as string]: this.marker.split('=')[1] as string, ...(this.options.lie ? { STEER_LIE: this.options.lie } : {}), ...env },
        },
      },
    };
    writeFileSync(this.configPath, stringify(config), { mode: 0o600 });
  }

  private harness(): Harness {
    if (!this.h) throw new Error('no supervisor yet');
    return this.h;
  }

  private oracleContext(): ServerLifecycleContext {
    if (!this.oracle) throw new Error('no oracle yet');
    return this.oracle.snapshot().context;
  }
}

// The timer values each attempt is launched with, from the steps the path takes in it (see Timings).
function planTimings(path: ModelPath): Timings[] {
  const steps = path.steps;
  const launches = steps.flatMap((s, i) => (launched(s.before.machine, s.after.machine) ? [i] : []));
  // Steps the test takes itself after the step that entered the state step j is taken in, and before step j.
  const stepsInside = (j: number, state: string) => {
    let entering = j - 1;
    while (entering > 0 && topState((steps[entering - 1] as (typeof steps)[number]).after.machine.value) === state) entering -= 1;
    return steps.slice(entering + 1, j).filter((s) => s.kind === 'act' || s.kind === 'port').length;
  };
  return launches.map((first, a) => {
    const t = longTimings();
    const last = launches[a + 1] ?? steps.length - 1;
    for (let j = first + 1; j <= last; j += 1) {
      const { step, before } = steps[j] as (typeof steps)[number];
      // A new server needs ~100 ms (seconds on a loaded machine) to hold SIGTERM; a clogged check ends after 500 ms.
      if (step.type === timers.startTimeout) t.start_timeout_ms = (portCheckUnderWay(before.machine) ? 250 : 2_500) + stepsInside(j, 'starting') * perStepMs;
      if (step.type === timers.stopTimeout) t.stop_timeout_ms = 300 + stepsInside(j, 'stopping') * perStepMs;
      if (step.type === timers.stableAfter) t.stable_ms = 300 + stepsInside(j, 'running') * perStepMs;
      if (step.type === timers.restartBackoff && !instantRestart(before.machine)) t.backoff_ms = t.backoff_max_ms = 50;
    }
    return t;
  });
}

// For each attempt: whether the path steers health while it runs (then the liveness probe must ask often).
function planProbing(path: ModelPath): boolean[] {
  const probing: boolean[] = [];
  for (const { step, before, after } of path.steps) {
    if (launched(before.machine, after.machine)) probing.push(false);
    const health = step.type === 'health.ok' || step.type === 'health.failed';
    if (health && topState(before.machine.value) === 'running') probing[probing.length - 1] = true;
  }
  return probing;
}

// The lifecycle facts of the history since this supervisor started, oldest first, without what the recorder adds.
function lifecycleEventsOfThisRun(newestFirst: Record<string, unknown>[]): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  for (const event of newestFirst) {
    if (event.type === 'supervisor_started') break;
    if (typeof event.type !== 'string' || event.type.startsWith('supervisor_') || event.type.startsWith('config_')) continue;
    const { seq: _seq, at: _at, log_tail: _tail, ...fact } = event;
    events.unshift(fact);
  }
  return events;
}

const statusFields = [
  'main_server_status',
  'main_server_state',
  'main_server_pid',
  'main_server_adopted',
  'main_server_healthy',
  'main_server_health',
  'main_server_version',
  'restart_count',
  'last_error_code',
  'last_error',
  'last_exit',
  'next_restart_at',
] as const;


// The fields of a fact the model fixes (the daemon supplies pids, times and messages, which the oracle then gets).
function checkFacts(expected: ModelStep | { type: string }, real: { type: string }): void {
  const e = expected as Record<string, unknown>;
  const r = real as Record<string, unknown>;
  const fixed: Record<string, string[]> = {
    'process.exited': ['code', 'signal'],
    'process.spawnFailed': ['code'],
    'health.ok': ['version'],
    'health.failed': ['message'],
    'server.restart': ['fresh', 'cause'],
  };
  for (const key of fixed[real.type] ?? []) {
    if (e[key] !== r[key]) throw new Error(`expected ${describe(expected)}, but the daemon's lifecycle handled ${describe(real)}`);
  }
  if (real.type === 'process.spawned' && Boolean(e.adopted) !== Boolean(r.adopted)) throw new Error(`expected ${describe(expected)}, got ${describe(real)}`);
  if (real.type === 'process.exited') {
    const want = (e.startFailure as { code?: string } | undefined)?.code;
    const got = (r.startFailure as { code?: string } | undefined)?.code;
    if (want !== got) throw new Error(`expected ${describe(expected)}, but the daemon's lifecycle handled ${describe(real)}`);
  }
}

function describe(event: { type: string } | undefined): string {
  if (!event) return 'nothing';
  const { type, ...rest } = event as Record<string, unknown> & { type: string };
  delete rest.policy;
  delete rest.at;
  const shown = JSON.stringify(rest);
  return shown === '{}' ? type : `${type} ${shown}`;
}
