import { sonnet37Retired, sonnet45Deprecated } from '../../support/model-fixtures.js';
import type { ModelLookup } from '../../../machines/model-cache.machine.js';
import { currentModelInfo, isBareAlias, lookupTarget, modelIdOf, modelWarnings, resolveModel } from '../../../src/models/current-model.js';
import { fallbackModels } from '../../../src/models/fallback-models.js';
import { buildCatalogue, toCachedModel } from '../../../src/models/model-catalogue.js';
import { knownModels, legacyShape, realModels } from '../../support/real-models.js';

const catalogue = buildCatalogue(realModels);
const now = Date.parse('2026-12-06T00:00:00Z');
const known = (id: string) => {
  const model = knownModels.find((m) => m.id === id);
  if (!model) throw new Error(`no model ${id} in knownModels`);
  return toCachedModel(model);
};
const lookup = (modelId: string, answer: Partial<ModelLookup>): ModelLookup => ({
  credentialId: 'cred_a',
  modelId,
  outcome: null,
  model: null,
  answeredAt: null,
  error: null,
  pending: null,
  ...answer,
});
/** A lookup of `modelId` that found `foundId` (the same model, or the one an alias names) in the known models. */
const foundLookup = (modelId: string, foundId = modelId) => lookup(modelId, { outcome: 'found', model: known(foundId) });
const warningsFor = (configured: string | null, found: ModelLookup | null = null, list = catalogue, fallback = false) =>
  modelWarnings({ info: currentModelInfo(configured, list, found), catalogue: list, lookup: found, fallback, now });

describe('which id is looked up', () => {
  it('strips the context-window suffix and resolves opus|sonnet|haiku locally', () => {
    expect(modelIdOf('claude-sonnet-4-5-20250929[1m]')).toBe('claude-sonnet-4-5-20250929');
    expect(isBareAlias('opus[1m]')).toBe(true);
    expect(isBareAlias('claude-opus-5')).toBe(false);
    expect(lookupTarget('sonnet', catalogue)).toBeNull();
    expect(lookupTarget(null, catalogue)).toBeNull();
  });

  it('asks only about ids the list does not hold', () => {
    expect(lookupTarget('claude-sonnet-4-5-20250929[1m]', catalogue)).toBeNull();
    expect(lookupTarget('claude-3-7-sonnet-20250219', catalogue)).toBe('claude-3-7-sonnet-20250219');
    expect(lookupTarget('claude-sonnet-4-5', catalogue)).toBe('claude-sonnet-4-5');
  });
});

describe('currentModelInfo', () => {
  it('is null when no default_model is set', () => {
    expect(currentModelInfo(null, catalogue, null)).toBeNull();
  });

  it('describes an active listed model with no replacement', () => {
    expect(currentModelInfo('claude-opus-5', catalogue, null)).toEqual({
      id: 'claude-opus-5',
      resolved_id: 'claude-opus-5',
      display_name: 'Claude Opus 5',
      lifecycle: 'active',
      retires_at: null,
      replacement: null,
    });
  });

  it('resolves a bare alias to the latest active model of that family', () => {
    expect(currentModelInfo('sonnet', catalogue, null)).toMatchObject({ id: 'sonnet', resolved_id: 'claude-sonnet-5', lifecycle: 'active', replacement: null });
    expect(currentModelInfo('haiku[1m]', catalogue, null)).toMatchObject({ resolved_id: 'claude-haiku-4-5-20251001' });
  });

  it('names the latest active model of the same line as the replacement of a deprecated one', () => {
    expect(currentModelInfo('claude-sonnet-4-5-20250929', catalogue, null)).toEqual(sonnet45Deprecated());
    expect(currentModelInfo('claude-opus-4-20250514', catalogue, null)?.replacement).toBe('claude-opus-5');
  });

  it('takes a retired model from its lookup (the list never holds it), with its replacement', () => {
    const found = foundLookup('claude-3-7-sonnet-20250219');
    expect(currentModelInfo('claude-3-7-sonnet-20250219', catalogue, found)).toEqual(sonnet37Retired());
  });

  it('resolves an alias through its lookup, and describes the model it names from the list', () => {
    const found = foundLookup('claude-sonnet-4-5', 'claude-sonnet-4-5-20250929');
    expect(currentModelInfo('claude-sonnet-4-5', catalogue, found)).toMatchObject({
      id: 'claude-sonnet-4-5',
      resolved_id: 'claude-sonnet-4-5-20250929',
      lifecycle: 'deprecated',
      replacement: 'claude-sonnet-5',
    });
  });

  it('says "unknown" for a 404, with the latest model of the line the id names as replacement', () => {
    const missing = lookup('claude-sonnet-9', { outcome: 'not_found' });
    expect(currentModelInfo('claude-sonnet-9', catalogue, missing)).toEqual({
      id: 'claude-sonnet-9',
      resolved_id: null,
      display_name: null,
      lifecycle: 'unknown',
      retires_at: null,
      replacement: 'claude-sonnet-5',
    });
    expect(currentModelInfo('claude-zzz', catalogue, lookup('claude-zzz', { outcome: 'not_found' }))?.replacement).toBeNull();
  });

  it('says nothing (null) when the id could not be checked', () => {
    const failed = lookup('claude-sonnet-9', { error: { code: 'ERR_MODELS_FETCH', reason: 'timeout', message: 'too slow', at: 1 } });
    expect(currentModelInfo('claude-sonnet-9', catalogue, failed)).toMatchObject({ resolved_id: null, lifecycle: null, replacement: null });
    expect(currentModelInfo('claude-sonnet-9', catalogue, null)).toMatchObject({ lifecycle: null });
  });

  it('with the built-in list: resolves bare aliases, but cannot tell a lifecycle', () => {
    expect(currentModelInfo('opus', fallbackModels, null)).toMatchObject({ resolved_id: 'claude-opus-5-5', lifecycle: null });
    expect(resolveModel('claude-sonnet-4-5-20250929', fallbackModels, null)).toEqual({ kind: 'unchecked', family: 'sonnet' });
  });
});

describe('modelWarnings', () => {
  it('is empty when there is nothing to say', () => {
    expect(warningsFor('claude-opus-5')).toEqual([]);
    expect(warningsFor(null)).toEqual([]);
    expect(warningsFor('opus')).toEqual([]);
  });

  it('says when the current model is deprecated, when it retires and what replaces it', () => {
    expect(warningsFor('claude-sonnet-4-5-20250929')).toEqual([
      'claude-sonnet-4-5-20250929 is deprecated and retires on 2027-02-05; Claude Sonnet 5 (claude-sonnet-5) replaces it',
    ]);
  });

  it('says an overdue retirement was due (the model may stop working any time), and a deprecation without a date', () => {
    expect(warningsFor('claude-opus-4-20250514')).toEqual(['claude-opus-4-20250514 is deprecated and was due to retire on 2026-11-14; Claude Opus 5 (claude-opus-5) replaces it']);
    expect(warningsFor('claude-sonnet-4-20250514')).toEqual(['claude-sonnet-4-20250514 is deprecated; Claude Sonnet 5 (claude-sonnet-5) replaces it']);
  });

  it('names the alias and the model it resolves to', () => {
    const found = foundLookup('claude-sonnet-4-5', 'claude-sonnet-4-5-20250929');
    expect(warningsFor('claude-sonnet-4-5', found)).toEqual([
      'claude-sonnet-4-5 (claude-sonnet-4-5-20250929) is deprecated and retires on 2027-02-05; Claude Sonnet 5 (claude-sonnet-5) replaces it',
    ]);
  });

  it('says a retired model fails, and an unknown one is not known to the API', () => {
    const retired = foundLookup('claude-3-5-haiku-20241022');
    expect(warningsFor('claude-3-5-haiku-20241022', retired)).toEqual([
      'claude-3-5-haiku-20241022 is retired, so requests naming it fail; Claude Haiku 4.5 (claude-haiku-4-5-20251001) replaces it',
    ]);
    expect(warningsFor('claude-sonnet-9', lookup('claude-sonnet-9', { outcome: 'not_found' }))).toEqual([
      'The Anthropic API does not know the model claude-sonnet-9; use Claude Sonnet 5 (claude-sonnet-5) instead',
    ]);
  });

  it('says when no active model of the line is left to replace it', () => {
    const lonely = buildCatalogue([{ id: 'claude-fable-5', display_name: 'Claude Fable 5', created_at: '2026-06-09T00:00:00Z', line: 'fable', lifecycle: 'deprecated', retires_at: '2027-06-01T00:00:00Z' }]);
    expect(warningsFor('claude-fable-5', null, lonely)).toEqual(['claude-fable-5 is deprecated and retires on 2027-06-01; no active model of its line is listed to replace it']);
  });

  it('says when the current model could not be checked, and why', () => {
    const failed = lookup('claude-sonnet-9', { error: { code: 'ERR_MODELS_FETCH', reason: 'timeout', message: 'the Anthropic Models API did not answer within 10000 ms', at: 1 } });
    expect(warningsFor('claude-sonnet-9', failed)).toEqual([
      'claude-sonnet-9 is not in the model list and the Anthropic API could not be asked about it (the Anthropic Models API did not answer within 10000 ms)',
    ]);
    expect(warningsFor('claude-sonnet-9', lookup('claude-sonnet-9', { pending: 'lookup-1' }))).toEqual([
      'claude-sonnet-9 is not in the model list and the Anthropic API has not answered about it yet',
    ]);
  });

  it('says the built-in list cannot tell lifecycles, and so does a list from an older API', () => {
    expect(warningsFor('claude-sonnet-4-5-20250929', null, [...fallbackModels], true)).toEqual([
      'This is the built-in list of models: it cannot tell which models are deprecated or retired, so their lifecycle is null',
    ]);
    expect(warningsFor('claude-opus-5', null, buildCatalogue(realModels.map(legacyShape)))).toEqual([
      'The Anthropic Models API did not say which models are deprecated or retired (an older API version), so their lifecycle is null',
    ]);
  });
});
