import { createActor, type InspectionEvent } from 'xstate';

type InspectionObserver = (event: InspectionEvent) => void;
import { serverLifecycleMachine } from '../machines/server-lifecycle.machine.js';
import { supervisorMachine, type BootAction } from '../machines/supervisor.machine.js';
import { readConfig, type ConfigRead } from './config/config-file.js';
import {
  defaultEnvironment,
  resolveServerSettings,
  resolveSupervisorSettings,
  type ServerSettings,
  type SettingsEnvironment,
  type SupervisorSettings,
} from './config/settings.js';
import { demoCommand } from './demo/demo-command.js';
import { InspectionHub } from './inspect/inspection-hub.js';
import { InspectionReplay, inspectionReplayPath } from './inspect/inspection-replay.js';
import { createFetchModelsLogic, createRetrieveModelLogic } from './models/fetch-models.logic.js';
import { createModelsConfig, type ModelsConfig } from './models/models-config.js';
import { redactValue } from './redact/redact-config.js';
import { configApplyMachine } from '../machines/config-apply.machine.js';
import { modelCacheMachine } from '../machines/model-cache.machine.js';
import { inspectedActors } from './inspect/machine-definitions.js';
import { createActorDoor, type ActorDoor } from './actors/actor-door.js';
import { systemRefs, type SystemRefs } from './actors/actor-refs.js';
import { applyTimeoutMs, modelCheckWaitMs, modelsWaitMs } from './actors/actor-requests.js';
import { configApplyActors } from './config/config-apply.logic.js';
import { checkAdoption, type AdoptionVerdict } from './lifecycle/adoption.js';
import { processFactsFor, type ProcessFacts } from './lifecycle/process-facts.js';
import { InheritedSocket } from './lifecycle/inherited-socket.js';
import { policyOf } from './lifecycle/lifecycle-policy.js';
import { livenessProbeLogic, readinessProbeLogic } from './lifecycle/probes.logic.js';
import { serverProcessLogic } from './lifecycle/server-process.logic.js';
import { serverFiles } from './logs/server-files.js';
import { lifecycleFactTypes } from '../machines/lifecycle-facts.js';
import { HistoryRecorder } from './history/history-recorder.js';
import { configuredSecrets } from './redact/configured-secrets.js';
import { supervisorVersion } from './version.js';

export interface SystemOptions {
  configPath: string;
  /** Leave the server running at shutdown (for the next supervisor to adopt). */
  keepServer?: boolean;
  /** Environment for credentials and default paths (tests pass their own). */
  env?: NodeJS.ProcessEnv;
  /** Readiness poll interval while starting. */
  readinessIntervalMs?: number;
  /** Poll interval for an adopted server's pid. */
  adoptPollMs?: number;
  /** Longest a config change waits for the Models API to judge its default_model (tests shorten it). */
  modelCheckWaitMs?: number;
  /** Secrets besides the configured ones (the bearer token), redacted in crash log tails. */
  secrets?: readonly string[];
  /** How long the history waits before reading a crash's log tail and writing (default 50 ms). */
  historyDeferMs?: number;
  /** How processes are looked at (default: chosen for this machine, processFactsFor); tests force the ps branch. */
  processFacts?: ProcessFacts;
  /** Another observer of every actor event, besides the inspection hub (tests: the model-based replay). */
  inspect?: InspectionObserver;
}

/** The running actor system and the fresh views of config.yaml that every part reads from. */
export interface SupervisorSystem extends ConfigReaders {
  /** The one door to the actors (src/actors/actor-door.ts): what the routes and the CLI use. */
  actors: ActorDoor;
  /** The actors themselves, for tests; the routes and the CLI go through `actors`. */
  refs: SystemRefs;
  configPath: string;
  /** The environment credentials and defaults are read from. */
  env: NodeJS.ProcessEnv;
  adoption: AdoptionVerdict;
  /** Snapshots and events of the named actors, JSON-safe and redacted (GET /supervisor/inspect). */
  inspection: InspectionHub;
  /** The recent past of the inspection stream, kept across supervisor restarts in `<log_dir>/inspect.jsonl`. */
  inspectionReplay: InspectionReplay;
  /** What the model cache reads from env and config. */
  modelsConfig: ModelsConfig;
  /** What happened, as history events (GET /supervisor/history and /supervisor/events). */
  history: HistoryRecorder;
  /** Stops the server (unless keepServer) and the actors; resolves when done or after `timeoutMs`. */
  shutdown(timeoutMs?: number): Promise<void>;
}

/** Fresh reads of config.yaml and the settings resolved from it, as every part of the system asks for them. */
export interface ConfigReaders {
  config(): ConfigRead;
  /** The last config data that parsed (what every setting is resolved from). */
  settingsData(): Record<string, unknown>;
  /** Why config.yaml cannot be used when it has never parsed in this run (null once it has). */
  neverLoaded(): string | null;
  serverSettings(): ServerSettings;
  supervisorSettings(): SupervisorSettings;
  /** The supervisor settings resolved from given config data (one resolver for data already read). */
  supervisorSettingsOf(data: Record<string, unknown>): SupervisorSettings;
}

/** Builds the actor system: machines from machines/, effects from src/, all provided in this one place. */
export function createSupervisorSystem(options: SystemOptions): SupervisorSystem {
  const env = options.env ?? process.env;
  const readers = configReaders(options.configPath, env);
  const { serverSettings, supervisorSettings } = readers;
  const facts = options.processFacts ?? processFactsFor();
  const adoption = checkAdoption(serverFiles(supervisorSettings().logDir).pidPath, facts);
  const modelsConfig = createModelsConfig(readers.settingsData, env, (data) => readers.supervisorSettingsOf(data).modelsTtlMs);
  // The config applier restarts through the lifecycle, like a person would: one restart, waited for until healthy.
  // Fresh, so a start already under way (an automatic restart that read the old file) is not taken for it.
  const restartServer = async () => {
    const outcome = await actors.command('restart', { fresh: true, cause: 'config_apply' });
    if (outcome.kind === 'failed') throw new Error(outcome.message);
  };

  const inspectionReplay = new InspectionReplay({
    path: inspectionReplayPath(supervisorSettings().logDir),
    warn: (message) => process.stderr.write(`${message}\n`),
  });
  const inspection = new InspectionHub(inspectedActors, redactValue, Date.now, inspectionReplay);
  inspection.runStarted(process.pid, supervisorVersion);
  // The listening socket held for the server with supervisor.server.socket: inherit (bound at its first start).
  const socket = new InheritedSocket();
  const history = createHistory(readers, env, options);
  history.record({ type: 'supervisor_started', version: supervisorVersion, adopted_pid: adoption.adopt?.pid ?? null });
  const root = createActor(
    supervisorMachine.provide({
      actors: {
        serverLifecycle: provideLifecycle(readers, options, socket, facts),
        configApply: configApplyMachine.provide({ actors: configApplyActors({ configPath: () => options.configPath, restartServer }) }),
        modelCache: provideModelCache(modelsConfig),
      },
    }),
    {
      systemId: 'supervisor',
      input: { policy: policyOf(serverSettings()), boot: bootAction(readers, adoption), keepServer: options.keepServer ?? false },
      inspect: observeWith(inspection, options.inspect),
    },
  );
  root.start();
  const refs = systemRefs(root);
  // The one place facts become history: every fact the lifecycle and the config applier emit (lifecycle-facts.ts).
  for (const type of lifecycleFactTypes) refs.server.on(type, (fact) => history.record(fact));
  refs.config.on('config_applied', (fact) => history.record(fact));
  refs.config.on('config_rolled_back', (fact) => history.record(fact));
  const actors = createActorDoor(refs, {
    commandTimeouts: serverSettings,
    applyTimeoutMs: () => applyTimeoutMs(serverSettings()),
    modelsWaitMs,
    modelCheckWaitMs: options.modelCheckWaitMs ?? modelCheckWaitMs,
  });

  return {
    actors,
    refs,
    configPath: options.configPath,
    ...readers,
    env,
    adoption,
    inspection,
    inspectionReplay,
    modelsConfig,
    history,
    // The socket goes last: a server left running (--keep-server) keeps its own copy and goes on serving.
    shutdown: async (timeoutMs = serverSettings().stopTimeoutMs + 5_000) => {
      await actors.shutdown(timeoutMs);
      await socket.release();
      // The last records (stopping, stopped) reach the files before the process exits.
      await inspectionReplay.flush();
      history.record({ type: 'supervisor_stopped' });
      await history.flush();
    },
  };
}

// The history in the log dir, crash log tails redacted like the log stream (configured credentials and the token).
function createHistory(readers: ConfigReaders, env: NodeJS.ProcessEnv, options: SystemOptions): HistoryRecorder {
  const files = () => serverFiles(readers.supervisorSettings().logDir);
  return new HistoryRecorder({
    historyPath: () => files().historyPath,
    logPath: () => files().logPath,
    secrets: () => [...configuredSecrets(readers.settingsData(), env), ...(options.secrets ?? [])],
    deferMs: options.historyDeferMs,
  });
}

// The inspection hub sees every actor event; a test's observer, if given, sees them too.
function observeWith(inspection: InspectionHub, also: InspectionObserver | undefined): InspectionObserver {
  if (!also) return inspection.observe;
  return (event) => {
    inspection.observe(event);
    also(event);
  };
}

// A file broken by hand must not swap the real server for defaults: settings come from the last good parse.
function configReaders(configPath: string, env: NodeJS.ProcessEnv): ConfigReaders {
  const where: SettingsEnvironment = { ...defaultEnvironment(demoCommand()), env };
  let lastGood: Record<string, unknown> = {};
  let loaded = false;
  const config = () => {
    const read = readConfig(configPath);
    if (read.status !== 'invalid') {
      lastGood = read.data;
      loaded = true;
    }
    return read;
  };
  const settingsData = () => {
    config();
    return lastGood;
  };
  const supervisorSettingsOf = (data: Record<string, unknown>) => resolveSupervisorSettings(data, where).settings;
  const neverLoaded = () => {
    const read = config();
    return !loaded && read.status === 'invalid' ? read.message : null;
  };
  return {
    config,
    settingsData,
    neverLoaded,
    serverSettings: () => resolveServerSettings(settingsData(), where).settings,
    supervisorSettings: () => supervisorSettingsOf(settingsData()),
    supervisorSettingsOf,
  };
}

// The lifecycle with its effects: the server process, the two health probes, and the socket held for the server.
function provideLifecycle(readers: ConfigReaders, options: SystemOptions, socket: InheritedSocket, facts: ProcessFacts) {
  const { serverSettings, supervisorSettings } = readers;
  const now = () => Date.now();
  const probeTiming = {
    readinessIntervalMs: options.readinessIntervalMs ?? 100,
    health: () => {
      const s = serverSettings();
      return { intervalMs: s.healthIntervalMs, timeoutMs: s.healthTimeoutMs };
    },
    now,
    isAlive: (pid: number) => facts.isAlive(pid),
  };
  return serverLifecycleMachine.provide({
    actors: {
      serverProcess: serverProcessLogic({
        startSettings: () => ({
          server: serverSettings(),
          logDir: supervisorSettings().logDir,
          configPath: options.configPath,
          configProblem: readers.neverLoaded(),
        }),
        now,
        adoptPollMs: options.adoptPollMs,
        socket,
        facts,
      }),
      readinessProbe: readinessProbeLogic(probeTiming),
      livenessProbe: livenessProbeLogic(probeTiming),
    },
    actions: {
      releaseSocket: () => void socket.release(),
    },
  });
}

// Adopt a live server left by an earlier supervisor, else start one if configured to, else wait for a command.
function bootAction(readers: ConfigReaders, adoption: AdoptionVerdict): BootAction {
  if (adoption.adopt) return { type: 'adopt', process: adoption.adopt };
  // Never autostart on a file that does not parse: it may not be the server the owner configured.
  const autostart = readers.serverSettings().autostart && readers.config().status !== 'invalid';
  return autostart ? { type: 'start' } : { type: 'none' };
}

// The model cache with its two effects: listing models, and asking about one, with the credential in effect.
function provideModelCache(modelsConfig: ModelsConfig) {
  const deps = { credential: modelsConfig.credential, baseUrl: modelsConfig.baseUrl };
  return modelCacheMachine.provide({
    actors: { fetchModels: createFetchModelsLogic(deps), retrieveModel: createRetrieveModelLogic(deps) },
  });
}
