import type { CachedModel, ModelLookup } from '../../../machines/model-cache.machine.js';
import { fallbackModels } from '../../../src/models/fallback-models.js';
import { buildCatalogue, toCachedModel } from '../../../src/models/model-catalogue.js';
import { cachedModelInfo, createModelsBodyCache, modelsView, type ModelsViewInput } from '../../../src/models/models-view.js';
import { knownModels, realModels } from '../../support/real-models.js';

const catalogue: CachedModel[] = buildCatalogue(realModels);
const t0 = Date.parse('2026-11-24T10:00:00Z');
const served = (models: readonly CachedModel[], currentId: string | null = null) => models.map((m) => ({ ...m, is_current: m.id === currentId }));

function input(overrides: Partial<ModelsViewInput> = {}, cache: Partial<ModelsViewInput['cache']> = {}): ModelsViewInput {
  return {
    cache: { credentialId: 'cred_a', models: catalogue, cachedAt: t0, lastError: null, lookups: [], ...cache },
    fetching: false,
    credentialId: 'cred_a',
    showAll: false,
    currentModel: 'claude-sonnet-5',
    ttlMs: 3_600_000,
    requestedAt: t0 + 1_000,
    now: t0 + 1_001,
    fallback: fallbackModels,
    ...overrides,
  };
}

const retiredLookup = (credentialId = 'cred_a'): ModelLookup => {
  const model = knownModels.find((m) => m.id === 'claude-3-7-sonnet-20250219');
  if (!model) throw new Error('claude-3-7-sonnet-20250219 missing from knownModels');
  return { credentialId, modelId: 'claude-3-7-sonnet-20250219', outcome: 'found', model: toCachedModel(model), answeredAt: t0, error: null, pending: null };
};

describe('modelsView', () => {
  it('answers a cache hit with the latest active model per family and the documented fields', () => {
    const view = modelsView(input());
    expect(view).toEqual({
      models: served(catalogue.filter((m) => m.is_latest), 'claude-sonnet-5'),
      count: 5,
      show_all: false,
      current_model: 'claude-sonnet-5',
      current_model_info: { id: 'claude-sonnet-5', resolved_id: 'claude-sonnet-5', display_name: 'Claude Sonnet 5', lifecycle: 'active', retires_at: null, replacement: null },
      cached_at: '2026-11-24T10:00:00.000Z',
      is_stale: false,
      source: 'cache',
      error: null,
      warnings: [],
    });
  });

  it('lists everything but the retired with show_all, grouped by family, newest first', () => {
    const withRetired = buildCatalogue(knownModels);
    const view = modelsView(input({ showAll: true }, { models: withRetired }));
    expect(view.models.map((m) => m.id)).toEqual(catalogue.map((m) => m.id));
    expect(view.count).toBe(realModels.length);
    expect(view.show_all).toBe(true);
  });

  it('adds the current model to the default view when it is listed but not the latest, marked is_current', () => {
    const view = modelsView(input({ currentModel: 'claude-sonnet-4-5-20250929[1m]' }));
    expect(view.models.map((m) => [m.id, m.is_current])).toEqual([
      ['claude-opus-5', false],
      ['claude-sonnet-5', false],
      ['claude-sonnet-4-5-20250929', true],
      ['claude-fable-5', false],
      ['claude-mythos-preview', false],
      ['claude-haiku-4-5-20251001', false],
    ]);
    expect(view.current_model_info).toMatchObject({ lifecycle: 'deprecated', replacement: 'claude-sonnet-5' });
    expect(view.warnings).toEqual(['claude-sonnet-4-5-20250929[1m] is deprecated and retires on 2027-02-05; Claude Sonnet 5 (claude-sonnet-5) replaces it']);
  });

  it('marks the model a bare alias resolves to as current', () => {
    const view = modelsView(input({ currentModel: 'opus' }));
    expect(view.models.filter((m) => m.is_current).map((m) => m.id)).toEqual(['claude-opus-5']);
  });

  it('describes a retired current model from its lookup, never listing it', () => {
    const view = modelsView(input({ currentModel: 'claude-3-7-sonnet-20250219', showAll: true }, { lookups: [retiredLookup()] }));
    expect(view.models.some((m) => m.id === 'claude-3-7-sonnet-20250219' || m.is_current)).toBe(false);
    expect(view.current_model_info).toMatchObject({ lifecycle: 'retired', replacement: 'claude-sonnet-5' });
    expect(view.warnings[0]).toMatch(/^claude-3-7-sonnet-20250219 is retired/);
  });

  it('ignores a lookup made under another credential', () => {
    const view = modelsView(input({ currentModel: 'claude-3-7-sonnet-20250219' }, { lookups: [retiredLookup('cred_b')] }));
    expect(view.current_model_info).toMatchObject({ lifecycle: null, resolved_id: null });
  });

  it('says "anthropic" when the list was fetched during this request', () => {
    expect(modelsView(input({ requestedAt: t0 - 5 })).source).toBe('anthropic');
  });

  it('marks an expired list stale even before anyone refetched', () => {
    expect(modelsView(input({ now: t0 + 3_600_000 })).is_stale).toBe(true);
  });

  it('serves the cached list as stale with the error after a failed refresh', () => {
    const view = modelsView(input({}, { lastError: { code: 'ERR_MODELS_FETCH', reason: 'upstream_error', message: 'the Anthropic API is failing (529)', at: t0 + 5 } }));
    expect(view).toMatchObject({ source: 'cache', is_stale: true, error: 'the Anthropic API is failing (529)', count: 5 });
  });

  it('falls back to the built-in list when nothing is cached, with the reason and a warning that it cannot tell lifecycles', () => {
    const view = modelsView(
      input(
        { credentialId: null, currentModel: 'claude-sonnet-4-5-20250929' },
        { credentialId: null, models: null, cachedAt: null, lastError: { code: 'ERR_MODELS_FETCH', reason: 'no_credential', message: 'no Anthropic credential', at: t0 } },
      ),
    );
    expect(view).toEqual({
      models: served(fallbackModels.filter((m) => m.is_latest)),
      count: 3,
      show_all: false,
      current_model: 'claude-sonnet-4-5-20250929',
      current_model_info: { id: 'claude-sonnet-4-5-20250929', resolved_id: null, display_name: null, lifecycle: null, retires_at: null, replacement: null },
      cached_at: null,
      is_stale: true,
      source: 'fallback',
      error: 'no Anthropic credential',
      warnings: ['This is the built-in list of models: it cannot tell which models are deprecated or retired, so their lifecycle is null'],
    });
  });

  it('never serves another credential\u2019s list or error', () => {
    const view = modelsView(input({ credentialId: 'cred_b', fetching: true }, { lastError: { code: 'ERR_MODELS_FETCH', reason: 'x', message: 'old key error', at: t0 } }));
    expect(view.source).toBe('fallback');
    expect(view.error).toMatch(/has not answered yet/);
  });
});

describe('createModelsBodyCache', () => {
  it('renders the view as JSON bytes, once per cache state and request facts', () => {
    const render = createModelsBodyCache();
    const base = input();
    const first = render(base);
    expect(JSON.parse(first.toString('utf8'))).toEqual(modelsView(base));
    expect(render({ ...base, requestedAt: base.requestedAt + 5, now: base.now + 5 })).toBe(first);
  });

  it('renders again when anything the view reads changes', () => {
    const render = createModelsBodyCache();
    const base = input();
    const first = render(base);
    const variants: Partial<ModelsViewInput>[] = [
      { showAll: true },
      { currentModel: 'claude-opus-5' },
      { credentialId: 'cred_b' },
      { fetching: true },
      { requestedAt: t0 - 1 },
      { now: t0 + 3_600_000 },
      { ttlMs: 10 },
      { now: base.now + 60_000 },
      { cache: { ...base.cache } },
    ];
    for (const variant of variants) {
      const changed = { ...base, ...variant };
      const body = render(changed);
      expect(body).not.toBe(first);
      expect(JSON.parse(body.toString('utf8'))).toEqual(modelsView(changed));
    }
  });
});

describe('cachedModelInfo (what status shows, from the cache alone)', () => {
  const cache = { credentialId: 'cred_a', models: catalogue, lookups: [retiredLookup()] };

  it('reads the list and the lookups of the credential in effect', () => {
    expect(cachedModelInfo(cache, 'cred_a', 'claude-sonnet-4-5-20250929', fallbackModels)).toMatchObject({ lifecycle: 'deprecated', replacement: 'claude-sonnet-5' });
    expect(cachedModelInfo(cache, 'cred_a', 'claude-3-7-sonnet-20250219', fallbackModels)).toMatchObject({ lifecycle: 'retired' });
  });

  it('knows nothing of another credential\u2019s cache, and nothing without a default_model', () => {
    expect(cachedModelInfo(cache, 'cred_b', 'claude-sonnet-4-5-20250929', fallbackModels)).toMatchObject({ lifecycle: null });
    expect(cachedModelInfo(cache, 'cred_a', null, fallbackModels)).toBeNull();
  });
});
