import { readFileSync } from 'node:fs';

// package.json sits one folder up from src/version.ts, two up from dist/src/version.js and three up from the daemon
// bundle dist/src/cli/serve.bundle.mjs: look in each.
function readVersion(): string {
  for (const rel of ['../package.json', '../../package.json', '../../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'parachute-supervisor' && pkg.version) return pkg.version;
    } catch {
      // try the next place
    }
  }
  return '0.0.0';
}

/** The supervisor's own version, from package.json. */
export const supervisorVersion = readVersion();
