import { retryAfterMs } from '../../../src/models/retry-after.js';

describe('retryAfterMs', () => {
  const now = Date.parse('2026-11-24T10:00:00Z');

  it('reads seconds, fractional seconds, retry-after-ms and HTTP dates', () => {
    expect(retryAfterMs({ 'retry-after': '2' }, now)).toBe(2_000);
    expect(retryAfterMs({ 'retry-after': '0.25' }, now)).toBe(250);
    expect(retryAfterMs({ 'retry-after-ms': '120', 'retry-after': '9' }, now)).toBe(120);
    expect(retryAfterMs({ 'retry-after': 'Tue, 24 Nov 2026 10:00:03 GMT' }, now)).toBe(3_000);
    expect(retryAfterMs({ 'retry-after': 'Tue, 24 Nov 2026 09:00:00 GMT' }, now)).toBe(0);
  });

  it('ignores missing and unusable headers', () => {
    expect(retryAfterMs({}, now)).toBeNull();
    expect(retryAfterMs({ 'retry-after': 'soon' }, now)).toBeNull();
    expect(retryAfterMs({ 'retry-after': '-1' }, now)).toBeNull();
  });
});
