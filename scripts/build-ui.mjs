#!/usr/bin/env node
// Builds the web UI into dist/ui: esbuild bundles src/ui/app (TypeScript, browser) and the stylesheet into
// content-hashed files under dist/ui/assets, and the HTML pages in src/ui/public are written to dist/ui with
// their asset references rewritten to the hashed names. Nothing is fetched at run time (no CDN).
//
//   node scripts/build-ui.mjs            minified, with source maps
//   node scripts/build-ui.mjs --dev      unminified
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const publicDir = join(root, 'src/ui/public');
const outDir = join(root, 'dist/ui');
const assetsDir = join(outDir, 'assets');
/** The URL prefix the HTML uses for assets; the UI router serves dist/ui/assets there. */
const assetsUrl = '/supervisor/ui/assets/';
const dev = process.argv.includes('--dev');

const pages = ['index.html', 'inspector.html'];
/** Files copied as they are, under a content-hashed name. */
const staticAssets = ['favicon.svg'];

/**
 * esbuild's hash alphabet and length, so every asset name looks alike: name-XXXXXXXX.ext.
 * @param {Uint8Array} bytes
 */
function contentHash(bytes) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const digest = createHash('sha256').update(bytes).digest();
  let out = '';
  for (let i = 0; i < 8; i += 1) out += alphabet[(digest[i] ?? 0) % 32];
  return out;
}

/**
 * elkjs's bundled build is a UMD script. Bundled as CommonJS it would bring esbuild's CommonJS helpers, which esbuild
 * puts in the chunk both pages share: wrapped as an ES module here, the Settings page loads none of it.
 * @returns {esbuild.Plugin}
 */
function elkAsModulePlugin() {
  return {
    name: 'elk-as-module',
    setup(build) {
      build.onLoad({ filter: /[\\/]elkjs[\\/]lib[\\/]elk\.bundled\.js$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        // The UMD wrapper takes the CommonJS branch when it sees `module` and `exports`; `require` stays undefined.
        const contents = `const require = undefined;\nconst module = { exports: {} };\nconst exports = module.exports;\n${source}\nexport default module.exports;\n`;
        return { contents, loader: 'js' };
      });
    },
  };
}

async function main() {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(assetsDir, { recursive: true });

  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: {
      settings: 'src/ui/app/settings.page.ts',
      inspector: 'src/ui/app/inspector.page.ts',
      styles: 'src/ui/public/styles.css',
      // Each page's own rules, loaded by its page only (the Settings page's bring uPlot's).
      'inspector-styles': 'src/ui/public/inspector.css',
      'settings-styles': 'src/ui/public/settings.css',
    },
    outdir: assetsDir,
    entryNames: '[name]-[hash]',
    chunkNames: 'chunk-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome110', 'firefox115', 'safari16'],
    minify: !dev,
    sourcemap: 'linked',
    legalComments: 'none',
    metafile: true,
    plugins: [elkAsModulePlugin()],
    logLevel: 'warning',
  });

  /** @type {Record<string, string>} Source name (as the HTML references it) → hashed file name. */
  const manifest = {};
  for (const [output, meta] of Object.entries(result.metafile.outputs)) {
    if (!meta.entryPoint || output.endsWith('.map')) continue;
    const file = meta.entryPoint.split('/').pop() ?? '';
    const name = file.endsWith('.css') ? file : `${file.replace(/\.page\.ts$/, '')}.js`;
    manifest[name] = relative(assetsDir, join(root, output));
  }
  for (const file of staticAssets) {
    const bytes = await readFile(join(publicDir, file));
    const dot = file.lastIndexOf('.');
    const hashed = `${file.slice(0, dot)}-${contentHash(bytes)}${file.slice(dot)}`;
    await writeFile(join(assetsDir, hashed), bytes);
    manifest[file] = hashed;
  }

  for (const page of pages) {
    const html = await readFile(join(publicDir, page), 'utf8');
    const rewritten = html.replace(/\/supervisor\/ui\/assets\/([\w.-]+)/g, (/** @type {string} */ whole, /** @type {string} */ name) => {
      const hashed = manifest[name];
      if (!hashed) throw new Error(`${page} refers to ${whole}, which the build does not produce`);
      return assetsUrl + hashed;
    });
    await writeFile(join(outDir, page), rewritten);
  }
  await writeFile(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`web UI built into ${relative(process.cwd(), outDir) || '.'} (${Object.values(manifest).join(', ')})`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
