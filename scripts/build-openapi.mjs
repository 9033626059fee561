#!/usr/bin/env node
// Writes dist/openapi.json from docs/openapi.yaml, the one source of the HTTP contract (docs/api.md, "OpenAPI").
// The daemon serves that file at GET /supervisor/openapi.json, read on the first request (never at boot); the
// package ships dist but not docs, so the document travels as JSON.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'docs/openapi.yaml');
const outfile = join(root, 'dist/openapi.json');

const document = parse(await readFile(source, 'utf8'));
if (typeof document?.openapi !== 'string' || !document.openapi.startsWith('3.1.')) {
  throw new Error(`${source} is not an OpenAPI 3.1 document (openapi: ${JSON.stringify(document?.openapi)})`);
}
await mkdir(dirname(outfile), { recursive: true });
await writeFile(outfile, `${JSON.stringify(document)}\n`);
console.log(`OpenAPI document written to ${outfile.slice(root.length + 1)}`);
