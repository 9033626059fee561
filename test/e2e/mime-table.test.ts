// The daemon bundle carries a cut-down MIME table (scripts/mime-table.mjs): every file it serves must still get the
// Content-Type the full mime-db gives, and its JSON, page and text answers the charset they had.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, servedUrl, writeHealthyConfig, type CliProcess } from '../support/built-cli.js';
import { request } from '../support/http.js';

// express's own copy of mime-types, with the whole of mime-db behind it.
const fullMime = createRequire(createRequire(import.meta.url).resolve('express'))('mime-types') as {
  contentType(typeOrExtension: string): string | false;
};
const uiDir = fileURLToPath(new URL('../../dist/ui', import.meta.url));

describe('the bundled daemon’s MIME table', () => {
  let dir: string;
  let cli: CliProcess;
  let url: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'psup-mime-'));
    cli = runCli(['serve', '--port', '0', '--config', await writeHealthyConfig(dir)]);
    url = await servedUrl(cli);
  });
  afterAll(async () => {
    cli.child.kill('SIGTERM');
    await cli.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves every built UI asset with the type the full table gives', async () => {
    const assets = readdirSync(join(uiDir, 'assets'));
    // Whatever the UI build writes is covered; these four are there today.
    expect([...new Set(assets.map((name) => extname(name)))]).toEqual(expect.arrayContaining(['.js', '.map', '.css', '.svg']));
    for (const name of assets) {
      const answer = await request(`${url}/supervisor/ui/assets/${name}`);
      expect({ name, status: answer.status, type: answer.headers['content-type'] }).toEqual({
        name,
        status: 200,
        type: fullMime.contentType(extname(name)),
      });
    }
  });

  it('serves the pages as UTF-8 HTML and JSON as UTF-8 JSON', async () => {
    for (const path of ['/supervisor/ui/', '/supervisor/ui/inspector']) {
      expect((await request(`${url}${path}`)).headers['content-type']).toBe(fullMime.contentType('.html'));
    }
    expect(fullMime.contentType('.html')).toBe('text/html; charset=utf-8');
    expect((await request(`${url}/supervisor/status`)).headers['content-type']).toBe('application/json; charset=utf-8');
    expect((await request(`${url}/supervisor/machines`)).headers['content-type']).toBe('application/json; charset=utf-8');
  });
});
