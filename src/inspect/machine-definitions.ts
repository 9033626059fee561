import type { AnyStateMachine } from 'xstate';
import { configApplyMachine } from '../../machines/config-apply.machine.js';
import { modelCacheMachine } from '../../machines/model-cache.machine.js';
import { serverLifecycleMachine } from '../../machines/server-lifecycle.machine.js';
import { supervisorMachine } from '../../machines/supervisor.machine.js';

/** Every machine of the system by its systemId, for GET /supervisor/machines and the inspector. */
export const machineDefinitions: Record<string, AnyStateMachine> = {
  supervisor: supervisorMachine,
  server: serverLifecycleMachine,
  config: configApplyMachine,
  models: modelCacheMachine,
};

/** The systemIds whose snapshots and events are inspected. */
export const inspectedActors = Object.keys(machineDefinitions);
