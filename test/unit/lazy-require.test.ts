import { lazyRequire } from '../../src/lazy-require.js';
import { fixture } from '../support/supervisor-harness.js';

const evaluations = () => (globalThis as { countsLoadsEvaluations?: number }).countsLoadsEvaluations ?? 0;

describe('lazyRequire', () => {
  it('loads nothing until first called, then the module once, shared by every later call', () => {
    const load = lazyRequire<{ loadedAt: number }>(fixture('counts-loads.cjs'));
    expect(evaluations()).toBe(0);
    const first = load();
    expect(evaluations()).toBe(1);
    expect(load()).toBe(first);
    expect(evaluations()).toBe(1);
  });

  it('throws a missing package as Node names it, at the first call rather than at import', () => {
    const load = lazyRequire('no-such-package-for-parachute');
    expect(() => load()).toThrow(/Cannot find module 'no-such-package-for-parachute'/);
  });
});
