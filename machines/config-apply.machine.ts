import { assign, emit, enqueueActions, setup, type DoneActorEvent, type ErrorActorEvent } from 'xstate';
import type { LifecycleFact } from './lifecycle-facts.js';
import { notProvided } from './not-provided.js';

/** One validated change request: the values to set and whether to restart the server on them. */
export interface ConfigApplyRequest {
  requestId: string;
  values: Record<string, unknown>;
  restart: boolean;
}

/** What a write hands back so a rollback can undo it; opaque to the machine (its JSON never shows file content). */
export interface ConfigBackupHandle {
  readonly path: string;
}

/** What `writeConfig` resolves with: the backup, the keys it set and the new config, already redacted. */
export interface ConfigWritten {
  backup: ConfigBackupHandle;
  updatedKeys: string[];
  config: Record<string, unknown>;
}

/** A failure as data: an ERR_ code, a message, and extra fields for the error body. */
export interface ConfigApplyFailure {
  code: string;
  message: string;
  extra: Record<string, unknown>;
}

/** The answer to one request, emitted as `config.answered` with the request's id. */
export type ConfigApplyAnswer =
  | { requestId: string; ok: true; updatedKeys: string[]; serverRestarted: boolean; config: Record<string, unknown> }
  | { requestId: string; ok: false; failure: ConfigApplyFailure };

/** Events the config actor accepts. */
export type ConfigApplyEvent = { type: 'config.apply'; request: ConfigApplyRequest };

/**
 * Events the config actor emits (listen with `actor.on('config.answered', …)`): every answer, and for the history the
 * facts `config_applied` (a change is in force) and `config_rolled_back` (the previous file was restored).
 */
export type ConfigApplyEmitted =
  | { type: 'config.answered'; answer: ConfigApplyAnswer }
  | Extract<LifecycleFact, { type: 'config_applied' | 'config_rolled_back' }>;

/** Requests allowed to wait behind the one in progress; more are refused at once with ERR_CONFLICT. */
export const maxQueuedConfigChanges = 64;

/** JSON-safe context: the request in progress, the ones waiting, and what happened so far. */
export interface ConfigApplyContext {
  current: ConfigApplyRequest | null;
  queue: ConfigApplyRequest[];
  written: ConfigWritten | null;
  /** Why the server did not come back healthy on the new config. */
  restartFailure: string | null;
  maxQueued: number;
  lastAnswer: { requestId: string; ok: boolean; code: string | null } | null;
}

/**
 * Applies config changes one at a time: write the file, restart the server and wait until it is healthy, and
 * when it is not, restore the previous bytes and restart on them. Every request is answered exactly once.
 * Effects are slots filled by src/config/config-apply.logic.ts.
 */
export const configApplyMachine = setup({
  types: {
    context: {} as ConfigApplyContext,
    events: {} as ConfigApplyEvent,
    emitted: {} as ConfigApplyEmitted,
  },
  actors: {
    /** Writes `values` into the config file; rejects with a failure (code ERR_CONFIG_INVALID, ERR_CONFIG_WRITE, …). */
    writeConfig: notProvided.promise<ConfigWritten, { values: Record<string, unknown> }>('writeConfig'),
    /** Restarts the main server; resolves once it is healthy, rejects with the reason otherwise. */
    restartServer: notProvided.promise<void, void>('restartServer'),
    /** Puts the backed-up bytes back exactly. */
    restoreConfig: notProvided.promise<void, { backup: ConfigBackupHandle }>('restoreConfig'),
  },
  guards: {
    hasQueued: ({ context }) => context.queue.length > 0,
    queueFull: ({ context }) => context.queue.length >= context.maxQueued,
    restartRequested: ({ context }) => context.current?.restart === true,
  },
  actions: {
    enqueue: assign({ queue: ({ context, event }) => [...context.queue, event.request] }),
    takeNext: assign({
      current: ({ context }) => context.queue[0] ?? null,
      queue: ({ context }) => context.queue.slice(1),
      written: null,
      restartFailure: null,
    }),
    finish: assign({ current: null, written: null, restartFailure: null }),
    rememberWritten: assign({ written: (_, output: ConfigWritten) => output }),
    rememberRestartFailure: assign({ restartFailure: (_, reason: string) => reason }),
    answer: assign({
      lastAnswer: (_, answer: ConfigApplyAnswer) => ({ requestId: answer.requestId, ok: answer.ok, code: answer.ok ? null : answer.failure.code }),
    }),
    announce: emit((_, answer: ConfigApplyAnswer) => ({ type: 'config.answered' as const, answer })),
    // An applied change, or a restored file, is a fact of the history; a refusal that changed nothing is not.
    tellOutcome: enqueueActions(({ context, enqueue }, answer: ConfigApplyAnswer) => {
      if (answer.ok) enqueue.emit({ type: 'config_applied', keys: answer.updatedKeys });
      else if (answer.failure.code === 'ERR_CONFIG_ROLLED_BACK') {
        enqueue.emit({ type: 'config_rolled_back', keys: context.written?.updatedKeys ?? [], reason: context.restartFailure ?? answer.failure.message });
      }
    }),
    refuseBusy: emit(({ context, event }) => ({
      type: 'config.answered' as const,
      answer: {
        requestId: event.request.requestId,
        ok: false as const,
        failure: failure('ERR_CONFLICT', `${context.maxQueued} config changes are already waiting; try again when they are done`),
      },
    })),
  },
}).createMachine({
  id: 'configApply',
  description: 'Applies config changes one at a time, rolling back to the previous file when the server does not come back healthy.',
  context: () => ({
    current: null,
    queue: [],
    written: null,
    restartFailure: null,
    maxQueued: maxQueuedConfigChanges,
    lastAnswer: null,
  }),
  // Requests are accepted in every state and wait their turn; idle picks the next one at once.
  on: {
    'config.apply': [{ guard: 'queueFull', actions: 'refuseBusy' }, { actions: 'enqueue' }],
  },
  initial: 'idle',
  states: {
    idle: {
      description: 'Nothing in progress; takes the next waiting request at once.',
      entry: 'finish',
      always: { guard: 'hasQueued', target: 'writing', actions: 'takeNext' },
    },
    writing: {
      description: 'Writing the new values into the config file atomically, keeping the previous bytes as a backup.',
      invoke: {
        src: 'writeConfig',
        input: ({ context }) => ({ values: context.current?.values ?? {} }),
        onDone: [
          {
            guard: 'restartRequested',
            target: 'applying',
            actions: { type: 'rememberWritten', params: ({ event }) => event.output },
          },
          {
            target: 'idle',
            actions: reply(({ context, event }) => success(context, event.output, false)),
          },
        ],
        onError: {
          target: 'idle',
          actions: reply(({ context, event }) => refusal(context, toFailure(event.error, 'ERR_CONFIG_WRITE'))),
        },
      },
    },
    applying: {
      description: 'Restarting the server on the new config and waiting until it is healthy.',
      invoke: {
        src: 'restartServer',
        onDone: {
          target: 'idle',
          actions: reply(({ context }) => (context.written ? success(context, context.written, true) : lostWrite(context))),
        },
        onError: {
          target: 'rollingBack',
          actions: { type: 'rememberRestartFailure', params: ({ event }) => reasonOf(event.error) },
        },
      },
    },
    rollingBack: {
      description: 'The server did not come back healthy on the new config: restoring the previous file and restarting on it.',
      initial: 'restoring',
      states: {
        restoring: {
          description: 'Writing the previous bytes back, exactly as they were.',
          invoke: {
            src: 'restoreConfig',
            input: ({ context }) => ({ backup: context.written?.backup ?? { path: '' } }),
            onDone: { target: 'restarting' },
            onError: {
              target: '#configApply.idle',
              actions: reply(({ context, event }) =>
                refusal(
                  context,
                  failure(
                    'ERR_CONFIG_WRITE',
                    `Server did not come back healthy on the new config: ${context.restartFailure}; restoring the previous config failed: ${reasonOf(event.error)}`,
                    { rolled_back: false, server_restarted: false },
                  ),
                ),
              ),
            },
          },
        },
        restarting: {
          description: 'Restarting the server on the restored config.',
          invoke: {
            src: 'restartServer',
            onDone: {
              target: '#configApply.idle',
              actions: reply(({ context }) =>
                refusal(
                  context,
                  failure('ERR_CONFIG_ROLLED_BACK', `Server did not come back healthy on the new config: ${context.restartFailure}; previous config restored`, {
                    rolled_back: true,
                    server_restarted: true,
                  }),
                ),
              ),
            },
            onError: {
              target: '#configApply.idle',
              actions: reply(({ context, event }) =>
                refusal(
                  context,
                  failure(
                    'ERR_CONFIG_ROLLED_BACK',
                    `Server did not come back healthy on the new config (${context.restartFailure}) nor on the restored one (${reasonOf(event.error)}); previous config restored`,
                    { rolled_back: true, server_restarted: false },
                  ),
                ),
              ),
            },
          },
        },
      },
    },
  },
});

type AnswerOf<E> = (args: { context: ConfigApplyContext; event: E }) => ConfigApplyAnswer;

// Records the answer in context, tells the history what changed, and emits the answer: all take the same computed answer as params.
function reply<E extends DoneActorEvent<unknown> | ErrorActorEvent>(compute: AnswerOf<E>) {
  return [
    { type: 'answer' as const, params: compute },
    { type: 'tellOutcome' as const, params: compute },
    { type: 'announce' as const, params: compute },
  ];
}

function success(context: ConfigApplyContext, written: ConfigWritten, serverRestarted: boolean): ConfigApplyAnswer {
  return { requestId: context.current?.requestId ?? '', ok: true, updatedKeys: written.updatedKeys, serverRestarted, config: written.config };
}

function refusal(context: ConfigApplyContext, why: ConfigApplyFailure): ConfigApplyAnswer {
  return { requestId: context.current?.requestId ?? '', ok: false, failure: why };
}

// Cannot happen (applying is only entered after a write); answered rather than left hanging.
function lostWrite(context: ConfigApplyContext): ConfigApplyAnswer {
  return refusal(context, failure('ERR_INTERNAL', 'config write result missing after restart'));
}

function failure(code: string, message: string, extra: Record<string, unknown> = {}): ConfigApplyFailure {
  return { code, message, extra };
}

/** Turns whatever an actor rejected with into a failure; keeps a code/message/extra it already carries. */
export function toFailure(error: unknown, fallbackCode: string): ConfigApplyFailure {
  if (typeof error === 'object' && error !== null) {
    const { code, message, extra } = error as { code?: unknown; message?: unknown; extra?: unknown };
    if (typeof code === 'string' && code.startsWith('ERR_') && typeof message === 'string') {
      return failure(code, message, typeof extra === 'object' && extra !== null ? (extra as Record<string, unknown>) : {});
    }
  }
  return failure(fallbackCode, reasonOf(error));
}

function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  return String(error);
}
