// `npm run bench [-- name ...]`: runs each test/bench/*.bench.mjs in turn (one process each, never two at once) and
// writes its section into test/bench/RESULTS.md under a header describing this machine and the tool versions.
// With names (e.g. `npm run bench -- crash-recovery`) only those run; the other sections of RESULTS.md are kept.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(root, 'test/bench');
const resultsPath = join(benchDir, 'RESULTS.md');
// Fixed order: the sections of RESULTS.md follow it.
const order = ['crash-recovery', 'manual-restart', 'refused-during-restart', 'memory', 'throughput', 'models', 'logs', 'log-flood-memory'];

const available = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.mjs'))
  .map((f) => f.replace(/\.bench\.mjs$/, ''))
  .sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99));
const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !available.includes(name));
if (unknown.length > 0) {
  console.error(`run-bench: unknown benchmark(s) ${unknown.join(', ')}; available: ${available.join(', ')}`);
  process.exit(2);
}
const chosen = asked.length > 0 ? available.filter((name) => asked.includes(name)) : available;

if (!existsSync(join(root, 'dist/src/cli/main.js'))) {
  console.error('run-bench: dist/ is missing; run `npm run bench` (it builds first) or `npm run build`');
  process.exit(2);
}

/** @param {string} file @param {string[]} args */
function version(file, args) {
  try {
    return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'not installed';
  }
}

function machine() {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const gib = (/** @type {number} */ b) => `${(b / 1024 ** 3).toFixed(1)} GiB`;
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const pm2 = JSON.parse(readFileSync(join(root, 'node_modules/pm2/package.json'), 'utf8')).version;
  const commit = version('git', ['-C', root, 'rev-parse', '--short', 'HEAD']);
  return [
    `- Machine: ${cpus().length} CPUs (nproc ${version('nproc', [])}), ${cpu}, ${gib(totalmem())} memory (${gib(freemem())} free at start), load average ${load} at start`,
    `- Kernel: ${version('uname', ['-sr'])}`,
    `- Versions: Node.js ${process.version}, parachute-supervisor ${pkg.version} (commit ${commit}), PM2 ${pm2}, supervisord ${version('supervisord', ['--version'])} (Debian, ${version('python3', ['--version'])})`,
  ].join('\n');
}

/**
 * Runs one benchmark file; resolves with its section. A benchmark that writes no section (one that only prints, like
 * models.bench.mjs) gets its printed output as the section, verbatim.
 * @param {string} name
 * @returns {Promise<string>}
 */
function runOne(name) {
  const tmp = mkdtempSync(join(tmpdir(), 'psup-bench-section-'));
  const out = join(tmp, 'section.md');
  const started = new Date().toISOString();
  console.log(`\n=== ${name} (${started}) ===`);
  return new Promise((resolveSection) => {
    const child = spawn(process.execPath, [join(benchDir, `${name}.bench.mjs`)], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, BENCH_SECTION_OUT: out },
    });
    let printed = '';
    child.stdout.on('data', (chunk) => {
      printed += chunk;
      process.stdout.write(chunk);
    });
    child.once('close', (code, signal) => {
      let section;
      if (code !== 0) section = `## ${name}\n\nThis benchmark failed (${signal ?? `exit code ${code}`}); see its output.`;
      else if (existsSync(out)) section = readFileSync(out, 'utf8').trim();
      else section = `## ${name}\n\nOutput of \`test/bench/${name}.bench.mjs\`:\n\n\`\`\`\n${printed.trim()}\n\`\`\``;
      rmSync(tmp, { recursive: true, force: true });
      if (code !== 0) process.exitCode = 1;
      resolveSection(`${section}\n\n_Run ${started}._`);
    });
  });
}

/** The sections already in RESULTS.md, by name. @returns {Map<string, string>} */
function previousSections() {
  const sections = new Map();
  if (!existsSync(resultsPath)) return sections;
  const text = readFileSync(resultsPath, 'utf8');
  for (const match of text.matchAll(/<!-- bench:([\w-]+) -->\n([\s\S]*?)\n<!-- \/bench:\1 -->/g)) {
    if (match[1] && match[2] !== undefined) sections.set(match[1], match[2]);
  }
  return sections;
}

const header = machine();
const sections = previousSections();
for (const name of chosen) {
  sections.set(name, `${header}\n\n${await runOne(name)}`);
  // Sections no benchmark file writes (the chaos soak's, from `npm run soak -- --write-results`) are kept, after them.
  const others = [...sections.keys()].filter((n) => !available.includes(n));
  const body = [...available.filter((n) => sections.has(n)), ...others]
    .map((n) => `<!-- bench:${n} -->\n${sections.get(n)}\n<!-- /bench:${n} -->`)
    .join('\n\n');
  const preface = readFileSync(join(benchDir, 'RESULTS.preface.md'), 'utf8').trim();
  // Written after every benchmark, so a run stopped half-way keeps what it measured.
  writeFileSync(resultsPath, `${preface}\n\n${body}\n`);
}
console.log(`\nResults written to ${resultsPath}`);
