#!/usr/bin/env node
// Bundles the daemon (dist/src/cli/serve-main.js, as tsc built it, and what it imports, packages included) into one
// file, dist/src/cli/serve.bundle.mjs, which `parachute-supervisor serve` runs. One file instead of ~300 modules keeps
// several MiB of resident memory out of a process that runs all day (README, "How it is built"; `npm run bench -- memory`).
// Whitespace and syntax are minified, names are kept, so stack traces stay readable; a source map sits beside it.
// mime-db is cut down to the types the daemon can serve (scripts/mime-table.mjs): about 2 MiB less resident memory.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';
import { expressExtensions, extensionsUnder, mimeSubset, namedTypes } from './mime-table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outfile = join(root, 'dist/src/cli/serve.bundle.mjs');
const uiDir = join(root, 'dist/ui');

/**
 * Replaces mime-db with the entries the daemon can look up (scripts/mime-table.mjs): the types of the built UI's
 * files and those Express and the routes name. test/e2e/mime-table.test.ts checks the served types against the full table.
 * @returns {esbuild.Plugin}
 */
function mimeTablePlugin() {
  const extensions = [...extensionsUnder(uiDir), ...expressExtensions];
  return {
    name: 'mime-table',
    setup(build) {
      // The copy of mime-db the importing package would get, so each keeps its own version of the table.
      build.onResolve({ filter: /^mime-db$/ }, (args) => ({
        path: createRequire(args.importer).resolve('mime-db'),
        namespace: 'mime-table',
      }));
      build.onLoad({ filter: /.*/, namespace: 'mime-table' }, (args) => {
        const db = createRequire(args.path)(args.path);
        return { contents: JSON.stringify(mimeSubset(db, extensions, namedTypes)), loader: 'json' };
      });
    },
  };
}

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
  plugins: [mimeTablePlugin()],
  // The CommonJS packages inside call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  logLevel: 'warning',
});
console.log(`daemon bundled into ${outfile.slice(root.length + 1)}`);
