// The one file of actor ref types: what the running system's actors are, and how they are found by systemId.
import type { Actor, ActorRefFrom, SnapshotFrom } from 'xstate';
import type { configApplyMachine } from '../../machines/config-apply.machine.js';
import type { modelCacheMachine } from '../../machines/model-cache.machine.js';
import type { serverLifecycleMachine } from '../../machines/server-lifecycle.machine.js';
import type { ServerLifecycleContext } from '../../machines/server-lifecycle.types.js';
import type { supervisorMachine } from '../../machines/supervisor.machine.js';

/** The root actor (systemId `supervisor`). */
export type SupervisorRef = Actor<typeof supervisorMachine>;
/** The server lifecycle (systemId `server`). */
export type ServerRef = ActorRefFrom<typeof serverLifecycleMachine>;
/** The config applier (systemId `config`). */
export type ConfigRef = ActorRefFrom<typeof configApplyMachine>;
/** The model cache (systemId `models`). */
export type ModelsRef = ActorRefFrom<typeof modelCacheMachine>;

export type ServerSnapshot = SnapshotFrom<ServerRef>;
export type ModelsSnapshot = SnapshotFrom<ModelsRef>;

/** What the door shows of the lifecycle: its state value and context, never the ref itself. */
export interface ServerView {
  value: unknown;
  context: ServerLifecycleContext;
}

/** Every actor of a running system. Only src/system.ts and tests hold these; routes and the CLI use the door. */
export interface SystemRefs {
  root: SupervisorRef;
  server: ServerRef;
  config: ConfigRef;
  models: ModelsRef;
}

/** The system's actors by the systemIds machines/supervisor.machine.ts gives them (call once the root has started). */
export function systemRefs(root: SupervisorRef): SystemRefs {
  const get = <T>(systemId: string): T => {
    const ref = root.system.get(systemId) as T | undefined;
    if (!ref) throw new Error(`no actor with systemId ${JSON.stringify(systemId)} in the supervisor system`);
    return ref;
  };
  return { root, server: get<ServerRef>('server'), config: get<ConfigRef>('config'), models: get<ModelsRef>('models') };
}
