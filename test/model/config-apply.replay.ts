// Replays one path of the config applier's model (config-apply.model.ts) against a real supervisor: PUTs over HTTP,
// the restarts they cause steered through test/fixtures/steerable-server.mjs, config.yaml broken or edited by hand.
// The bare applier runs alongside as the oracle: after every event the daemon's applier handles, its transitions,
// state and context must be the oracle's; wherever the path holds still, every answered PUT, the history and the file
// must say what the oracle says, and no process may live outside the current server's process group.
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { ConfigApplyAnswer, ConfigApplyContext, ConfigApplyEvent } from '../../machines/config-apply.machine.js';
import { statePath } from '../../src/actors/state-value.js';
import { errorStatus } from '../../src/errors.js';
import { freePort } from '../support/free-port.js';
import { request, type HttpAnswer } from '../support/http.js';
import type { MachineCoverage } from '../support/machine-coverage.js';
import { census } from '../support/process-census.js';
import { steer } from '../support/steerable.js';
import { fixture, startHarness, type Harness } from '../support/supervisor-harness.js';
import { waitFor } from '../support/wait-for.js';
import { ActorTrace, drivePath, sweepLeftovers, type TraceEntry as ActorTraceEntry } from './actor-trace.js';
import { expectEqual, pick } from './compare.js';
import { configStepName, createConfigOracle, outcomes, type ConfigPath, type ConfigStep, type OutcomeStep } from './config-apply.model.js';

/** Where the replay counts the transitions the daemon's applier took. */
export interface ConfigReplayOptions {
  coverage?: MachineCoverage;
}

type TraceEntry = ActorTraceEntry<ConfigApplyContext>;

// One PUT sent: the value it sets, the file before it, and its answer once it comes.
interface Put {
  value: number;
  restart: boolean;
  before: string;
  answer: Promise<HttpAnswer | Error>;
}

const never = 120_000;
const broken = 'broken: [unclosed\n';
const edit = '# edited by hand while the new config was applied\n';

/** Replays `path`; resolves when every step matched, rejects naming the first difference. */
export async function replayConfigPath(path: ConfigPath, options: ConfigReplayOptions = {}): Promise<void> {
  await drivePath(new ConfigReplay(path, options), path.steps.length);
}

class ConfigReplay {
  private readonly dir = mkdtempSync(join(tmpdir(), 'psup-model-config-'));
  private readonly configPath = join(this.dir, 'config.yaml');
  private readonly marker = `PSUP_MODEL_RUN=${Math.random().toString(36).slice(2)}`;
  private port = 0;
  private h: Harness | null = null;
  private oracle = createConfigOracle();
  private readonly recorder = new ActorTrace<ConfigApplyContext>('config', () => ({}));
  private readonly trace = this.recorder.entries;
  private cursor = 0;
  private readonly puts: Put[] = [];
  private readonly requestIds: string[] = [];
  /** Answers already compared, and the value config.yaml must hold at rest. */
  private checkedAnswers = 0;
  private inForce: number | null = null;
  private servedPid: number | null = null;
  private goodText = '';

  constructor(
    private readonly path: ConfigPath,
    private readonly options: ConfigReplayOptions,
  ) {}

  /** A supervisor whose server runs (steered up), and an oracle started where the daemon's applier started. */
  async boot(): Promise<void> {
    this.port = await freePort();
    this.writeConfig();
    this.h = await startHarness({ dir: this.dir, inspect: this.recorder.observe });
    const started = await this.h.post('/supervisor/server/start?wait=false');
    if (started.status !== 202) throw new Error(`the start answered ${started.status}`);
    await this.steerNewServer({ health: 'ok' });
    await this.h.waitForStatus('the server running', (s) => s.main_server_status === 'running');
    expectEqual('the initial context', this.recorder.initial?.context, this.oracle.snapshot().context);
  }

  async step(i: number): Promise<void> {
    const { step, kind } = this.path.steps[i] as ConfigPath['steps'][number];
    try {
      if (kind === 'file') this.editFile(step.type);
      if (kind === 'act') await this.cause(step);
      if (kind !== 'file') await this.match(step);
      if (this.heldAfter(i)) await this.checkHeld();
    } catch (error) {
      throw new Error(`step ${i + 1} (${configStepName(step)}) of ${this.path.description}: ${(error as Error).message}`, { cause: error });
    }
  }

  async finish(): Promise<void> {
    if (this.heldAfter(this.path.steps.length - 1) && this.cursor !== this.trace.length) {
      throw new Error(`the daemon's config applier handled ${this.trace[this.cursor]?.event.type} after the last step of ${this.path.description}`);
    }
  }

  async cleanup(failed: boolean): Promise<void> {
    await this.h?.close();
    // Every PUT is answered by now, if only with "shutting down".
    await Promise.all(this.puts.map((put) => put.answer));
    sweepLeftovers(this.marker, this.dir, failed);
  }

  private async cause(step: ConfigStep): Promise<void> {
    switch (step.type) {
      case 'config.apply': {
        const { restart } = (step as ConfigApplyEvent).request;
        const value = 1000 + this.puts.length + 1;
        const before = readFileSync(this.configPath, 'utf8');
        const answer = request(`${this.harness().url}/supervisor/config`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ values: { max_message_length: value }, restart }),
        }).catch((error: Error) => error);
        this.puts.push({ value, restart, before, answer });
        return;
      }
      case outcomes.restarted.type:
      case outcomes.restartedOnRestored.type:
        return this.steerNewServer({ health: 'ok' });
      case outcomes.restartFailed.type:
      case outcomes.failedOnRestored.type:
        return this.steerNewServer({ exit: 3 });
      default:
        throw new Error(`the replay cannot cause ${configStepName(step)}`);
    }
  }

  // The restart under way has spawned a server, held in starting: tell it to come up or to crash.
  private async steerNewServer(order: { health: 'ok' } | { exit: number }): Promise<void> {
    const server = this.harness().sup.system.refs.server;
    const pid = await waitFor('a new server process', () => {
      const s = server.getSnapshot();
      const current = s.context.process?.pid;
      return s.value === 'starting' && current !== undefined && current !== this.servedPid ? current : undefined;
    });
    await waitFor(`fixture pid ${pid} to listen`, async () => (await steer(this.port, {}, 1_000)).pid === pid);
    this.servedPid = pid;
    await steer(this.port, order);
  }

  private editFile(type: string): void {
    if (type === 'file.break') {
      this.goodText = readFileSync(this.configPath, 'utf8');
      appendFileSync(this.configPath, broken);
    } else if (type === 'file.fix') {
      writeFileSync(this.configPath, this.goodText);
    } else {
      appendFileSync(this.configPath, edit);
    }
  }

  private async match(expected: ConfigStep): Promise<void> {
    const entry = await waitFor(`the daemon's config applier to handle ${expected.type}`, () => this.trace[this.cursor]);
    this.cursor += 1;
    if (entry.event.type !== expected.type) throw new Error(`expected ${expected.type}, but the daemon's config applier handled ${entry.event.type}`);
    this.checkFacts(expected, entry);
    const labels = this.oracle.send(entry.event as ConfigStep);
    expectEqual(`the transitions taken on ${entry.event.type}`, entry.labels, labels);
    expectEqual(`the state after ${entry.event.type}`, statePath(entry.value), statePath(this.oracle.snapshot().value));
    expectEqual(`the context after ${entry.event.type}`, entry.context, this.oracle.snapshot().context);
    this.options.coverage?.record(entry.labels, entry.value);
    const group = this.harness().sup.system.refs.server.getSnapshot().context.process?.pgid;
    const strays = census(this.marker).filter((p) => p.pgid !== group);
    if (strays.length > 0) throw new Error(`alive outside the server's process group (${group ?? 'none'}): ${JSON.stringify(strays)}`);
  }

  // The fields of an event the model fixes: what a PUT asked for, the keys written, the code of a refusal.
  private checkFacts(expected: ConfigStep, entry: TraceEntry): void {
    const real = entry.event;
    if (real.type === 'config.apply') {
      const put = this.puts[this.requestIds.length];
      const { request: sent } = real as unknown as ConfigApplyEvent;
      expectEqual('the change the applier got', { values: sent.values, restart: sent.restart }, { values: { max_message_length: put?.value }, restart: put?.restart });
      this.requestIds.push(sent.requestId);
    }
    const wantCode = ((expected as OutcomeStep).error as { code?: string } | undefined)?.code;
    const gotCode = (real.error as { code?: string } | undefined)?.code;
    if (wantCode !== undefined && wantCode !== gotCode) throw new Error(`expected ${expected.type} with ${wantCode}, got ${gotCode}: ${(real.error as Error)?.message}`);
    if (expected.type === outcomes.written.type) {
      expectEqual('the keys written', (real.output as { updatedKeys: string[] }).updatedKeys, outcomes.written.output.updatedKeys);
    }
  }

  // The path holds still after step i when the next step is the test's to take (the applier is then at rest, or a
  // restart it waits for is held by the fixture).
  private heldAfter(i: number): boolean {
    const next = this.path.steps[i + 1];
    if (next) return next.kind !== 'auto';
    const where = statePath((this.path.steps[i] as ConfigPath['steps'][number]).after.machine.value);
    return where === 'idle' || where === 'applying' || where === 'rollingBack.restarting';
  }

  private async checkHeld(): Promise<void> {
    const answers = this.oracle.emitted.flatMap((e) => (e.type === 'config.answered' ? [e.answer] : []));
    for (; this.checkedAnswers < answers.length; this.checkedAnswers += 1) await this.checkAnswer(answers[this.checkedAnswers] as ConfigApplyAnswer);
    const facts = this.oracle.emitted.filter((e) => e.type !== 'config.answered');
    const recorded = await waitFor(`the history to hold ${facts.length} config events`, async () => {
      const events = configEventsOfThisRun(await this.harness().history());
      return events.length >= facts.length ? events : undefined;
    });
    expectEqual('the history', recorded, facts);
    if (statePath(this.oracle.snapshot().value) === 'idle' && !readFileSync(this.configPath, 'utf8').includes(broken)) {
      const data = parse(readFileSync(this.configPath, 'utf8')) as Record<string, unknown>;
      expectEqual('max_message_length in config.yaml', data.max_message_length ?? null, this.inForce);
    }
  }

  // A PUT's answer is the one the oracle gave its request; the file is what that answer says it is.
  private async checkAnswer(answer: ConfigApplyAnswer): Promise<void> {
    const index = this.requestIds.indexOf(answer.requestId);
    const put = this.puts[index];
    if (!put) throw new Error(`the oracle answered a request no PUT sent (${answer.requestId})`);
    const http = await put.answer;
    if (http instanceof Error) throw new Error(`PUT #${index + 1} failed: ${http.message}`);
    if (answer.ok) {
      expectEqual(`the answer to PUT #${index + 1}`, { status: http.status, updated: http.json.updated_keys, restarted: http.json.server_restarted }, {
        status: 200,
        updated: answer.updatedKeys,
        restarted: answer.serverRestarted,
      });
      this.inForce = put.value;
      return;
    }
    const { code, extra } = answer.failure;
    expectEqual(`the answer to PUT #${index + 1}`, { status: http.status, code: http.json.code, ...pick(http.json, Object.keys(extra)) }, {
      status: errorStatus[code as keyof typeof errorStatus],
      code,
      ...extra,
    });
    if (code === 'ERR_CONFIG_ROLLED_BACK') {
      // Rolled back: the file holds again, byte for byte, what it held before the PUT.
      expectEqual(`config.yaml after PUT #${index + 1} was rolled back`, readFileSync(this.configPath, 'utf8'), put.before);
    } else if (extra.rolled_back === false) {
      // Not rolled back (the file was edited by hand since): the new value stays, with the hand edit.
      this.inForce = put.value;
    }
  }

  private writeConfig(): void {
    const config = {
      port: this.port,
      default_model: 'claude-sonnet-4-5',
      supervisor: {
        log_dir: join(this.dir, 'logs'),
        server: {
          command: [process.execPath, fixture('steerable-server.mjs')],
          autostart: false,
          intensity: 50,
          start_timeout_ms: never,
          stop_timeout_ms: never,
          backoff_ms: never,
          backoff_max_ms: never,
          health_interval_ms: never,
          health_timeout_ms: never,
          // Restarts stop the old server at once; every new one is held in starting until steered.
          env: { [this.marker.split('=')[0] as string]: this.marker.split('=')[1] as string, STEER_SIGTERM: 'exit' },
        },
      },
    };
    writeFileSync(this.configPath, stringify(config), { mode: 0o600 });
  }

  private harness(): Harness {
    if (!this.h) throw new Error('no supervisor yet');
    return this.h;
  }
}

// The config facts of the history since this supervisor started, oldest first, without seq and time.
function configEventsOfThisRun(newestFirst: Record<string, unknown>[]): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  for (const event of newestFirst) {
    if (event.type === 'supervisor_started') break;
    if (typeof event.type !== 'string' || !event.type.startsWith('config_')) continue;
    const { seq: _seq, at: _at, ...fact } = event;
    events.unshift(fact);
  }
  return events;
}
