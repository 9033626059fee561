import { compareVersionsDesc, modelFamily, parseModelId } from '../../../src/models/model-family.js';
import { knownModels } from '../../support/real-models.js';

describe('parseModelId', () => {
  it.each([
    // [id, family, version, date, tag]
    ['claude-opus-5', 'opus', [5], null, null],
    ['claude-sonnet-5', 'sonnet', [5], null, null],
    ['claude-opus-5-5', 'opus', [5, 5], null, null],
    ['claude-opus-4-8', 'opus', [4, 8], null, null],
    ['claude-sonnet-4-6', 'sonnet', [4, 6], null, null],
    ['claude-opus-4-6', 'opus', [4, 6], null, null],
    ['claude-opus-4-5-20251101', 'opus', [4, 5], '20251101', null],
    ['claude-haiku-4-5-20251001', 'haiku', [4, 5], '20251001', null],
    ['claude-haiku-4-5', 'haiku', [4, 5], null, null],
    ['claude-sonnet-4-5-20250929', 'sonnet', [4, 5], '20250929', null],
    ['claude-opus-4-1-20250805', 'opus', [4, 1], '20250805', null],
    ['claude-opus-4-20250514', 'opus', [4], '20250514', null],
    ['claude-3-7-sonnet-20250219', 'sonnet', [3, 7], '20250219', null],
    ['claude-3-7-sonnet-latest', 'sonnet', [3, 7], null, 'latest'],
    ['claude-3-5-haiku-20241022', 'haiku', [3, 5], '20241022', null],
    ['claude-3-haiku-20240307', 'haiku', [3], '20240307', null],
    ['claude-2.1', 'claude', [2, 1], null, null],
    ['claude-2.0', 'claude', [2, 0], null, null],
    ['claude-instant-1.2', 'instant', [1, 2], null, null],
    ['claude-v1', 'claude', [1], null, null],
    ['claude-mythos-preview', 'mythos', [], null, 'preview'],
    ['claude-mythos-5-2', 'mythos', [5, 2], null, null],
    ['claude-fable-5', 'fable', [5], null, null],
    ['claude-quill-2-20270301', 'quill', [2], '20270301', null],
    ['claude-opus-4-6-thinking', 'opus', [4, 6], null, 'thinking'],
  ])('reads %s as family %s', (id, family, version, date, tag) => {
    expect(parseModelId(id)).toEqual({ family, version, date, tag });
  });

  it.each([
    '',
    'gpt-4o',
    'claude',
    'claude-',
    'claude--opus',
    'claude-opus_4',
    'claude-20250101',
    'claude-opus-4-20250101-20250102',
    'claude-opus-4-20250101-5',
    'anthropic.claude-v2',
    'claude-🙂',
  ])('keeps %j with family "other" instead of failing', (id) => {
    expect(parseModelId(id)).toEqual({ family: 'other', version: [], date: null, tag: null });
  });

  it('never throws on values that are not strings', () => {
    expect(parseModelId(undefined as unknown as string).family).toBe('other');
    expect(parseModelId(42 as unknown as string).family).toBe('other');
  });

  it('gives every real model a named family, none "other"', () => {
    const families = Object.fromEntries(knownModels.map((m) => [m.id, modelFamily(m.id)]));
    expect(families).toEqual({
      'claude-opus-5': 'opus',
      'claude-sonnet-5': 'sonnet',
      'claude-fable-5': 'fable',
      'claude-opus-4-8': 'opus',
      'claude-opus-4-7': 'opus',
      'claude-mythos-preview': 'mythos',
      'claude-sonnet-4-6': 'sonnet',
      'claude-opus-4-6': 'opus',
      'claude-opus-4-5-20251101': 'opus',
      'claude-haiku-4-5-20251001': 'haiku',
      'claude-sonnet-4-5-20250929': 'sonnet',
      'claude-opus-4-1-20250805': 'opus',
      'claude-opus-4-20250514': 'opus',
      'claude-sonnet-4-20250514': 'sonnet',
      'claude-3-7-sonnet-20250219': 'sonnet',
      'claude-3-5-haiku-20241022': 'haiku',
      'claude-3-haiku-20240307': 'haiku',
      'claude-2.1': 'claude',
    });
  });
});

describe('compareVersionsDesc', () => {
  it('orders numerically, newest first, a longer version after its prefix', () => {
    const versions = [[4], [4, 10], [3, 7], [4, 6], [5], [4, 5]];
    expect([...versions].sort(compareVersionsDesc)).toEqual([[5], [4, 10], [4, 6], [4, 5], [4], [3, 7]]);
  });
});
