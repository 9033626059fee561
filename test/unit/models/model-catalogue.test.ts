import type { CachedModel } from '../../../machines/model-cache.machine.js';
import { fallbackModels } from '../../../src/models/fallback-models.js';
import { buildCatalogue, latestOfFamily, latestPerFamily, listedModels, toCachedModel } from '../../../src/models/model-catalogue.js';
import type { UpstreamModel } from '../../../src/models/upstream-model.js';
import { knownModels, legacyShape, realModels } from '../../support/real-models.js';
import { cachedModel } from '../../support/model-fixtures.js';

const model = (id: string, created: string, extra: Partial<UpstreamModel> = {}): UpstreamModel => ({ id, display_name: id, created_at: `${created}T00:00:00Z`, ...extra });
const ids = (models: readonly CachedModel[]) => models.map((m) => m.id);

describe('buildCatalogue', () => {
  const catalogue = buildCatalogue(realModels);

  it('keeps every model with exactly the served fields, as the API gave them', () => {
    expect(catalogue).toHaveLength(realModels.length);
    for (const m of catalogue) {
      expect(Object.keys(m).sort()).toEqual(
        ['capabilities', 'created_at', 'deprecated_at', 'display_name', 'family', 'id', 'is_latest', 'lifecycle', 'line', 'max_input_tokens', 'max_tokens', 'retires_at'].sort(),
      );
    }
    expect(catalogue.find((m) => m.id === 'claude-sonnet-4-5-20250929')).toEqual({ ...realModels.find((m) => m.id === 'claude-sonnet-4-5-20250929'), family: 'sonnet', is_latest: false });
  });

  it('marks the newest active model of each family as latest, and only that one', () => {
    expect(ids(catalogue.filter((m) => m.is_latest))).toEqual(['claude-opus-5', 'claude-sonnet-5', 'claude-fable-5', 'claude-mythos-preview', 'claude-haiku-4-5-20251001']);
  });

  it('groups by family (families by their newest model) and sorts each family newest first', () => {
    expect(ids(catalogue)).toEqual([
      'claude-opus-5',
      'claude-opus-4-8',
      'claude-opus-4-7',
      'claude-opus-4-6',
      'claude-opus-4-5-20251101',
      'claude-opus-4-1-20250805',
      'claude-opus-4-20250514',
      'claude-sonnet-5',
      'claude-sonnet-4-6',
      'claude-sonnet-4-5-20250929',
      'claude-sonnet-4-20250514',
      'claude-fable-5',
      'claude-mythos-preview',
      'claude-haiku-4-5-20251001',
    ]);
  });

  it('is independent of the upstream order', () => {
    expect(buildCatalogue([...realModels].reverse())).toEqual(catalogue);
  });

  it('takes the family from the API\u2019s line, not from the id, when the API gives one', () => {
    const lined = buildCatalogue([
      model('claude-sonnet-7', '2027-01-01', { line: 'opus' }),
      model('claude-quill-1', '2027-02-01', { line: 'quill' }),
      model('claude-2.1', '2023-11-21', { line: null }),
      model('claude-haiku-9', '2027-03-01'),
    ]);
    expect(lined.map((m) => [m.id, m.line, m.family])).toEqual([
      ['claude-haiku-9', null, 'haiku'],
      ['claude-quill-1', 'quill', 'quill'],
      ['claude-sonnet-7', 'opus', 'opus'],
      ['claude-2.1', null, 'claude'],
    ]);
  });

  it('picks the latest among active models only: a newer deprecated model is never latest, nor is a retired one', () => {
    const picked = buildCatalogue([
      model('claude-opus-9', '2027-05-01', { line: 'opus', lifecycle: 'deprecated' }),
      model('claude-opus-8', '2027-04-01', { line: 'opus', lifecycle: 'active' }),
      model('claude-opus-7', '2027-03-01', { line: 'opus', lifecycle: 'active' }),
      model('claude-sonnet-9', '2027-05-01', { line: 'sonnet', lifecycle: 'retired' }),
      model('claude-sonnet-8', '2027-04-01', { line: 'sonnet', lifecycle: 'deprecated' }),
    ]);
    expect(picked.filter((m) => m.is_latest).map((m) => m.id)).toEqual(['claude-opus-8']);
    expect(latestOfFamily(picked, 'opus')?.id).toBe('claude-opus-8');
    expect(latestOfFamily(picked, 'sonnet')).toBeNull();
  });

  it('counts a model of unknown lifecycle (an older API) as active', () => {
    const old = buildCatalogue(realModels.map(legacyShape));
    expect(old.every((m) => m.lifecycle === null && m.line === null && m.capabilities === null)).toBe(true);
    expect(ids(old.filter((m) => m.is_latest))).toEqual(['claude-opus-5', 'claude-sonnet-5', 'claude-fable-5', 'claude-mythos-preview', 'claude-haiku-4-5-20251001']);
    expect(old.map((m) => m.family)).toEqual(catalogue.map((m) => m.family));
  });

  it('keeps odd ids under "other", listed after the real families, and never fails', () => {
    const odd = buildCatalogue([
      { id: 'totally-new-thing', display_name: '', created_at: '2030-01-01T00:00:00Z' },
      { id: 'claude-sonnet-5', display_name: 'Claude Sonnet 5', created_at: 'not a date' },
      { id: 'claude-sonnet-5', display_name: 'duplicate', created_at: '2026-06-30T00:00:00Z' },
    ]);
    expect(odd.map((m) => [m.id, m.display_name, m.created_at, m.family, m.is_latest])).toEqual([
      ['claude-sonnet-5', 'Claude Sonnet 5', '1970-01-01T00:00:00Z', 'sonnet', true],
      ['totally-new-thing', 'totally-new-thing', '2030-01-01T00:00:00Z', 'other', true],
    ]);
  });

  it('breaks created_at ties by version, then the undated alias, so exactly one is latest', () => {
    const tied = buildCatalogue([
      { id: 'claude-3-7-sonnet-20250219', display_name: 'a', created_at: '2025-02-24T00:00:00Z' },
      { id: 'claude-3-7-sonnet-latest', display_name: 'b', created_at: '2025-02-24T00:00:00Z' },
      { id: 'claude-3-5-sonnet-20241022', display_name: 'c', created_at: '2025-02-24T00:00:00Z' },
    ]);
    expect(tied.map((m) => [m.id, m.is_latest])).toEqual([
      ['claude-3-7-sonnet-latest', true],
      ['claude-3-7-sonnet-20250219', false],
      ['claude-3-5-sonnet-20241022', false],
    ]);
  });
});

describe('toCachedModel', () => {
  it('fills what an older answer lacks with null and is never latest on its own', () => {
    expect(toCachedModel({ id: 'claude-opus-4-20250514', display_name: 'Claude Opus 4', created_at: '2025-05-22T00:00:00Z' })).toEqual(
      cachedModel({ id: 'claude-opus-4-20250514', display_name: 'Claude Opus 4', created_at: '2025-05-22T00:00:00Z', family: 'opus', is_latest: false }),
    );
  });
});

describe('the views of a catalogue', () => {
  const withRetired = buildCatalogue(knownModels);

  it('never lists a retired model, even when the API listed it', () => {
    expect(ids(listedModels(withRetired))).toEqual(ids(buildCatalogue(realModels)));
    expect(latestPerFamily(withRetired, 'claude-3-7-sonnet-20250219').some((m) => m.lifecycle === 'retired')).toBe(false);
  });

  it('default view: one latest model per family, plus the current model where it sits in the catalogue', () => {
    const catalogue = buildCatalogue(realModels);
    expect(latestPerFamily(catalogue).map((m) => m.family)).toEqual(['opus', 'sonnet', 'fable', 'mythos', 'haiku']);
    expect(ids(latestPerFamily(catalogue, 'claude-sonnet-4-5-20250929'))).toEqual([
      'claude-opus-5',
      'claude-sonnet-5',
      'claude-sonnet-4-5-20250929',
      'claude-fable-5',
      'claude-mythos-preview',
      'claude-haiku-4-5-20251001',
    ]);
  });
});

describe('fallbackModels', () => {
  it('is a catalogue of current models with one latest per family, whose lifecycle is not known', () => {
    expect(latestPerFamily(fallbackModels).map((m) => m.id)).toEqual(['claude-haiku-5-5', 'claude-sonnet-5-5', 'claude-opus-5-5']);
    expect(fallbackModels.every((m) => m.family !== 'other' && !Number.isNaN(Date.parse(m.created_at)))).toBe(true);
    expect(fallbackModels.every((m) => m.lifecycle === null && m.retires_at === null)).toBe(true);
  });
});
