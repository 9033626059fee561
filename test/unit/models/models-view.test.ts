import type { CachedModel } from '../../../machines/model-cache.machine.js';
import { fallbackModels } from '../../../src/models/fallback-models.js';
import { buildCatalogue } from '../../../src/models/model-catalogue.js';
import { modelsView, type ModelsViewInput } from '../../../src/models/models-view.js';
import { realModels } from '../../support/real-models.js';

const catalogue: CachedModel[] = buildCatalogue(realModels);
const t0 = Date.parse('2026-11-24T10:00:00Z');

function input(overrides: Partial<ModelsViewInput> = {}, cache: Partial<ModelsViewInput['cache']> = {}): ModelsViewInput {
  return {
    cache: { credentialId: 'cred_a', models: catalogue, cachedAt: t0, lastError: null, ...cache },
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

describe('modelsView', () => {
  it('answers a cache hit with the latest per family and the documented fields', () => {
    const view = modelsView(input());
    expect(view).toEqual({
      models: catalogue.filter((m) => m.is_latest),
      count: 6,
      show_all: false,
      current_model: 'claude-sonnet-5',
      cached_at: '2026-11-24T10:00:00.000Z',
      is_stale: false,
      source: 'cache',
      error: null,
    });
  });

  it('lists everything with show_all, grouped by family, newest first', () => {
    const view = modelsView(input({ showAll: true }));
    expect(view.models).toEqual(catalogue);
    expect(view.count).toBe(realModels.length);
    expect(view.show_all).toBe(true);
  });

  it('says "anthropic" when the list was fetched during this request', () => {
    expect(modelsView(input({ requestedAt: t0 - 5 })).source).toBe('anthropic');
  });

  it('marks an expired list stale even before anyone refetched', () => {
    expect(modelsView(input({ now: t0 + 3_600_000 })).is_stale).toBe(true);
  });

  it('serves the cached list as stale with the error after a failed refresh', () => {
    const view = modelsView(input({}, { lastError: { code: 'ERR_MODELS_FETCH', reason: 'upstream_error', message: 'the Anthropic API is failing (529)', at: t0 + 5 } }));
    expect(view).toMatchObject({ source: 'cache', is_stale: true, error: 'the Anthropic API is failing (529)', count: 6 });
  });

  it('falls back to the built-in list when nothing is cached, with the reason', () => {
    const view = modelsView(input({ credentialId: null }, { credentialId: null, models: null, cachedAt: null, lastError: { code: 'ERR_MODELS_FETCH', reason: 'no_credential', message: 'no Anthropic credential', at: t0 } }));
    expect(view).toEqual({
      models: fallbackModels.filter((m) => m.is_latest),
      count: 3,
      show_all: false,
      current_model: 'claude-sonnet-5',
      cached_at: null,
      is_stale: true,
      source: 'fallback',
      error: 'no Anthropic credential',
    });
  });

  it('never serves another credential\u2019s list or error', () => {
    const view = modelsView(input({ credentialId: 'cred_b', fetching: true }, { lastError: { code: 'ERR_MODELS_FETCH', reason: 'x', message: 'old key error', at: t0 } }));
    expect(view.source).toBe('fallback');
    expect(view.error).toMatch(/has not answered yet/);
  });
});
