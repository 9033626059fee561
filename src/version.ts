import { readFileSync } from 'node:fs';

// package.json sits two folders up from dist/src/ and one up from src/: look in both.
function readVersion(): string {
  for (const rel of ['../package.json', '../../package.json']) {
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
