import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A throw-away folder holding one config.yaml, with helpers to read it back exactly. */
export interface ConfigDir {
  dir: string;
  path: string;
  write(text: string | Buffer): void;
  bytes(): Buffer;
  text(): string;
  mode(): number;
  /** Every entry in the folder besides config.yaml (temp files left behind would show here). */
  strays(): string[];
  remove(): void;
}

/** Creates a fresh folder with config.yaml holding `text` (no file when `text` is null). */
export function makeConfigDir(text: string | Buffer | null): ConfigDir {
  const dir = mkdtempSync(join(tmpdir(), 'parachute-config-'));
  const path = join(dir, 'config.yaml');
  const cd: ConfigDir = {
    dir,
    path,
    write: (t) => writeFileSync(path, t, { mode: 0o644 }),
    bytes: () => readFileSync(path),
    text: () => readFileSync(path, 'utf8'),
    mode: () => statSync(path).mode & 0o777,
    strays: () => readdirSync(dir).filter((name) => name !== 'config.yaml'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
  if (text !== null) cd.write(text);
  return cd;
}
