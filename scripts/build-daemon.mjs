#!/usr/bin/env node
// Bundles the daemon (dist/src/cli/serve-main.js, as tsc built it, and what it imports, packages included) into one
// file, dist/src/cli/serve.bundle.mjs, which `parachute-supervisor serve` runs. One file instead of ~300 modules keeps
// several MiB of resident memory out of a process that runs all day (README, "How it is built"; `npm run bench -- memory`).
// Whitespace and syntax are minified, names are kept, so stack traces stay readable; a source map sits beside it.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'dist/src/cli/serve.bundle.mjs');

await esbuild.build({
  entryPoints: [join(root, 'dist/src/cli/serve-main.js')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  sourcemap: 'linked',
  // iconv-lite's encoding tables (~0.5 MB of source) are only read for a non-UTF-8 body: left out, it loads them lazily.
  external: ['iconv-lite'],
  // The CommonJS packages inside call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
console.log(`daemon bundled into ${outfile.slice(root.length + 1)}`);
