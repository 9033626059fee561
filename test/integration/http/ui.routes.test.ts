import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { createUiRouter } from '../../../src/http/ui.routes.js';

// A built UI in miniature: the router only cares about file names.
function fakeBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ui-assets-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Settings</title>');
  writeFileSync(join(dir, 'inspector.html'), '<!doctype html><title>Inspector</title>');
  writeFileSync(join(dir, 'assets', 'settings-ABCD2345.js'), 'console.log(1)');
  writeFileSync(join(dir, 'assets', 'settings-ABCD2345.js.map'), '{}');
  writeFileSync(join(dir, 'assets', 'styles-QWER7654.css'), 'body{}');
  writeFileSync(join(dir, 'assets', 'notes.txt'), 'unhashed');
  return dir;
}

async function listen(app: express.Express): Promise<{ server: Server; base: string }> {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => {
      resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
    });
  });
}

describe('UI routes', () => {
  let server: Server;
  let base: string;
  let emptyServer: Server;
  let emptyBase: string;

  beforeAll(async () => {
    const app = express();
    app.use(createUiRouter({ assetsDir: fakeBuild() }));
    app.use((_req, res) => res.status(404).json({ detail: 'Not found', code: 'ERR_NOT_FOUND' }));
    ({ server, base } = await listen(app));
    const empty = express();
    empty.use(createUiRouter({ assetsDir: mkdtempSync(join(tmpdir(), 'ui-empty-')) }));
    ({ server: emptyServer, base: emptyBase } = await listen(empty));
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await new Promise((resolve) => emptyServer.close(resolve));
  });

  it('redirects / to the Settings page', async () => {
    const res = await fetch(`${base}/`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/supervisor/ui/');
  });

  it('redirects /supervisor/ui to the trailing-slash URL', async () => {
    const res = await fetch(`${base}/supervisor/ui`, { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/supervisor/ui/');
  });

  it.each([
    ['/supervisor/ui/', 'Settings'],
    ['/supervisor/ui/inspector', 'Inspector'],
  ])('serves %s as HTML that is revalidated every time, with a strict CSP', async (path, title) => {
    const res = await fetch(base + path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await res.text()).toContain(`<title>${title}</title>`);
  });

  it('serves hashed assets as immutable for a year, with the right type', async () => {
    const js = await fetch(`${base}/supervisor/ui/assets/settings-ABCD2345.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(js.headers.get('content-type')).toMatch(/javascript/);
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
    const css = await fetch(`${base}/supervisor/ui/assets/styles-QWER7654.css`);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(css.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const map = await fetch(`${base}/supervisor/ui/assets/settings-ABCD2345.js.map`);
    expect(map.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('does not let an unhashed asset be cached without revalidation', async () => {
    const res = await fetch(`${base}/supervisor/ui/assets/notes.txt`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
  });

  it('leaves unknown assets and paths to the app (404), and never serves outside the assets folder', async () => {
    expect((await fetch(`${base}/supervisor/ui/assets/missing-ABCD2345.js`)).status).toBe(404);
    expect((await fetch(`${base}/supervisor/ui/assets/..%2Findex.html`)).status).toBe(404);
    expect((await fetch(`${base}/supervisor/ui/nope`)).status).toBe(404);
  });

  it('answers HEAD like GET', async () => {
    const res = await fetch(`${base}/supervisor/ui/`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
  });

  it('says how to build the UI when it has not been built', async () => {
    const res = await fetch(`${emptyBase}/supervisor/ui/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toMatch(/npm run build/);
  });
});
