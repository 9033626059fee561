import { assign, enqueueActions, sendTo, setup } from 'xstate';
import { configApplyMachine } from './config-apply.machine.js';
import { modelCacheMachine } from './model-cache.machine.js';
import { serverLifecycleMachine } from './server-lifecycle.machine.js';
import type { LifecyclePolicy, ProcessInfo } from './server-lifecycle.types.js';

/** How the supervisor begins: start the server, adopt a live one from an earlier run, or wait for a command. */
export type BootAction = { type: 'start' } | { type: 'adopt'; process: ProcessInfo } | { type: 'none' };

export interface SupervisorInput {
  policy: LifecyclePolicy;
  boot: BootAction;
  /** Leave the server running when the supervisor shuts down. */
  keepServer: boolean;
}

export interface SupervisorContext {
  policy: LifecyclePolicy;
  boot: BootAction;
  keepServer: boolean;
  /** The server is stopped or crashed (nothing left to stop). */
  serverAtRest: boolean;
}

export type SupervisorEvent = { type: 'supervisor.shutdown' };

/** The root actor: owns the server lifecycle (systemId `server`) the config applier (`config`) and the model cache (`models`); stops them in reverse order. */
export const supervisorMachine = setup({
  types: {
    context: {} as SupervisorContext,
    events: {} as SupervisorEvent,
    input: {} as SupervisorInput,
  },
  actors: {
    serverLifecycle: serverLifecycleMachine,
    configApply: configApplyMachine,
    modelCache: modelCacheMachine,
  },
  actions: {
    boot: enqueueActions(({ context, enqueue }) => {
      const boot = context.boot;
      if (boot.type === 'adopt') enqueue.sendTo('server', { type: 'server.adopt' as const, process: boot.process });
      else if (boot.type === 'start') enqueue.sendTo('server', { type: 'server.start' as const, cause: 'autostart' as const });
    }),
    stopServer: sendTo('server', { type: 'server.stop' as const, cause: 'shutdown' as const }),
    trackServer: assign({
      serverAtRest: ({ event }) => {
        const value = 'snapshot' in event ? (event.snapshot as { value: unknown }).value : undefined;
        return value === 'stopped' || (typeof value === 'object' && value !== null && 'crashed' in value);
      },
    }),
  },
  guards: {
    keepsServer: ({ context }) => context.keepServer,
    serverAtRest: ({ context }) => context.serverAtRest,
  },
}).createMachine({
  id: 'supervisor',
  description: 'The root actor of the supervisor daemon.',
  context: ({ input }) => ({ policy: input.policy, boot: input.boot, keepServer: input.keepServer, serverAtRest: true }),
  invoke: [
    {
      id: 'server',
      systemId: 'server',
      src: 'serverLifecycle',
      input: ({ context }) => ({ policy: context.policy }),
      onSnapshot: { actions: 'trackServer' },
    },
    { id: 'config', systemId: 'config', src: 'configApply' },
    { id: 'models', systemId: 'models', src: 'modelCache', input: {} },
  ],
  initial: 'running',
  states: {
    running: {
      description: 'Serving; the server was started, adopted or left stopped as configured.',
      entry: 'boot',
      on: {
        'supervisor.shutdown': [
          { guard: 'keepsServer', target: 'done' },
          { target: 'shuttingDown' },
        ],
      },
    },
    shuttingDown: {
      description: 'Stopping the server (SIGTERM, then SIGKILL after its stop timeout) before exiting.',
      entry: 'stopServer',
      always: { guard: 'serverAtRest', target: 'done' },
    },
    done: {
      type: 'final',
      description: 'Everything stopped (or, with --keep-server, left running for the next supervisor to adopt).',
    },
  },
});
