// The one door to the actors: routes and the CLI send commands and requests and read state only through this.
import type { ServerView, SystemRefs } from './actor-refs.js';
import type { ModelCacheContext } from '../../machines/model-cache.machine.js';
import {
  applyConfigChange,
  lookupModel,
  requestModels,
  type ApplyConfig,
  type ModelLookupRequest,
  type ModelsAnswer,
  type ModelsRequest,
} from './actor-requests.js';
import { boundedWait } from './bounded-wait.js';
import { commandBoundMs, runServerCommand, sendServerCommand, type CommandOptions, type CommandResult, type CommandTimeouts, type ServerCommand } from './server-commands.js';

/** What routes and the CLI may do with the actors; every wait is bounded. */
export interface ActorDoor {
  /** False once the supervisor has begun shutting down (commands are then refused). */
  accepting(): boolean;
  /** The lifecycle's state and context as of now. */
  server(): ServerView;
  /** Calls `listener` with each new lifecycle state; returns the unsubscribe. */
  onServerChange(listener: (view: ServerView) => void): () => void;
  /** Sends a server command and returns at once. */
  tell(command: ServerCommand): void;
  /** Sends a server command and waits (bounded by the current start/stop timeouts) for the outcome it caused. */
  command(command: ServerCommand, options?: CommandOptions): Promise<CommandResult>;
  /** Applies a validated change through the config actor (write, restart, roll back) and resolves with its answer. */
  applyConfig: ApplyConfig;
  /** Asks the model cache for the list (waiting, bounded, for a fetch the request started or joined). */
  requestModels(request: ModelsRequest): Promise<ModelsAnswer>;
  /** Asks the model cache about one id for a config change (waiting at most `modelCheckWaitMs`). */
  lookupModel(request: ModelLookupRequest): Promise<ModelsAnswer>;
  /** What the model cache holds now; never waits and never fetches. */
  modelsCache(): ModelCacheContext;
  /** Stops the server (unless the root keeps it) and the actors; resolves when done or after `timeoutMs`. */
  shutdown(timeoutMs: number): Promise<void>;
}

/** The bounds of the door's waits, read per call (config.yaml is never latched). */
export interface DoorBounds {
  /** The current start and stop timeouts, which a command's bound is made of. */
  commandTimeouts(): CommandTimeouts;
  /** Bound on one config change. */
  applyTimeoutMs(): number;
  /** Longest a models request waits for an upstream fetch. */
  modelsWaitMs: number;
  /** Longest a config change waits to learn whether its model is retired or unknown. */
  modelCheckWaitMs: number;
}

/** The door over a running system's actors. */
export function createActorDoor(refs: SystemRefs, bounds: DoorBounds): ActorDoor {
  const { root, server, config, models } = refs;
  const view = (snapshot: { value: unknown; context: ServerView['context'] }): ServerView => ({ value: snapshot.value, context: snapshot.context });
  return {
    accepting: () => root.getSnapshot().value === 'running',
    server: () => view(server.getSnapshot()),
    onServerChange(listener) {
      const subscription = server.subscribe((snapshot) => listener(view(snapshot)));
      return () => subscription.unsubscribe();
    },
    tell: (command) => sendServerCommand(server, command),
    command: (command, options) => runServerCommand(server, command, commandBoundMs(bounds.commandTimeouts()), options),
    // Asked per change: the timeouts in config.yaml may have been edited since start-up.
    applyConfig: (change) => applyConfigChange(config, change, bounds.applyTimeoutMs()),
    requestModels: (request) => requestModels(models, request, bounds.modelsWaitMs),
    lookupModel: (request) => lookupModel(models, request, bounds.modelCheckWaitMs),
    modelsCache: () => models.getSnapshot().context,
    shutdown: (timeoutMs) => shutdownRoot(root, timeoutMs),
  };
}

// Asks the root to shut down and waits for it to finish (or the bound to pass); the root is stopped either way.
async function shutdownRoot(root: SystemRefs['root'], timeoutMs: number): Promise<void> {
  if (root.getSnapshot().status === 'active') {
    await boundedWait<void>(
      (answer) => {
        const subscription = root.subscribe({ next: (s) => s.status === 'done' && answer(), complete: () => answer(), error: () => answer() });
        root.send({ type: 'supervisor.shutdown' });
        return () => subscription.unsubscribe();
      },
      { ms: timeoutMs, onTimeout: () => undefined },
    );
  }
  root.stop();
}
