import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extensionsUnder, mimeSubset } from '../../../scripts/mime-table.mjs';

const db = {
  'application/javascript': { extensions: ['js'] },
  'text/javascript': { extensions: ['js', 'mjs'] },
  'image/png': { extensions: ['png'] },
  'text/event-stream': {},
  'application/x-unused': {},
};

describe('mimeSubset', () => {
  it('keeps every type that claims a wanted extension, and the named types', () => {
    expect(Object.keys(mimeSubset(db, ['js'], ['text/event-stream'])).sort()).toEqual([
      'application/javascript',
      'text/event-stream',
      'text/javascript',
    ]);
  });

  it('keeps each entry as it is', () => {
    expect(mimeSubset(db, ['png'], [])).toEqual({ 'image/png': { extensions: ['png'] } });
  });
});

describe('extensionsUnder', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'psup-mime-table-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the extensions of the files in the folder and below, lower-cased', () => {
    mkdirSync(join(dir, 'assets'));
    for (const file of ['index.html', 'assets/app-X.js', 'assets/app-X.js.map', 'assets/icon.SVG', 'LICENSE']) writeFileSync(join(dir, file), '');
    expect(extensionsUnder(dir)).toEqual(new Set(['html', 'js', 'map', 'svg']));
  });

  it('refuses an empty folder: the UI is not built', () => {
    expect(() => extensionsUnder(dir)).toThrow(`${dir} holds no files: build the UI (node scripts/build-ui.mjs) first`);
  });
});
