// Benchmark (not a test): latency of a cached GET /supervisor/models against GET /supervisor/health in the same run,
// through the full app (security guard and all), under N concurrent keep-alive clients.
//
//   npm run build && node test/bench/models.bench.mjs [--clients 100] [--seconds 3] [--rounds 2]
//
// Client and server share this process (and the machine's cores), so absolute numbers are pessimistic; the ratio
// between the two routes is the figure to watch.
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '2' },
  },
});
const clients = Number(args.clients);
const seconds = Number(args.seconds);
const rounds = Number(args.rounds);

// Imported by URL so that typechecking does not need a build; run `npm run build` first.
const dist = (/** @type {string} */ path) => new URL(`../../dist/${path}`, import.meta.url).href;
const { startSupervisor } = await import(dist('src/supervisor.js'));

// The capabilities object of the current API shape (as @anthropic-ai/sdk 1.12 types it), so answers have real size.
const yes = { supported: true };
const capabilities = {
  batch: yes,
  citations: yes,
  code_execution: yes,
  context_management: { supported: true, clear_thinking_20251015: yes, clear_tool_uses_20250919: yes, compact_20260112: yes },
  effort: { supported: true, low: yes, medium: yes, high: yes, max: yes, xhigh: null },
  image_input: yes,
  pdf_input: yes,
  server_tools: { supported: true, code_execution: yes, web_search: yes },
  structured_outputs: yes,
  thinking: { supported: true, types: { adaptive: yes, between_tools: yes, disabled: yes, enabled: yes } },
};

// A minimal upstream of the current API shape: one page of models for any request. Only the warm-up reaches it.
const upstreamModels = [
  ['claude-opus-5', 'Claude Opus 5', '2026-07-24', 'opus', 'active'],
  ['claude-sonnet-5', 'Claude Sonnet 5', '2026-06-30', 'sonnet', 'active'],
  ['claude-opus-4-8', 'Claude Opus 4.8', '2026-05-28', 'opus', 'active'],
  ['claude-mythos-preview', 'Claude Mythos Preview', '2026-04-07', 'mythos', 'active'],
  ['claude-sonnet-4-6', 'Claude Sonnet 4.6', '2026-02-17', 'sonnet', 'active'],
  ['claude-opus-4-6', 'Claude Opus 4.6', '2026-02-05', 'opus', 'active'],
  ['claude-haiku-4-5-20251001', 'Claude Haiku 4.5', '2025-10-01', 'haiku', 'active'],
  ['claude-sonnet-4-5-20250929', 'Claude Sonnet 4.5', '2025-09-29', 'sonnet', 'deprecated'],
  ['claude-opus-4-1-20250805', 'Claude Opus 4.1', '2025-08-05', 'opus', 'deprecated'],
].map(([id, display_name, day, line, lifecycle]) => ({
  type: 'model',
  id,
  display_name,
  created_at: `${day}T00:00:00Z`,
  line,
  lifecycle,
  deprecated_at: lifecycle === 'deprecated' ? '2026-08-06T00:00:00Z' : null,
  retires_at: lifecycle === 'deprecated' ? '2027-02-05T00:00:00Z' : null,
  max_input_tokens: 1_000_000,
  max_tokens: 128_000,
  capabilities,
}));
let upstreamCalls = 0;
const upstream = createServer((_req, res) => {
  upstreamCalls += 1;
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ data: upstreamModels, has_more: false, first_id: upstreamModels[0]?.id, last_id: upstreamModels.at(-1)?.id }));
});
upstream.listen(0, '127.0.0.1');
await once(upstream, 'listening');
const upstreamUrl = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (upstream.address()).port}`;

const dir = mkdtempSync(join(tmpdir(), 'models-bench-'));
const configPath = join(dir, 'config.yaml');
writeFileSync(
  configPath,
  [
    // A deprecated current model: the answer carries its info, a warning, and the model besides the latest ones.
    'default_model: claude-sonnet-4-5-20250929',
    'api_key: sk-ant-api03-bench-not-a-real-key',
    'supervisor:',
    `  log_dir: ${JSON.stringify(join(dir, 'logs'))}`,
    '  server:',
    '    autostart: false',
    '',
  ].join('\n'),
);
/** @type {NodeJS.ProcessEnv} */
const env = { ...process.env, ANTHROPIC_BASE_URL: upstreamUrl };
delete env.ANTHROPIC_API_KEY;
delete env.CLAUDE_CODE_OAUTH_TOKEN;

// The supervisor as it runs: its own model cache actor (inspected, as always) behind its own route.
const supervisor = await startSupervisor({ configPath, env, port: 0 });

const agent = new Agent({ keepAlive: true, maxSockets: clients });
const target = new URL(supervisor.url);

/**
 * One GET over the keep-alive agent.
 * @param {string} path
 * @returns {Promise<[number, string]>}
 */
function get(path) {
  return new Promise((resolve, reject) => {
    const req = request({ host: target.hostname, port: target.port, path, agent, method: 'GET' }, (res) => {
      /** @type {Buffer[]} */
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve([res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')]));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * `clients` loops hitting `path` for `seconds`.
 * @param {string} path
 * @returns {Promise<Run>} sorted latencies (ms) and the request rate
 */
async function load(path) {
  /** @type {number[]} */
  const latencies = [];
  const until = performance.now() + seconds * 1000;
  let failures = 0;
  const loop = async () => {
    while (performance.now() < until) {
      const started = performance.now();
      const [status] = await get(path);
      latencies.push(performance.now() - started);
      if (status !== 200) failures += 1;
    }
  };
  const began = performance.now();
  await Promise.all(Array.from({ length: clients }, loop));
  const elapsed = (performance.now() - began) / 1000;
  if (failures > 0) throw new Error(`${failures} non-200 answers from ${path}`);
  latencies.sort((a, b) => a - b);
  return { latencies, rps: latencies.length / elapsed };
}

/** @typedef {{ latencies: number[], rps: number }} Run */

const percentile = (/** @type {number[]} */ sorted, /** @type {number} */ p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

try {
  const [warmStatus, warmBody] = await get('/supervisor/models');
  const warm = JSON.parse(warmBody);
  if (warmStatus !== 200 || warm.source !== 'anthropic') throw new Error(`warm-up failed: ${warmStatus} ${warmBody}`);
  if (warm.current_model_info?.lifecycle !== 'deprecated' || warm.warnings.length !== 1) throw new Error(`warm-up did not see the deprecated current model: ${warmBody}`);
  const [, cachedBody] = await get('/supervisor/models');
  if (JSON.parse(cachedBody).source !== 'cache') throw new Error(`second request was not served from cache: ${cachedBody}`);

  /** @type {Record<'health' | 'models', string>} */
  const routes = { health: '/supervisor/health', models: '/supervisor/models' };
  // Short warm-up of both routes (JIT, sockets), then alternating rounds so drift affects both alike.
  for (const path of Object.values(routes)) await Promise.all(Array.from({ length: clients }, () => get(path)));
  /** @type {Record<'health' | 'models', Run[]>} */
  const results = { health: [], models: [] };
  for (let round = 0; round < rounds; round += 1) {
    results.health.push(await load(routes.health));
    results.models.push(await load(routes.models));
  }
  const summarize = (/** @type {Run[]} */ runs) => {
    const all = runs.flatMap((r) => r.latencies).sort((a, b) => a - b);
    return { requests: all.length, rps: runs.reduce((sum, r) => sum + r.rps, 0) / runs.length, p50: percentile(all, 50), p99: percentile(all, 99) };
  };
  const summary = { health: summarize(results.health), models: summarize(results.models) };
  const fmt = (/** @type {number} */ n, digits = 2) => n.toFixed(digits).padStart(9);
  console.log(`\n${clients} concurrent keep-alive clients, ${rounds} × ${seconds}s per route, node ${process.version}`);
  console.log('route                          requests      req/s   p50 (ms)   p99 (ms)');
  for (const name of /** @type {const} */ (['health', 'models'])) {
    const s = summary[name];
    console.log(`GET ${routes[name].padEnd(26)} ${String(s.requests).padStart(8)} ${fmt(s.rps, 0)} ${fmt(s.p50)} ${fmt(s.p99)}`);
  }
  const h = summary.health;
  const m = summary.models;
  console.log(`\nmodels / health: p50 × ${(m.p50 / h.p50).toFixed(2)}, p99 × ${(m.p99 / h.p99).toFixed(2)}, throughput × ${(m.rps / h.rps).toFixed(2)}`);
  console.log(`upstream calls during the run: ${upstreamCalls} (1 = only the warm-up)`);
} finally {
  agent.destroy();
  await supervisor.close();
  upstream.close();
}
