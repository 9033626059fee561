// The layering rules of .dependency-cruiser.cjs, run the way `npm run lint` runs them: a small tree that breaks each
// rule on purpose gets each one reported by name (and nothing it allows), and the real tree breaks none.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const configPath = join(root, '.dependency-cruiser.cjs');
const rules = (createRequire(import.meta.url)(configPath) as { forbidden: { name: string; from: object; to: { circular?: boolean } }[] }).forbidden;
const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

// `npm run lint:deps` as words: depcruise, its options, then the folders it cruises.
const lintDeps = (scripts['lint:deps'] ?? '').split(/\s+/);
const options = lintDeps.slice(1).filter((word, i, all) => word.startsWith('-') || all[i - 1]?.startsWith('-'));
const folders = lintDeps.slice(1 + options.length);

function depcruise(cwd: string, args: string[]): { status: number | null; out: string } {
  const bin = join(root, 'node_modules', '.bin', 'depcruise');
  const result = spawnSync(bin, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

// "error <rule>: <from> → <to>" lines of the err/err-long reporters (a cycle's path follows on the next lines).
function violations(out: string): string[] {
  return [...out.matchAll(/^[ \t]*error ([\w-]+): (\S+) →[ \t]*(\S*)/gm)].map(([, rule, from, to]) => `${rule}: ${from} → ${to}`);
}

// Each file breaks one or more rules on purpose; the comment-free imports are ones the rules allow.
const fixture: Record<string, string> = {
  'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }),
  'machines/pure.ts': `export const pure = 1;\n`,
  'machines/leaky.machine.ts': [
    `import { pure } from './pure.js';`,
    `import { readFileSync } from 'node:fs'; // machines-import-only-xstate`,
    `import { helper } from '../src/helper.js'; // machines-import-only-xstate`,
    `export const leaky = [pure, readFileSync, helper];`,
  ].join('\n'),
  'src/helper.ts': `export const helper = 1;\n`,
  'src/cycle-a.ts': `import { b } from './cycle-b.js'; // no-circular\nexport const a = (): unknown => b;\n`,
  'src/cycle-b.ts': `import { a } from './cycle-a.js';\nexport const b = (): unknown => a;\n`,
  'src/config/defaults.ts': `export const defaults = { port: 3334 };\n`,
  'src/lifecycle/process.logic.ts': `export const processLogic = 1;\n`,
  'src/actors/door.ts': `import { pure } from '../../machines/pure.js';\nexport const door = pure;\n`,
  'src/system.ts': [
    `import { pure } from '../machines/pure.js';`,
    `import { processLogic } from './lifecycle/process.logic.js';`,
    `export const system = [pure, processLogic];`,
  ].join('\n'),
  'src/http/status.routes.ts': [
    `import { door } from '../actors/door.js';`,
    `import { main } from '../cli/main.js'; // nothing-imports-the-cli`,
    `import { system } from '../system.js'; // routes-are-given-the-system`,
    `import { processLogic } from '../lifecycle/process.logic.js'; // routes-and-cli-use-the-door, lifecycle-is-wired-by-the-system`,
    `import { pure } from '../../machines/pure.js'; // routes-and-cli-use-the-door`,
    `export const routes = [door, main, system, processLogic, pure];`,
  ].join('\n'),
  'src/cli/main.ts': `import { client } from '../client/client.js';\nexport const main = client;\n`,
  'src/client/client.ts': [
    `import { defaults } from '../config/defaults.js';`,
    `import { door } from '../actors/door.js'; // client-stands-alone`,
    `export const client = [defaults, door];`,
  ].join('\n'),
  'src/ui/app/page.ts': [
    `import { client } from '../../client/client.js';`,
    `import { routes } from '../../http/status.routes.js'; // ui-app-imports-only-the-client`,
    `import { join } from 'node:path'; // ui-app-imports-only-the-client`,
    `export const page = [client, routes, join];`,
  ].join('\n'),
};

const expected = [
  'machines-import-only-xstate: machines/leaky.machine.ts → fs',
  'machines-import-only-xstate: machines/leaky.machine.ts → src/helper.ts',
  'nothing-imports-the-cli: src/http/status.routes.ts → src/cli/main.ts',
  'routes-are-given-the-system: src/http/status.routes.ts → src/system.ts',
  'routes-and-cli-use-the-door: src/http/status.routes.ts → src/lifecycle/process.logic.ts',
  'routes-and-cli-use-the-door: src/http/status.routes.ts → machines/pure.ts',
  'lifecycle-is-wired-by-the-system: src/http/status.routes.ts → src/lifecycle/process.logic.ts',
  'client-stands-alone: src/client/client.ts → src/actors/door.ts',
  'ui-app-imports-only-the-client: src/ui/app/page.ts → src/http/status.routes.ts',
  'ui-app-imports-only-the-client: src/ui/app/page.ts → path',
];

describe('layering rules (.dependency-cruiser.cjs)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'layering-'));
    for (const [file, text] of Object.entries(fixture)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('are run by npm run lint over src, machines and test/support', () => {
    expect(scripts.lint).toMatch(/&& npm run lint:deps$/);
    expect(lintDeps[0]).toBe('depcruise');
    expect(options).toContain('.dependency-cruiser.cjs');
    expect(folders).toEqual(['src', 'machines', 'test/support']);
  });

  it('report each deliberate violation by the name of the rule it breaks, and fail', () => {
    const args = options.map((word) => (word === '.dependency-cruiser.cjs' ? configPath : word));
    const { status, out } = depcruise(dir, [...args, 'src', 'machines']);
    const reported = violations(out);
    const cycles = reported.filter((v) => v.startsWith('no-circular:'));
    expect(cycles.length).toBeGreaterThan(0);
    expect(cycles.every((v) => /^no-circular: src\/cycle-[ab]\.ts → $/.test(v))).toBe(true);
    expect(reported.filter((v) => !v.startsWith('no-circular:')).sort()).toEqual([...expected].sort());
    // Every rule of the file is broken above, so none of them can silently match nothing.
    expect(new Set(reported.map((v) => v.split(':')[0]))).toEqual(new Set(rules.map((r) => r.name)));
    expect(status).toBe(reported.length);
    // err-long says why the rule exists, not only its name.
    expect(out).toContain('Routes and the CLI talk to the actors only through src/actors/');
  });

  it('are the ones the Architecture section names, beside a layout that lists every folder of src/', () => {
    // README.md, or wherever in docs/ the section moves.
    const docs = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
    const texts = docs.map((file) => readFileSync(join(root, file), 'utf8'));
    const heading = /^(#+) Architecture$/m;
    const text = texts.find((t) => heading.test(t)) ?? '';
    const [line, hashes = ''] = heading.exec(text) ?? [''];
    const after = text.slice(text.indexOf(line) + line.length);
    const next = after.search(new RegExp(`^#{1,${hashes.length}} `, 'm'));
    const architecture = next < 0 ? after : after.slice(0, next);
    expect(architecture).toContain('```');
    for (const rule of rules) expect(architecture).toContain(`\`${rule.name}\``);
    const folders = readdirSync(join(root, 'src'), { withFileTypes: true }).filter((e) => e.isDirectory());
    for (const folder of folders) expect(texts.join('\n')).toContain(`src/${folder.name}/`);
  });

  it('find no violation and no cycle in the real tree', () => {
    const cycleRule = rules.find((r) => r.name === 'no-circular');
    expect(cycleRule).toMatchObject({ from: {}, to: { circular: true } });
    const { status, out } = depcruise(root, lintDeps.slice(1));
    expect(violations(out)).toEqual([]);
    expect(out).toContain('no dependency violations found');
    expect(status).toBe(0);
  });
});
