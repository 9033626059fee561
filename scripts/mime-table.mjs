// The MIME table the daemon bundle carries instead of all of mime-db (scripts/build-daemon.mjs).
// mime-db lists about 2,400 types (150 kB of JSON); Express, send and type-is parse and index all of it at start-up,
// which costs the daemon about 2 MiB of resident memory for as long as it runs. The daemon only ever names a few types:
// those of its UI's files, and those its routes and Express itself set.
import { readdirSync } from 'node:fs';
import { extname } from 'node:path';

/** Extensions Express itself looks up: `res.send` of a string ('html') or a Buffer ('bin'), `res.sendStatus` ('txt'). */
export const expressExtensions = ['html', 'bin', 'txt'];

/** Full types the daemon's routes and libraries set (JSON bodies, plain-text errors, event streams). */
export const namedTypes = ['application/json', 'text/plain', 'text/html', 'text/event-stream', 'application/octet-stream'];

/**
 * The entries of `db` that a lookup of one of `extensions` or `types` can reach. Every entry that claims one of the
 * extensions is kept, so where types compete for an extension mime-types picks the same winner as with the full table.
 * @param {Record<string, { extensions?: string[] }>} db mime-db's table
 * @param {Iterable<string>} extensions without the dot
 * @param {Iterable<string>} types
 */
export function mimeSubset(db, extensions, types) {
  const wantedExtensions = new Set(extensions);
  const wantedTypes = new Set(types);
  /** @type {typeof db} */
  const subset = {};
  for (const [type, entry] of Object.entries(db)) {
    if (wantedTypes.has(type) || (entry.extensions ?? []).some((ext) => wantedExtensions.has(ext))) subset[type] = entry;
  }
  return subset;
}

/**
 * The extensions (without the dot) of every file under `dir`, the built UI.
 * @param {string} dir
 */
export function extensionsUnder(dir) {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  if (files.length === 0) throw new Error(`${dir} holds no files: build the UI (node scripts/build-ui.mjs) first`);
  return new Set(files.map((entry) => extname(entry.name).slice(1).toLowerCase()).filter(Boolean));
}
