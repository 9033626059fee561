import type { ModelLookup } from '../../../machines/model-cache.machine.js';
import { fallbackModels } from '../../../src/models/fallback-models.js';
import { modelVerdict, verdictError } from '../../../src/models/model-check.js';
import { buildCatalogue, toCachedModel } from '../../../src/models/model-catalogue.js';
import { knownModels, realModels } from '../../support/real-models.js';

const catalogue = buildCatalogue(realModels);
const entry = (modelId: string, answer: Partial<ModelLookup>): ModelLookup => ({
  credentialId: 'cred_a',
  modelId,
  outcome: null,
  model: null,
  answeredAt: 1,
  error: null,
  pending: null,
  ...answer,
});
const found = (modelId: string, id = modelId) => {
  const model = knownModels.find((m) => m.id === id);
  if (!model) throw new Error(`no model ${id}`);
  return entry(modelId, { outcome: 'found', model: toCachedModel(model) });
};
const cache = (lookups: ModelLookup[] = [], models = catalogue) => ({ credentialId: 'cred_a', models, lookups });
const timeout = { code: 'ERR_MODELS_FETCH', reason: 'timeout', message: 'too slow', at: 2 };

describe('modelVerdict', () => {
  it('always accepts opus|sonnet|haiku, and everything when there is no credential', () => {
    expect(modelVerdict('opus[1m]', 'cred_a', cache(), fallbackModels)).toEqual({ kind: 'accepted', why: 'bare_alias' });
    expect(modelVerdict('claude-3-7-sonnet-20250219', null, cache([found('claude-3-7-sonnet-20250219')]), fallbackModels)).toEqual({ kind: 'accepted', why: 'no_credential' });
  });

  it('accepts a listed model, deprecated ones included', () => {
    expect(modelVerdict('claude-sonnet-4-5-20250929[1m]', 'cred_a', cache(), fallbackModels)).toEqual({ kind: 'accepted', why: 'listed' });
  });

  it('refuses a model its lookup found retired, naming the latest active model of its line', () => {
    const verdict = modelVerdict('claude-3-7-sonnet-20250219', 'cred_a', cache([found('claude-3-7-sonnet-20250219')]), fallbackModels);
    expect(verdict).toMatchObject({ kind: 'retired', model: 'claude-3-7-sonnet-20250219', resolvedId: 'claude-3-7-sonnet-20250219', replacement: { id: 'claude-sonnet-5' } });
  });

  it('refuses an alias of a retired model, and accepts an alias of a live one', () => {
    expect(modelVerdict('claude-3-5-haiku-latest', 'cred_a', cache([found('claude-3-5-haiku-latest', 'claude-3-5-haiku-20241022')]), fallbackModels)).toMatchObject({
      kind: 'retired',
      resolvedId: 'claude-3-5-haiku-20241022',
      replacement: { id: 'claude-haiku-4-5-20251001' },
    });
    expect(modelVerdict('claude-sonnet-4-5', 'cred_a', cache([found('claude-sonnet-4-5', 'claude-sonnet-4-5-20250929')]), fallbackModels)).toEqual({ kind: 'accepted', why: 'found' });
  });

  it('keeps a known retirement even when a later ask failed (retirement is final)', () => {
    const stale = { ...found('claude-3-7-sonnet-20250219'), error: timeout };
    expect(modelVerdict('claude-3-7-sonnet-20250219', 'cred_a', cache([stale]), fallbackModels).kind).toBe('retired');
  });

  it('refuses an id the API answered 404 for, but only while that is its latest answer', () => {
    const missing = entry('claude-sonnet-9', { outcome: 'not_found' });
    expect(modelVerdict('claude-sonnet-9', 'cred_a', cache([missing]), fallbackModels)).toMatchObject({ kind: 'unknown', model: 'claude-sonnet-9', replacement: { id: 'claude-sonnet-5' } });
    expect(modelVerdict('claude-sonnet-9', 'cred_a', cache([{ ...missing, error: timeout }]), fallbackModels)).toEqual({ kind: 'accepted', why: 'unchecked' });
  });

  it('accepts what could not be checked: no answer, a failed ask, an ask still under way, another credential\u2019s answer', () => {
    expect(modelVerdict('claude-sonnet-9', 'cred_a', cache(), fallbackModels)).toEqual({ kind: 'accepted', why: 'unchecked' });
    expect(modelVerdict('claude-sonnet-9', 'cred_a', cache([entry('claude-sonnet-9', { error: timeout })]), fallbackModels).kind).toBe('accepted');
    expect(modelVerdict('claude-sonnet-9', 'cred_a', cache([entry('claude-sonnet-9', { pending: 'lookup-1' })]), fallbackModels).kind).toBe('accepted');
    expect(modelVerdict('claude-sonnet-9', 'cred_b', cache([entry('claude-sonnet-9', { outcome: 'not_found' })]), fallbackModels).kind).toBe('accepted');
  });

  it('names a replacement from the built-in list when no list of this credential is cached', () => {
    const verdict = modelVerdict('claude-3-7-sonnet-20250219', 'cred_a', { credentialId: 'cred_a', models: null, lookups: [found('claude-3-7-sonnet-20250219')] }, fallbackModels);
    expect(verdict).toMatchObject({ kind: 'retired', replacement: { id: 'claude-sonnet-5-5' } });
  });
});

describe('verdictError', () => {
  it('is null for an accepted model', () => {
    expect(verdictError({ kind: 'accepted', why: 'listed' })).toBeNull();
  });

  it('is a 400 ERR_MODEL_RETIRED naming the replacement', () => {
    const error = verdictError(modelVerdict('claude-3-7-sonnet-20250219', 'cred_a', cache([found('claude-3-7-sonnet-20250219')]), fallbackModels));
    expect(error).toMatchObject({
      code: 'ERR_MODEL_RETIRED',
      status: 400,
      message: 'claude-3-7-sonnet-20250219 is retired, so the main server could not use it; use Claude Sonnet 5 (claude-sonnet-5) instead; nothing was written',
      extra: { key: 'default_model', value: 'claude-3-7-sonnet-20250219', replacement: 'claude-sonnet-5' },
    });
  });

  it('names the model an alias resolved to', () => {
    const error = verdictError(modelVerdict('claude-3-5-haiku-latest', 'cred_a', cache([found('claude-3-5-haiku-latest', 'claude-3-5-haiku-20241022')]), fallbackModels));
    expect(error?.message).toMatch(/^claude-3-5-haiku-latest \(claude-3-5-haiku-20241022\) is retired/);
  });

  it('is a 400 ERR_MODEL_UNKNOWN, pointing at the model list when no replacement is known', () => {
    const error = verdictError(modelVerdict('claude-zzz-1', 'cred_a', cache([entry('claude-zzz-1', { outcome: 'not_found' })]), fallbackModels));
    expect(error).toMatchObject({
      code: 'ERR_MODEL_UNKNOWN',
      status: 400,
      message: 'The Anthropic API does not know the model claude-zzz-1; pick a model from GET /supervisor/models; nothing was written',
      extra: { key: 'default_model', value: 'claude-zzz-1', replacement: null },
    });
  });
});
