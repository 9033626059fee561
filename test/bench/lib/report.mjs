// How a benchmark hands its section of RESULTS.md to scripts/run-bench.mjs (and prints it either way).
import { writeFileSync } from 'node:fs';

/**
 * Prints the section, and writes it where run-bench asked (env BENCH_SECTION_OUT) to be spliced into RESULTS.md.
 * @param {string} markdown
 */
export function reportSection(markdown) {
  console.log(`\n${markdown}\n`);
  const out = process.env.BENCH_SECTION_OUT;
  if (out) writeFileSync(out, `${markdown.trim()}\n`);
}

/** Rounds per measurement (env BENCH_ROUNDS, default `fallback`). @param {number} fallback */
export function rounds(fallback) {
  const value = Number(process.env.BENCH_ROUNDS ?? fallback);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/** Prints progress to stderr (the section goes to stdout). @param {string} text */
export function progress(text) {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${text}\n`);
}
