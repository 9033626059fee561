// `npm run soak [-- --minutes 5] [--seed N] [--max-ops N] [--write-results]`: the chaos soak (docs/soak.md). Builds
// first (npm script), then runs test/soak/soak-run.mjs against the built supervisor, prints the summary table, and
// exits 1 if any invariant was broken (each violation is printed with what, when and the seed), 2 on bad arguments.
// --write-results puts the summary of a run without violations into test/bench/RESULTS.md ("Chaos soak").
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { formatSummary, formatViolations } from '../test/soak/summary.mjs';
import { runSoak } from '../test/soak/soak-run.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const usage = 'usage: npm run soak -- [--minutes 5] [--seed N] [--max-ops N] [--write-results]';

/** @param {string} message @returns {never} */
function fail(message) {
  console.error(`soak: ${message}\n${usage}`);
  process.exit(2);
}

const values = (() => {
  try {
    return parseArgs({
      options: {
        minutes: { type: 'string', default: '5' },
        seed: { type: 'string' },
        'max-ops': { type: 'string' },
        'write-results': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (error) {
    return fail(/** @type {Error} */ (error).message);
  }
})();
if (values.help) {
  console.log(usage);
  process.exit(0);
}
const minutes = Number(values.minutes);
if (!(minutes > 0 && minutes <= 24 * 60)) fail(`--minutes must be a number of minutes above 0 (at most a day), got ${JSON.stringify(values.minutes)}`);
if (values.seed !== undefined && !/^\d{1,10}$/.test(values.seed)) fail(`--seed must be a non-negative integer, got ${JSON.stringify(values.seed)}`);
const seed = values.seed !== undefined ? Number(values.seed) >>> 0 : (Date.now() ^ (process.pid << 16)) >>> 0;
// About 85 operations a minute are started at the soak's pace; the bound stops a run whose clock is off.
const maxOps = values['max-ops'] !== undefined ? Number(values['max-ops']) : Math.ceil(minutes * 200);
if (!(Number.isInteger(maxOps) && maxOps > 0)) fail(`--max-ops must be a positive integer, got ${JSON.stringify(values['max-ops'])}`);
if (!existsSync(join(root, 'dist/src/cli/main.js'))) fail('dist/ is missing; run `npm run soak` (it builds first) or `npm run build`');

const commit = (() => {
  try {
    return execFileSync('git', ['-C', root, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();
const machine = `${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}), Node.js ${process.version}, commit ${commit}`;

const result = await runSoak({ minutes, seed, maxOps, print: (line) => console.log(line) });
const title = `## Chaos soak (\`npm run soak -- --minutes ${minutes}\`)`;
const summary = formatSummary(result, { machine }).join('\n');
console.log(`\n${title}, ${new Date().toISOString()}\n\n${summary}`);
if (values['write-results']) {
  if (result.violations.length > 0) console.log('\nsoak: not written into test/bench/RESULTS.md: the run broke invariants');
  else writeResults(`${title}\n\nWritten by \`npm run soak -- --minutes ${minutes} --write-results\` ([docs/soak.md](../../docs/soak.md)).\n\n${summary}\n\n_Run ${new Date().toISOString()}._`);
}
if (result.violations.length > 0) {
  console.log(`\n${result.violations.length} violation(s), seed ${seed} (files kept in ${result.dir}):`);
  console.log(formatViolations(result).join('\n'));
  process.exit(1);
}
console.log(`\nsoak: no violation (seed ${seed})`);

/**
 * Puts `section` between the soak's markers in test/bench/RESULTS.md (the convention of scripts/run-bench.mjs, which
 * keeps it when it rewrites the benchmarks' sections), at the end if it is not there yet.
 * @param {string} section
 */
function writeResults(section) {
  const path = join(root, 'test/bench/RESULTS.md');
  const text = readFileSync(path, 'utf8');
  const block = `<!-- bench:soak -->\n${section}\n<!-- /bench:soak -->`;
  const marked = /<!-- bench:soak -->\n[\s\S]*?\n<!-- \/bench:soak -->/;
  writeFileSync(path, marked.test(text) ? text.replace(marked, () => block) : `${text.trimEnd()}\n\n${block}\n`);
  console.log(`soak: summary written into ${path}`);
}
