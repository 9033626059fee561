// The README's configuration reference against the code: every key the supervisor reads is documented, every
// documented key is read, and every default written there is the one the resolvers use.
import { readFileSync } from 'node:fs';
import { resolveServerSettings, resolveSupervisorSettings, type SettingsEnvironment } from '../../../src/config/settings.js';
import { createModelsConfig } from '../../../src/models/models-config.js';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const where: SettingsEnvironment = { env: {}, platform: 'linux', home: '/home/someone', demoCommand: ['node', 'demo-server.mjs'] };

interface Row {
  key: string;
  default: string;
}

// The rows of the table under "## Configuration": | `key` | default | meaning |.
function documentedRows(): Row[] {
  const section = readme.split(/^## Configuration$/m)[1]?.split(/^## /m)[0] ?? '';
  return [...section.matchAll(/^\| `([a-z_.]+)` \| (.+?) \| .+ \|$/gm)].map((m) => ({ key: String(m[1]), default: String(m[2]) }));
}

// Every key path the code reads from a config object, recorded through a proxy that answers "absent" to each.
function keysRead(read: (config: Record<string, unknown>) => void): Set<string> {
  const seen = new Set<string>();
  const recorder = (prefix: string): Record<string, unknown> =>
    new Proxy(
      {},
      {
        get(_target, key) {
          if (typeof key !== 'string') return undefined;
          const path = `${prefix}${key}`;
          seen.add(path);
          // Sections are walked into; leaves read as absent (the default applies).
          return path === 'supervisor' || path === 'supervisor.server' ? recorder(`${path}.`) : undefined;
        },
      },
    );
  read(recorder(''));
  seen.delete('supervisor');
  seen.delete('supervisor.server');
  return seen;
}

const camel = (snake: string) => snake.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

describe('the configuration reference in the README', () => {
  const rows = documentedRows();
  const documented = new Set(rows.map((row) => row.key));
  const read = keysRead((config) => {
    resolveServerSettings(config, where);
    resolveSupervisorSettings(config, where);
    const models = createModelsConfig(() => config, {});
    models.credential();
    models.currentModel();
  });

  it('has a table of keys', () => {
    expect(rows.length).toBeGreaterThan(20);
  });

  it('documents every key the supervisor reads, and only those', () => {
    expect([...documented].sort()).toEqual([...read].sort());
  });

  it('gives, for every key with a literal default, the default the resolvers use', () => {
    const server = resolveServerSettings({}, where).settings as unknown as Record<string, unknown>;
    const supervisor = resolveSupervisorSettings({}, where).settings as unknown as Record<string, unknown>;
    const literal = rows.filter((row) => /^`[^`]*`$/.test(row.default));
    expect(literal.length).toBeGreaterThan(15);
    for (const row of literal) {
      const text = row.default.slice(1, -1);
      const field = camel(row.key.split('.').at(-1) ?? '');
      // The server's own address (top-level port and host) belongs to its settings.
      const actual = row.key.startsWith('supervisor.server.') || row.key === 'port' || row.key === 'host' ? server[field] : supervisor[field];
      const shown = typeof actual === 'string' ? actual : JSON.stringify(actual);
      expect(`${row.key} = ${shown}`).toBe(`${row.key} = ${text}`);
    }
  });
});
