import { SimulatedClock, createActor, fromPromise, setup, waitFor, type ActorRefFrom, type AnyStateNode } from 'xstate';
import {
  modelCacheMachine,
  type CachedModel,
  type FetchModelsInput,
  type FetchModelsOutput,
  type RetrieveModelInput,
  type RetrieveModelOutput,
} from '../../../machines/model-cache.machine.js';
import { cachedModel } from '../../support/model-fixtures.js';

const sonnet: CachedModel = cachedModel({ id: 'claude-sonnet-5', display_name: 'Claude Sonnet 5', created_at: '2026-06-30T00:00:00Z', family: 'sonnet', is_latest: true });
const opus: CachedModel = cachedModel({ id: 'claude-opus-5', display_name: 'Claude Opus 5', created_at: '2026-07-24T00:00:00Z', family: 'opus', is_latest: true });

interface FetchCall {
  input: FetchModelsInput;
  signal: AbortSignal;
  succeed(models?: CachedModel[]): void;
  fail(reason: string): void;
}

interface LookupCall {
  input: RetrieveModelInput;
  signal: AbortSignal;
  found(model: CachedModel, credentialId?: string | null): void;
  notFound(): void;
  fail(reason: string): void;
}

const retired: CachedModel = cachedModel({ id: 'claude-3-7-sonnet-20250219', display_name: 'Claude Sonnet 3.7', created_at: '2025-02-24T00:00:00Z', family: 'sonnet', is_latest: false, lifecycle: 'retired' });

// A cache actor on a simulated clock whose fetches and lookups the test finishes by hand.
function harness(options: { ttlMs?: number; errorBackoffMs?: number; notFoundTtlMs?: number; maxLookups?: number } = {}) {
  const ttlMs = options.ttlMs ?? 60_000;
  const clock = new SimulatedClock();
  clock.set(1_700_000_000_000);
  const calls: FetchCall[] = [];
  const fetchModels = fromPromise<FetchModelsOutput, FetchModelsInput>(
    ({ input, signal }) =>
      new Promise((resolve, reject) => {
        calls.push({
          input,
          signal,
          succeed: (models = [sonnet]) => resolve({ credentialId: input.credentialId, models, at: clock.now() }),
          fail: (reason) => reject({ code: 'ERR_MODELS_FETCH', reason, message: `upstream said ${reason}`, at: clock.now() }),
        });
      }),
  );
  const lookups: LookupCall[] = [];
  const retrieveModel = fromPromise<RetrieveModelOutput, RetrieveModelInput>(
    ({ input, signal }) =>
      new Promise((resolve, reject) => {
        const answer = (model: CachedModel | null, credentialId = input.credentialId) => resolve({ credentialId, modelId: input.modelId, model, at: clock.now() });
        lookups.push({
          input,
          signal,
          found: (model, credentialId) => answer(model, credentialId),
          notFound: () => answer(null),
          fail: (reason) => reject({ code: 'ERR_MODELS_FETCH', reason, message: `lookup said ${reason}`, at: clock.now() }),
        });
      }),
  );
  const actor = createActor(modelCacheMachine.provide({ actors: { fetchModels, retrieveModel } }), {
    clock,
    input: { ttlMs, errorBackoffMs: options.errorBackoffMs ?? 5_000, notFoundTtlMs: options.notFoundTtlMs, maxLookups: options.maxLookups },
  }).start();
  const send = (type: 'models.request' | 'models.refresh', credentialId: string | null = 'cred_a', ttl = ttlMs) =>
    actor.send({ type, credentialId, ttlMs: ttl, at: clock.now() });
  const lookup = (modelId: string, credentialId: string | null = 'cred_a', ttl = ttlMs) =>
    actor.send({ type: 'models.lookup', credentialId, modelId, ttlMs: ttl, at: clock.now() });
  const entry = (modelId: string, credentialId: string | null = 'cred_a') =>
    actor.getSnapshot().context.lookups.find((l) => l.modelId === modelId && l.credentialId === credentialId);
  // Lookup answers arrive as child events: wait until the entry has none under way.
  const answered = (modelId: string, credentialId: string | null = 'cred_a') =>
    waitFor(actor, (s) => s.context.lookups.some((l) => l.modelId === modelId && l.credentialId === credentialId && l.pending === null), { timeout: 1_000 });
  const settle = (state: 'empty' | 'fetching' | 'fresh' | 'stale' | 'error') => waitFor(actor, (s) => s.matches(state), { timeout: 1_000 });
  const state = () => actor.getSnapshot().value;
  const context = () => actor.getSnapshot().context;
  const last = () => {
    const call = calls.at(-1);
    if (!call) throw new Error('no fetch was started');
    return call;
  };
  return { actor, clock, calls, lookups, send, lookup, entry, answered, settle, state, context, last };
}

// A warm cache: one successful fetch for cred_a.
async function warm(h: ReturnType<typeof harness>) {
  h.send('models.request');
  h.last().succeed();
  await h.settle('fresh');
}

describe('model cache machine', () => {
  it('starts empty and fetches on the first request, passing only the credential fingerprint', () => {
    const h = harness();
    expect(h.state()).toBe('empty');
    h.send('models.request', 'cred_a');
    expect(h.state()).toBe('fetching');
    expect(h.calls).toHaveLength(1);
    expect(h.last().input).toEqual({ credentialId: 'cred_a' });
    expect(h.context()).toMatchObject({ fetchCount: 1, fetchStartedAt: h.clock.now() });
  });

  it('shares one fetch among requests and refreshes that arrive while it runs (single flight)', async () => {
    const h = harness();
    for (let i = 0; i < 50; i += 1) h.send(i % 5 === 0 ? 'models.refresh' : 'models.request');
    expect(h.calls).toHaveLength(1);
    h.last().succeed([opus, sonnet]);
    await h.settle('fresh');
    expect(h.context()).toMatchObject({ models: [opus, sonnet], cachedAt: h.clock.now(), lastError: null, fetchCount: 1 });
  });

  it('serves from cache while fresh and turns stale exactly when the TTL ends', async () => {
    const h = harness({ ttlMs: 60_000 });
    await warm(h);
    h.clock.increment(59_999);
    h.send('models.request');
    expect(h.state()).toBe('fresh');
    expect(h.calls).toHaveLength(1);
    h.clock.increment(1);
    expect(h.state()).toBe('stale');
    expect(h.context().models).toEqual([sonnet]);
  });

  it('fetches again on the first request after it went stale', async () => {
    const h = harness({ ttlMs: 1_000 });
    await warm(h);
    h.clock.increment(1_000);
    h.send('models.request');
    expect(h.state()).toBe('fetching');
    expect(h.calls).toHaveLength(2);
    expect(h.context().models).toEqual([sonnet]);
  });

  it('honours a TTL shortened in config at once, without waiting for the old timer', async () => {
    const h = harness({ ttlMs: 60_000 });
    await warm(h);
    h.clock.increment(10_000);
    h.send('models.request', 'cred_a', 5_000);
    expect(h.state()).toBe('fetching');
  });

  it('fetches on refresh even when fresh', async () => {
    const h = harness();
    await warm(h);
    h.send('models.refresh');
    expect(h.state()).toBe('fetching');
    expect(h.calls).toHaveLength(2);
  });

  it('keeps serving the cached list after a failed refresh, with the error', async () => {
    const h = harness();
    await warm(h);
    const cachedAt = h.context().cachedAt;
    h.send('models.refresh');
    h.last().fail('upstream_error');
    await h.settle('error');
    expect(h.context()).toMatchObject({
      models: [sonnet],
      cachedAt,
      lastError: { code: 'ERR_MODELS_FETCH', reason: 'upstream_error', message: 'upstream said upstream_error', at: h.clock.now() },
    });
  });

  it('does not hammer a failing upstream: requests during the backoff fetch nothing, the first after it does', async () => {
    const h = harness({ errorBackoffMs: 5_000 });
    await warm(h);
    h.send('models.refresh');
    h.last().fail('rate_limited');
    await h.settle('error');
    for (let i = 0; i < 10; i += 1) h.send('models.request');
    h.clock.increment(4_999);
    h.send('models.request');
    expect(h.calls).toHaveLength(2);
    h.clock.increment(1);
    expect(h.state()).toBe('stale');
    expect(h.context().lastError?.reason).toBe('rate_limited');
    h.send('models.request');
    expect(h.calls).toHaveLength(3);
    h.last().succeed([opus]);
    await h.settle('fresh');
    expect(h.context()).toMatchObject({ models: [opus], lastError: null });
  });

  it('lets a refresh through during the error backoff', async () => {
    const h = harness({ errorBackoffMs: 5_000 });
    h.send('models.request');
    h.last().fail('unreachable');
    await h.settle('error');
    h.send('models.refresh');
    expect(h.state()).toBe('fetching');
  });

  it('with nothing cached, a failure leaves no models and returns to empty after the backoff', async () => {
    const h = harness({ errorBackoffMs: 2_000 });
    h.send('models.request', null);
    h.last().fail('no_credential');
    await h.settle('error');
    expect(h.context()).toMatchObject({ models: null, cachedAt: null, lastError: { reason: 'no_credential' } });
    h.clock.increment(2_000);
    expect(h.state()).toBe('empty');
    expect(h.context().lastError?.reason).toBe('no_credential');
  });

  it('refetches for a new credential and forgets the old credential\u2019s list', async () => {
    const h = harness();
    await warm(h);
    h.send('models.request', 'cred_b');
    expect(h.state()).toBe('fetching');
    expect(h.last().input).toEqual({ credentialId: 'cred_b' });
    expect(h.context()).toMatchObject({ credentialId: 'cred_b', models: null, cachedAt: null });
    h.last().fail('bad_credential');
    await h.settle('error');
    expect(h.context().models).toBeNull();
  });

  it('restarts an in-flight fetch when the credential changes, aborting the old one', () => {
    const h = harness();
    h.send('models.request', 'cred_a');
    const first = h.last();
    h.send('models.request', 'cred_b');
    expect(first.signal.aborted).toBe(true);
    expect(h.calls).toHaveLength(2);
    expect(h.last().input).toEqual({ credentialId: 'cred_b' });
  });

  it('a new credential skips the error backoff', async () => {
    const h = harness({ errorBackoffMs: 60_000 });
    h.send('models.request', null);
    h.last().fail('no_credential');
    await h.settle('error');
    h.send('models.request', 'cred_a');
    expect(h.state()).toBe('fetching');
  });

  it('records an unexpected throw as an internal error stamped with the request time', async () => {
    const clock = new SimulatedClock();
    clock.set(5_000);
    const actor = createActor(
      modelCacheMachine.provide({
        actors: {
          fetchModels: fromPromise<FetchModelsOutput, FetchModelsInput>(async () => {
            throw new Error('boom');
          }),
        },
      }),
      { clock, input: {} },
    ).start();
    actor.send({ type: 'models.request', credentialId: 'cred_a', ttlMs: 1_000, at: 5_000 });
    const snapshot = await waitFor(actor, (s) => s.matches('error'), { timeout: 1_000 });
    expect(snapshot.context.lastError).toEqual({ code: 'ERR_MODELS_FETCH', reason: 'internal', message: 'boom', at: 5_000 });
  });

  it('aborts the fetch under way when the actor stops', () => {
    const h = harness();
    h.send('models.request');
    h.actor.stop();
    expect(h.last().signal.aborted).toBe(true);
  });

  it('keeps a JSON-safe context (it is streamed to the inspector)', async () => {
    const h = harness();
    await warm(h);
    h.send('models.refresh');
    h.last().fail('timeout');
    await h.settle('error');
    expect(JSON.parse(JSON.stringify(h.context()))).toEqual(h.context());
  });

  it('runs as a child with systemId "models" under a root machine, its slot provided through the parent', async () => {
    const root = setup({ actors: { modelCache: modelCacheMachine } }).createMachine({
      invoke: { id: 'models', systemId: 'models', src: 'modelCache', input: { ttlMs: 1_000 } },
    });
    const fetchModels = fromPromise<FetchModelsOutput, FetchModelsInput>(async ({ input }) => ({ credentialId: input.credentialId, models: [opus], at: 42 }));
    const actor = createActor(root.provide({ actors: { modelCache: modelCacheMachine.provide({ actors: { fetchModels } }) } })).start();
    const models = actor.system.get('models') as ActorRefFrom<typeof modelCacheMachine>;
    models.send({ type: 'models.request', credentialId: 'cred_a', ttlMs: 1_000, at: 40 });
    const snapshot = await waitFor(models, (s) => s.matches('fresh'), { timeout: 1_000 });
    expect(snapshot.context).toMatchObject({ models: [opus], cachedAt: 42 });
    actor.stop();
  });

  it('describes every state', () => {
    const missing: string[] = [];
    const visit = (node: AnyStateNode) => {
      if (!node.description) missing.push(node.id);
      Object.values(node.states).forEach(visit);
    };
    visit(modelCacheMachine.root);
    expect(missing).toEqual([]);
  });

  describe('lookups (GET /v1/models/{id} for ids the list does not hold)', () => {
    it('asks once for an id, in a child of its own, whatever state the list is in, and records a model it finds', async () => {
      const h = harness();
      h.lookup('claude-3-7-sonnet-20250219');
      expect(h.state()).toBe('empty');
      expect(h.lookups).toHaveLength(1);
      expect(h.lookups[0]?.input).toEqual({ credentialId: 'cred_a', modelId: 'claude-3-7-sonnet-20250219' });
      expect(h.entry('claude-3-7-sonnet-20250219')).toMatchObject({ outcome: null, pending: 'lookup-1' });
      h.lookups[0]?.found(retired);
      await h.answered('claude-3-7-sonnet-20250219');
      expect(h.entry('claude-3-7-sonnet-20250219')).toEqual({
        credentialId: 'cred_a',
        modelId: 'claude-3-7-sonnet-20250219',
        outcome: 'found',
        model: retired,
        answeredAt: h.clock.now(),
        error: null,
        pending: null,
      });
    });

    it('shares one ask among concurrent lookups of the same id, and asks about different ids side by side', () => {
      const h = harness();
      for (let i = 0; i < 20; i += 1) h.lookup('claude-sonnet-4-5');
      h.lookup('claude-opus-4-0');
      h.send('models.request');
      expect(h.lookups.map((l) => l.input.modelId)).toEqual(['claude-sonnet-4-5', 'claude-opus-4-0']);
      expect(h.calls).toHaveLength(1);
    });

    it('keeps a found model for the list TTL, then asks again', async () => {
      const h = harness({ ttlMs: 60_000 });
      h.lookup('claude-sonnet-4-5');
      h.lookups[0]?.found(sonnet);
      await h.answered('claude-sonnet-4-5');
      h.clock.increment(59_999);
      h.lookup('claude-sonnet-4-5');
      expect(h.lookups).toHaveLength(1);
      h.clock.increment(1);
      h.lookup('claude-sonnet-4-5');
      expect(h.lookups).toHaveLength(2);
      // The last answer is kept while the new ask runs.
      expect(h.entry('claude-sonnet-4-5')).toMatchObject({ outcome: 'found', model: sonnet, pending: 'lookup-2' });
    });

    it('keeps "not found" only briefly (notFoundTtlMs), so a model released since is found', async () => {
      const h = harness({ ttlMs: 3_600_000, notFoundTtlMs: 60_000 });
      h.lookup('claude-sonnet-9');
      h.lookups[0]?.notFound();
      await h.answered('claude-sonnet-9');
      expect(h.entry('claude-sonnet-9')).toMatchObject({ outcome: 'not_found', model: null, error: null });
      h.clock.increment(59_999);
      h.lookup('claude-sonnet-9');
      expect(h.lookups).toHaveLength(1);
      h.clock.increment(1);
      h.lookup('claude-sonnet-9');
      expect(h.lookups).toHaveLength(2);
    });

    it('after a failed ask keeps the last answer with the error, and asks again only after the error backoff', async () => {
      const h = harness({ errorBackoffMs: 5_000, ttlMs: 1_000 });
      h.lookup('claude-opus-4-0');
      h.lookups[0]?.found(opus);
      await h.answered('claude-opus-4-0');
      h.clock.increment(1_000);
      h.lookup('claude-opus-4-0');
      h.lookups[1]?.fail('timeout');
      await h.answered('claude-opus-4-0');
      expect(h.entry('claude-opus-4-0')).toMatchObject({ outcome: 'found', model: opus, error: { reason: 'timeout', message: 'lookup said timeout' } });
      h.clock.increment(4_999);
      h.lookup('claude-opus-4-0');
      expect(h.lookups).toHaveLength(2);
      h.clock.increment(1);
      h.lookup('claude-opus-4-0');
      expect(h.lookups).toHaveLength(3);
      h.lookups[2]?.notFound();
      await h.answered('claude-opus-4-0');
      expect(h.entry('claude-opus-4-0')).toMatchObject({ outcome: 'not_found', model: null, error: null });
    });

    it('is per credential: another credential\u2019s lookup drops the old entries and stops their asks', () => {
      const h = harness();
      h.lookup('claude-opus-4-0', 'cred_a');
      h.lookup('claude-opus-4-0', 'cred_b');
      expect(h.lookups[0]?.signal.aborted).toBe(true);
      expect(h.context().lookups.map((l) => l.credentialId)).toEqual(['cred_b']);
      expect(h.lookups).toHaveLength(2);
    });

    it('does not record an answer given under another credential than the entry\u2019s', async () => {
      const h = harness();
      h.lookup('claude-opus-4-0');
      h.lookups[0]?.found(opus, 'cred_other');
      await h.answered('claude-opus-4-0');
      expect(h.entry('claude-opus-4-0')).toMatchObject({ outcome: null, model: null, error: { reason: 'credential_changed' } });
    });

    it('after a refresh asks again on the next lookup, keeping the last answer until a new one arrives', async () => {
      const h = harness();
      await warm(h);
      h.lookup('claude-opus-4-0');
      h.lookups[0]?.found(opus);
      await h.answered('claude-opus-4-0');
      h.send('models.refresh');
      expect(h.entry('claude-opus-4-0')).toMatchObject({ outcome: 'found', model: opus, answeredAt: null });
      h.lookup('claude-opus-4-0');
      expect(h.lookups).toHaveLength(2);
      h.lookups[1]?.fail('unreachable');
      await h.answered('claude-opus-4-0');
      expect(h.entry('claude-opus-4-0')).toMatchObject({ outcome: 'found', model: opus, error: { reason: 'unreachable' } });
    });

    it('keeps at most maxLookups entries (the oldest answered goes) and asks at most that many at once', async () => {
      const h = harness({ maxLookups: 2 });
      h.lookup('claude-a-1');
      h.lookup('claude-b-1');
      h.lookup('claude-c-1');
      expect(h.lookups.map((l) => l.input.modelId)).toEqual(['claude-a-1', 'claude-b-1']);
      expect(h.entry('claude-c-1')).toBeUndefined();
      h.lookups[0]?.notFound();
      await h.answered('claude-a-1');
      h.clock.increment(1);
      h.lookups[1]?.notFound();
      await h.answered('claude-b-1');
      h.lookup('claude-c-1');
      expect(h.context().lookups.map((l) => l.modelId)).toEqual(['claude-b-1', 'claude-c-1']);
    });

    it('a lookup hit assigns nothing (no snapshot churn for the inspector)', async () => {
      const h = harness();
      h.lookup('claude-opus-4-0');
      h.lookups[0]?.found(opus);
      await h.answered('claude-opus-4-0');
      const before = h.actor.getSnapshot().context;
      h.lookup('claude-opus-4-0');
      expect(h.actor.getSnapshot().context).toBe(before);
    });

    it('records an unprovided retrieve slot as a failed ask, not a crash of the cache', async () => {
      const actor = createActor(modelCacheMachine, { input: {} }).start();
      actor.send({ type: 'models.lookup', credentialId: 'cred_a', modelId: 'claude-x-1', ttlMs: 1_000, at: 7 });
      const snapshot = await waitFor(actor, (s) => s.context.lookups[0]?.pending === null, { timeout: 1_000 });
      expect(snapshot.status).toBe('active');
      expect(snapshot.context.lookups[0]?.error).toMatchObject({ message: 'not provided: retrieveModel' });
    });
  });
});
