import { buildCatalogue, latestPerFamily } from '../../../src/models/model-catalogue.js';
import { fallbackModels } from '../../../src/models/fallback-models.js';
import { realModels } from '../../support/real-models.js';

describe('buildCatalogue', () => {
  const catalogue = buildCatalogue(realModels);

  it('keeps every model with exactly the served fields', () => {
    expect(catalogue).toHaveLength(realModels.length);
    for (const model of catalogue) {
      expect(Object.keys(model).sort()).toEqual(['created_at', 'display_name', 'family', 'id', 'is_latest']);
    }
  });

  it('marks the newest model of each family as latest, and only that one', () => {
    const latest = catalogue.filter((m) => m.is_latest).map((m) => m.id);
    expect(latest).toEqual([
      'claude-opus-5',
      'claude-sonnet-5',
      'claude-fable-5',
      'claude-mythos-preview',
      'claude-haiku-4-5-20251001',
      'claude-2.1',
    ]);
  });

  it('groups by family (families by their newest model) and sorts each family newest first', () => {
    expect(catalogue.map((m) => m.id)).toEqual([
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
      'claude-3-7-sonnet-20250219',
      'claude-fable-5',
      'claude-mythos-preview',
      'claude-haiku-4-5-20251001',
      'claude-3-5-haiku-20241022',
      'claude-3-haiku-20240307',
      'claude-2.1',
    ]);
  });

  it('is independent of the upstream order', () => {
    expect(buildCatalogue([...realModels].reverse())).toEqual(catalogue);
  });

  it('keeps odd ids under "other", listed after the real families, and never fails', () => {
    const odd = buildCatalogue([
      { id: 'totally-new-thing', display_name: '', created_at: '2030-01-01T00:00:00Z' },
      { id: 'claude-sonnet-5', display_name: 'Claude Sonnet 5', created_at: 'not a date' },
      { id: 'claude-sonnet-5', display_name: 'duplicate', created_at: '2026-06-30T00:00:00Z' },
    ]);
    expect(odd).toEqual([
      { id: 'claude-sonnet-5', display_name: 'Claude Sonnet 5', created_at: '1970-01-01T00:00:00Z', family: 'sonnet', is_latest: true },
      { id: 'totally-new-thing', display_name: 'totally-new-thing', created_at: '2030-01-01T00:00:00Z', family: 'other', is_latest: true },
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

describe('latestPerFamily', () => {
  it('is the default view: one model per family, in catalogue order', () => {
    expect(latestPerFamily(buildCatalogue(realModels)).map((m) => m.family)).toEqual(['opus', 'sonnet', 'fable', 'mythos', 'haiku', 'claude']);
  });
});

describe('fallbackModels', () => {
  it('is a catalogue of current models with one latest per family', () => {
    expect(latestPerFamily(fallbackModels).map((m) => m.id)).toEqual(['claude-haiku-5-5', 'claude-sonnet-5-5', 'claude-opus-5-5']);
    expect(fallbackModels.every((m) => m.family !== 'other' && !Number.isNaN(Date.parse(m.created_at)))).toBe(true);
  });
});
