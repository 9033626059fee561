import { lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { AtomicFs } from '../../../src/config/atomic-file.js';
import { createConfigWriter } from '../../../src/config/config-writer.js';
import { makeConfigDir, type ConfigDir } from '../../support/config-dir.js';

const original = '# hand-written\r\nport: 3333\t# tab before comment\r\ndefault_model:   sonnet  \r\n\r\napi_key: "sk-ant-api03-x"\r\n';

describe('config writer', () => {
  const dirs: ConfigDir[] = [];
  const fresh = (text: string | Buffer | null = original): ConfigDir => {
    const cd = makeConfigDir(text);
    dirs.push(cd);
    return cd;
  };
  afterAll(() => dirs.forEach((cd) => cd.remove()));

  it('writes the new value in place, mode 0600, and leaves no temp file', async () => {
    const cd = fresh();
    expect(cd.mode()).toBe(0o644);
    const result = await createConfigWriter().write(cd.path, { default_model: 'opus' });
    expect(cd.text()).toBe(original.replace('default_model:   sonnet  ', 'default_model:   opus  '));
    expect(result).toMatchObject({ updatedKeys: ['default_model'], data: { default_model: 'opus', port: 3333 } });
    expect(cd.mode()).toBe(0o600);
    expect(cd.strays()).toEqual([]);
  });

  it('restores the previous bytes exactly', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(original)]);
    const cd = fresh(bytes);
    const writer = createConfigWriter();
    const { backup } = await writer.write(cd.path, { default_model: 'haiku', debug: true });
    expect(cd.bytes().equals(bytes)).toBe(false);
    await writer.restore(backup);
    expect(cd.bytes().equals(bytes)).toBe(true);
    expect(cd.strays()).toEqual([]);
  });

  it('keeps the backup out of JSON', async () => {
    const cd = fresh();
    const { backup } = await createConfigWriter().write(cd.path, { debug: false });
    expect(JSON.stringify(backup)).not.toContain('sk-ant-');
    expect(JSON.parse(JSON.stringify(backup))).toEqual({ path: cd.path, existed: true, size: Buffer.byteLength(original) });
  });

  it('creates a missing file, and its restore removes it again', async () => {
    const cd = fresh(null);
    const writer = createConfigWriter();
    const { backup } = await writer.write(cd.path, { log_level: 'debug' });
    expect(cd.text()).toBe('log_level: debug\n');
    expect(cd.mode()).toBe(0o600);
    await writer.restore(backup);
    expect(cd.strays()).toEqual([]);
    expect(() => cd.bytes()).toThrow(/ENOENT/);
  });

  it('never overwrites a file that does not parse', async () => {
    const broken = 'port: 3333\ndefault_model: [oops\napi_key: sk-ant-api03-x\n';
    const cd = fresh(broken);
    await expect(createConfigWriter().write(cd.path, { default_model: 'opus' })).rejects.toMatchObject({
      code: 'ERR_CONFIG_INVALID',
      extra: { line: expect.any(Number), column: expect.any(Number) },
    });
    expect(cd.text()).toBe(broken);
    expect(cd.strays()).toEqual([]);
  });

  it('refuses bytes that are not UTF-8 instead of rewriting them', async () => {
    const bytes = Buffer.from([...Buffer.from('note: caf'), 0xe9, 0x0a]);
    const cd = fresh(bytes);
    await expect(createConfigWriter().write(cd.path, { debug: true })).rejects.toMatchObject({ code: 'ERR_CONFIG_INVALID' });
    expect(cd.bytes().equals(bytes)).toBe(true);
  });

  it.each([
    ['fsync', (fs: AtomicFs): AtomicFs => ({ ...fs, open: failingSyncOpen })],
    ['rename', (fs: AtomicFs): AtomicFs => ({ ...fs, rename: () => Promise.reject(new Error('rename refused')) })],
  ])('leaves the file and the folder untouched when %s fails', async (_step, broken) => {
    const cd = fresh();
    const writer = createConfigWriter({ fs: broken({ open, rename, rm }) });
    await expect(writer.write(cd.path, { default_model: 'opus' })).rejects.toMatchObject({ code: 'ERR_CONFIG_WRITE' });
    expect(cd.text()).toBe(original);
    expect(cd.strays()).toEqual([]);
  });

  it('runs concurrent writes one at a time, in call order', async () => {
    const cd = fresh();
    const writer = createConfigWriter();
    const models = Array.from({ length: 20 }, (_, i) => `claude-test-${i}`);
    const results = await Promise.all(models.map((model) => writer.write(cd.path, { default_model: model })));
    // Each write saw the one before it: its backup holds the previous request's value.
    results.forEach((result, i) => {
      expect(result.data.default_model).toBe(models[i]);
      const before = parse(result.backup.bytes?.toString() ?? '') as Record<string, unknown>;
      expect(before.default_model).toBe(i === 0 ? 'sonnet' : models[i - 1]);
    });
    expect(parse(cd.text())).toMatchObject({ default_model: models[19], port: 3333 });
    expect(cd.strays()).toEqual([]);
  });

  it('keeps a hand edit made while it writes: the change is made again on top of the edited file', async () => {
    const cd = fresh();
    let edits = 0;
    // The owner saves the file by hand while our temp file is being written (between our read and our rename).
    const writer = createConfigWriter({ fs: { open: editingOpen(cd.path, () => (edits += 1) === 1, 'log_level: debug\n'), rename, rm } });
    const result = await writer.write(cd.path, { default_model: 'opus' });
    expect(edits).toBeGreaterThanOrEqual(2);
    expect(cd.text()).toBe(original.replace('default_model:   sonnet  ', 'default_model:   opus  ') + 'log_level: debug\n');
    expect(result.backup.bytes?.toString()).toBe(original + 'log_level: debug\n');
    expect(cd.strays()).toEqual([]);
  });

  it('answers 409 ERR_CONFLICT and leaves the hand-edited file alone when it keeps changing', async () => {
    const cd = fresh();
    let n = 0;
    const writer = createConfigWriter({ fs: { open: editingOpen(cd.path, () => true, () => `# edit ${(n += 1)}\n`), rename, rm } });
    const error = writer.write(cd.path, { default_model: 'opus' });
    await expect(error).rejects.toMatchObject({ code: 'ERR_CONFLICT' });
    await expect(error).rejects.toThrow(/kept changing on disk while the change was being written \(3 attempts\); nothing was written over it/);
    expect(cd.text()).toBe(`${original}# edit 1\n# edit 2\n# edit 3\n`);
    expect(cd.strays()).toEqual([]);
  });

  it('does not roll back over a hand edit made after its write: the restore fails and the file stays', async () => {
    const cd = fresh();
    const writer = createConfigWriter();
    const { backup } = await writer.write(cd.path, { default_model: 'opus' });
    const handEdited = `${cd.text()}debug: true\n`;
    writeFileSync(cd.path, handEdited);
    await expect(writer.restore(backup)).rejects.toMatchObject({ code: 'ERR_CONFIG_WRITE' });
    await expect(writer.restore(backup)).rejects.toThrow(/cannot restore .*: the file was changed on disk \(edited by hand\?\)/);
    expect(cd.text()).toBe(handEdited);
    expect(cd.strays()).toEqual([]);
  });

  it('writes through a symlink to its target and keeps the link', async () => {
    const cd = fresh(null);
    const realDir = join(cd.dir, 'dotfiles');
    mkdirSync(realDir);
    const real = join(realDir, 'config.yaml');
    const link = join(cd.dir, 'link.yaml');
    writeFileSync(real, 'debug: false\n');
    symlinkSync(real, link);
    await createConfigWriter().write(link, { debug: true });
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe('debug: true\n');
  });
});

// An open() whose handles refuse fsync on files (folders still sync).
const failingSyncOpen = (async (...args: Parameters<typeof open>) => {
  const handle = await open(...args);
  if (args[1] === 'wx') handle.sync = () => Promise.reject(new Error('EIO: fsync failed'));
  return handle;
}) as typeof open;

/** An open() that, when `when()` says so, appends to `path` as a person saving it would, just before a temp file opens. */
function editingOpen(path: string, when: () => boolean, addition: string | (() => string)): typeof open {
  return (async (...args: Parameters<typeof open>) => {
    if (args[1] === 'wx' && when()) writeFileSync(path, readFileSync(path, 'utf8') + (typeof addition === 'string' ? addition : addition()));
    return open(...args);
  }) as typeof open;
}
