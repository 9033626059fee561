// The seeded generator (mulberry32) lives in test/soak/prng.mjs, plain JavaScript so the soak (run by node without a
// TypeScript step) and the tests share one implementation; here it gains the fuzz tests' seed from the environment.
export { createPrng, type Prng } from '../soak/prng.mjs';

/** FUZZ_SEED if set (to replay a failure), else a fresh seed. */
export function seedFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const given = env.FUZZ_SEED;
  if (given !== undefined && /^\d+$/.test(given)) return Number(given) >>> 0;
  return (Date.now() ^ (process.pid << 16)) >>> 0;
}
