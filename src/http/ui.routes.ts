// Serves the built web UI (dist/ui): the Settings page, the Inspector and their content-hashed assets.
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';

export interface UiRouterDeps {
  /** The folder scripts/build-ui.mjs writes: index.html, inspector.html and assets/. */
  assetsDir: string;
}

/** Where the built UI lives: dist/ui next to dist/src (and the same from src/ when run through ts-jest). */
export function defaultUiAssetsDir(): string {
  const candidates = [
    // dist/src/http/ui.routes.js → dist/ui
    fileURLToPath(new URL('../../ui', import.meta.url)),
    // src/http/ui.routes.ts → dist/ui
    fileURLToPath(new URL('../../dist/ui', import.meta.url)),
  ];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? (candidates[0] as string);
}

// Names the build gives every asset: name-XXXXXXXX.ext with esbuild's 8-character hash (and their .map files).
const hashedName = /^[\w.]+-[A-Z2-7]{8}\.[a-z0-9.]+$/;

// The pages load nothing but their own scripts, styles and icon, and talk only to this origin.
const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Routes of the web UI, to mount at the app root: `/` redirects to `/supervisor/ui/`. */
export function createUiRouter(deps: UiRouterDeps): express.Router {
  // strict: `/supervisor/ui` and `/supervisor/ui/` are different paths (the first redirects to the second).
  const router = express.Router({ strict: true });

  const sendPage = (file: string) => (_req: Request, res: Response, next: NextFunction) => {
    res.set({
      'Cache-Control': 'no-cache',
      'Content-Security-Policy': contentSecurityPolicy,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
    // `root` keeps the dotfile check to the file name (installs may live under ~/.something).
    res.sendFile(file, { root: deps.assetsDir, cacheControl: false }, (error?: Error) => {
      if (!error) return;
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !res.headersSent) {
        res
          .status(503)
          .type('text/plain')
          .send('The web UI is not built: run `npm run build` (or `node scripts/build-ui.mjs`).\n');
        return;
      }
      next(error);
    });
  };

  router.get('/', (_req, res) => res.redirect(302, '/supervisor/ui/'));
  router.get('/supervisor/ui', (_req, res) => res.redirect(301, '/supervisor/ui/'));
  router.get('/supervisor/ui/', sendPage('index.html'));
  router.get('/supervisor/ui/inspector', sendPage('inspector.html'));
  router.get('/supervisor/ui/inspector/', (_req, res) => res.redirect(301, '/supervisor/ui/inspector'));
  router.use(
    '/supervisor/ui/assets',
    express.static(join(deps.assetsDir, 'assets'), {
      index: false,
      redirect: false,
      dotfiles: 'ignore',
      cacheControl: false,
      setHeaders(res, path) {
        // A hashed name never changes content; anything else must be revalidated.
        res.setHeader(
          'Cache-Control',
          hashedName.test(basename(path)) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
        res.setHeader('X-Content-Type-Options', 'nosniff');
      },
    }),
  );
  return router;
}
