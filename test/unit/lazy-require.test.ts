import { lazyImport, lazyRequire } from '../../src/lazy-require.js';
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

describe('lazyImport', () => {
  it('imports nothing until first called, then once, shared by every later call', async () => {
    let imports = 0;
    const load = lazyImport(async () => ({ n: (imports += 1) }));
    expect(imports).toBe(0);
    const [a, b] = await Promise.all([load(), load()]);
    expect(a).toBe(b);
    expect(await load()).toBe(a);
    expect(imports).toBe(1);
  });

  it('passes a failed import on, and tries again at the next call', async () => {
    let imports = 0;
    const load = lazyImport(async () => {
      imports += 1;
      if (imports === 1) throw new Error('Cannot find package');
      return 'loaded';
    });
    await expect(load()).rejects.toThrow('Cannot find package');
    expect(await load()).toBe('loaded');
    expect(imports).toBe(2);
  });
});
