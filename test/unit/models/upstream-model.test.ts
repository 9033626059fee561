import { capabilitiesCopy, capabilityLimits, toUpstreamModel } from '../../../src/models/upstream-model.js';
import { capabilities } from '../../support/real-models.js';

describe('toUpstreamModel', () => {
  it('is null without an id, and never throws on odd entries', () => {
    for (const odd of [null, 42, 'x', [], {}, { id: '' }, { id: 7 }]) expect(toUpstreamModel(odd)).toBeNull();
  });

  it('keeps a line word (lower-cased) and nothing else as a line', () => {
    expect(toUpstreamModel({ id: 'a', line: 'Opus' })?.line).toBe('opus');
    expect(toUpstreamModel({ id: 'a', line: 'quill-2' })?.line).toBe('quill-2');
    for (const line of ['', ' opus', 'opus!', 'x'.repeat(41), 5]) expect(toUpstreamModel({ id: 'a', line })?.line).toBeNull();
  });

  it('keeps only the three lifecycle words, dates that parse, and non-negative integer token counts', () => {
    const model = toUpstreamModel({ id: 'a', lifecycle: 'RETIRED', deprecated_at: '2026-01-01T00:00:00Z', retires_at: 'soon', max_input_tokens: 200_000, max_tokens: 2 ** 60 });
    expect(model).toMatchObject({ lifecycle: null, deprecated_at: '2026-01-01T00:00:00Z', retires_at: null, max_input_tokens: 200_000, max_tokens: null });
  });
});

describe('capabilitiesCopy', () => {
  it('copies the API\u2019s capabilities object as it is', () => {
    const caps = capabilities();
    expect(capabilitiesCopy(caps)).toEqual(caps);
    expect(capabilitiesCopy(caps)).not.toBe(caps);
  });

  it('is null for anything but an object', () => {
    for (const value of [null, undefined, [], 'all', 1, true]) expect(capabilitiesCopy(value)).toBeNull();
  });

  it('stays JSON-safe: non-finite numbers and functions are left out, cycles cannot follow', () => {
    const cyclic: Record<string, unknown> = { ok: { supported: true }, nan: Number.NaN, fn: () => 1 };
    cyclic.self = cyclic;
    const copy = capabilitiesCopy(cyclic);
    expect(JSON.parse(JSON.stringify(copy))).toEqual(copy);
    expect(copy).toMatchObject({ ok: { supported: true } });
    expect(copy).not.toHaveProperty('nan');
    expect(copy).not.toHaveProperty('fn');
  });

  it('is bounded in depth, width, size and string length, whatever the API sends', () => {
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 50; i += 1) deep = { next: deep };
    let depth = 0;
    for (let node = capabilitiesCopy(deep) as Record<string, unknown> | undefined; node && typeof node === 'object'; node = node.next as Record<string, unknown> | undefined) depth += 1;
    expect(depth).toBeLessThanOrEqual(capabilityLimits.depth + 1);

    const wide = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, { supported: true }]));
    expect(Object.keys(capabilitiesCopy(wide) ?? {})).toHaveLength(capabilityLimits.width);

    const huge = Object.fromEntries(Array.from({ length: 64 }, (_, i) => [`k${i}`, Array.from({ length: 64 }, () => ({ a: 1, b: 2 }))]));
    const count = (value: unknown): number =>
      value !== null && typeof value === 'object' ? Object.values(value).reduce((sum: number, v) => sum + 1 + count(v), 0) : 0;
    expect(count(capabilitiesCopy(huge))).toBeLessThanOrEqual(capabilityLimits.nodes);

    expect((capabilitiesCopy({ note: 'x'.repeat(10_000) })?.note as string).length).toBe(capabilityLimits.stringLength);
  });
});
