// Stand-in machines for the UI's fake supervisor: the same actor names and lifecycle vocabulary as docs/api.md
// (server: stopped/starting/running/stopping/crashed), small enough to drive from a test.
import { assign, fromCallback, setup } from 'xstate';

export interface FakeServerContext {
  pid: number | null;
  startedAt: number | null;
  restartCount: number;
  restarting: boolean;
  lastError: { code: string; message: string; at: number } | null;
}

export type FakeServerEvent =
  | { type: 'server.start' }
  | { type: 'server.stop' }
  | { type: 'server.restart' }
  | { type: 'health.ok'; pid: number; at: number }
  | { type: 'health.failed'; reason: string; at: number }
  | { type: 'process.exited'; code: number | null; signal: string | null; at: number };

/** The main server's lifecycle; `spawn` and `terminate` are filled in by the fake. */
export const fakeServerMachine = setup({
  types: { context: {} as FakeServerContext, events: {} as FakeServerEvent },
  actors: {
    spawn: fromCallback<FakeServerEvent>(() => () => undefined),
    terminate: fromCallback<FakeServerEvent>(() => () => undefined),
  },
  guards: {
    isRestarting: ({ context }) => context.restarting,
  },
  delays: { restartBackoff: 1000 },
}).createMachine({
  id: 'server',
  initial: 'stopped',
  context: { pid: null, startedAt: null, restartCount: 0, restarting: false, lastError: null },
  states: {
    stopped: {
      description: 'No server process.',
      on: { 'server.start': 'starting', 'server.restart': 'starting' },
    },
    starting: {
      description: 'Spawned; waiting for the health probe to answer 2xx.',
      invoke: { src: 'spawn' },
      on: {
        'health.ok': {
          target: 'running',
          actions: assign({ pid: ({ event }) => event.pid, startedAt: ({ event }) => event.at, restarting: false }),
        },
        'health.failed': {
          target: 'crashed',
          actions: assign({
            pid: null,
            restarting: false,
            lastError: ({ event }) => ({ code: 'ERR_START_FAILED', message: event.reason, at: event.at }),
          }),
        },
        'server.stop': 'stopping',
      },
    },
    running: {
      description: 'Healthy; probed periodically.',
      on: {
        'server.stop': 'stopping',
        'server.restart': { target: 'stopping', actions: assign({ restarting: true }) },
        'process.exited': { target: 'crashed', actions: assign({ pid: null, startedAt: null }) },
      },
    },
    stopping: {
      description: 'SIGTERM sent to the process group; SIGKILL after stop_timeout_ms.',
      invoke: { src: 'terminate' },
      on: {
        'process.exited': [
          {
            guard: 'isRestarting',
            target: 'starting',
            actions: assign({ pid: null, startedAt: null, restartCount: ({ context }) => context.restartCount + 1 }),
          },
          { target: 'stopped', actions: assign({ pid: null, startedAt: null }) },
        ],
      },
    },
    crashed: {
      description: 'Exited unexpectedly or never became healthy.',
      initial: 'backoff',
      on: { 'server.start': 'starting', 'server.stop': 'stopped' },
      states: {
        backoff: {
          description: 'Waiting restartBackoff before the next attempt.',
          after: { restartBackoff: 'gaveUp' },
        },
        gaveUp: { description: 'Crash budget spent; waits for a manual start.' },
      },
    },
  },
});

export type FakeModelsEvent = { type: 'models.refresh' } | { type: 'models.fetched'; count: number };

/** The model list cache. */
export const fakeModelsMachine = setup({
  types: { context: {} as { count: number }, events: {} as FakeModelsEvent },
  delays: { staleAfter: 3_600_000 },
}).createMachine({
  id: 'models',
  initial: 'fresh',
  context: { count: 6 },
  states: {
    fresh: { description: 'Served from cache.', after: { staleAfter: 'stale' }, on: { 'models.refresh': 'fetching' } },
    stale: { description: 'Older than models_ttl_ms; refreshed on the next request.', on: { 'models.refresh': 'fetching' } },
    fetching: {
      description: 'Asking Anthropic for the model list.',
      on: { 'models.fetched': { target: 'fresh', actions: assign({ count: ({ event }) => event.count }) } },
    },
  },
});

export type FakeConfigEvent =
  | { type: 'config.put'; keys: string[] }
  | { type: 'config.written' }
  | { type: 'config.restarted' }
  | { type: 'config.failed'; reason: string }
  | { type: 'config.restored' };

/** Serialized config writes with restart and rollback. */
export const fakeConfigMachine = setup({
  types: { context: {} as { lastKeys: string[] }, events: {} as FakeConfigEvent },
}).createMachine({
  id: 'config',
  initial: 'idle',
  context: { lastKeys: [] },
  states: {
    idle: {
      description: 'Waiting for a PUT.',
      on: { 'config.put': { target: 'writing', actions: assign({ lastKeys: ({ event }) => event.keys }) } },
    },
    writing: { description: 'Atomic write: temp file, fsync, rename.', on: { 'config.written': 'restarting' } },
    restarting: {
      description: 'Restarting the server on the new config.',
      on: { 'config.restarted': 'idle', 'config.failed': 'rollingBack' },
    },
    rollingBack: { description: 'Restoring the previous file and restarting on it.', on: { 'config.restored': 'idle' } },
  },
});

/** The root actor. */
export const fakeSupervisorMachine = setup({
  types: { events: {} as { type: 'supervisor.shutdown' } },
}).createMachine({
  id: 'supervisor',
  initial: 'running',
  states: {
    running: { description: 'Serving HTTP and supervising.', on: { 'supervisor.shutdown': 'shuttingDown' } },
    shuttingDown: { description: 'Closing streams, stopping the server.', type: 'final' },
  },
});
