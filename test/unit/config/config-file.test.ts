import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '../../../src/config/config-file.js';

describe('readConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cfg-'));

  it('reads a mapping and sees a later edit at once', () => {
    const path = join(dir, 'a.yaml');
    writeFileSync(path, 'port: 4000\n');
    expect(readConfig(path)).toMatchObject({ status: 'ok', data: { port: 4000 } });
    writeFileSync(path, 'port: 4001 # edited by hand\n');
    expect(readConfig(path)).toMatchObject({ status: 'ok', data: { port: 4001 } });
  });

  it('names line and column of a parse error', () => {
    const path = join(dir, 'b.yaml');
    writeFileSync(path, 'port: 4000\ndefault_model: [unclosed\n');
    const read = readConfig(path);
    expect(read.status).toBe('invalid');
    if (read.status !== 'invalid') return;
    expect(read.line).toBeGreaterThanOrEqual(2);
    expect(read.message).toMatch(/line \d+, column \d+/);
  });

  it('reports a missing file as missing, with no data', () => {
    expect(readConfig(join(dir, 'nope.yaml'))).toEqual({ status: 'missing', path: join(dir, 'nope.yaml'), data: {} });
  });

  it('refuses a top level that is not a mapping', () => {
    const path = join(dir, 'c.yaml');
    writeFileSync(path, '- a\n- b\n');
    expect(readConfig(path)).toMatchObject({ status: 'invalid', message: expect.stringContaining('mapping') });
  });
});
