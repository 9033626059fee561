import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { parseConfigText, readConfig } from '../../../src/config/config-file.js';
import { lateFailingYaml, withLateFailure } from '../../support/http-fuzz.js';
import { createPrng, seedFromEnv } from '../../support/prng.js';

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

describe('parseConfigText: every way a file can fail to load', () => {
  const secret = 'sk-ant-api03-secretvalue-0123456789abcdef';
  const good = 'port: 3333\ndefault_model: opus\nsupervisor:\n  log_dir: /tmp/logs\n';
  // Any 8 characters of the secret in a message would be a leak.
  const leaks = (text: string) => Array.from({ length: secret.length - 7 }, (_, i) => secret.slice(i, i + 8)).filter((f) => text.includes(f));

  it.each(lateFailingYaml.map((f) => [f.label, f] as const))('%s: one invalid result with its line and column, never the value', (_label, failure) => {
    for (const placement of [0, 1]) {
      const { text, firstLine, lineCount } = withLateFailure(createPrng(placement), failure, secret, good);
      const read = parseConfigText('/home/me/.parachute/config.yaml', text);
      expect(read).toMatchObject({ status: 'invalid', data: {}, problem: expect.stringMatching(new RegExp(`^(${failure.kinds.join('|')})$`)) });
      if (read.status !== 'invalid') return;
      expect(read.line).toBeGreaterThanOrEqual(firstLine);
      expect(read.line).toBeLessThan(firstLine + lineCount);
      expect(read.column).toBeGreaterThanOrEqual(1);
      expect(read.message).toContain(`/home/me/.parachute/config.yaml`);
      expect(read.message).toContain(`at line ${read.line}, column ${read.column}: `);
      expect(leaks(read.message)).toEqual([]);
    }
  });

  it('names the place of an unresolved alias exactly, in its own words', () => {
    const read = parseConfigText('config.yaml', `port: 3333\napi_key: *${secret}\n`);
    expect(read).toEqual({
      status: 'invalid',
      path: 'config.yaml',
      data: {},
      problem: 'UNRESOLVED_ALIAS',
      line: 2,
      column: 10,
      message: 'config.yaml is not valid YAML at line 2, column 10: an alias (*name) refers to no anchor (&name) defined before it; quote the value if it is meant as text',
    });
  });

  it("never passes on the YAML library's messages, which quote the source line", () => {
    for (const text of [`api_key: "${secret}\n`, `api_key: ${secret}\napi_key: x\n`, `k: !!omap [ ${secret}: 1, ${secret}: 2 ]\n`, `a:\n\t${secret}\n`]) {
      const read = parseConfigText('config.yaml', text);
      expect(read.status).toBe('invalid');
      if (read.status !== 'invalid') continue;
      expect(read.message).not.toMatch(/\n|\^|Map keys must be unique|Missing closing|Ordered maps/);
      expect(leaks(read.message)).toEqual([]);
    }
  });

  it('keeps a value nested 64 levels deep and refuses one level more', () => {
    const nested = (levels: number) => `a: ${'['.repeat(levels - 1)}1${']'.repeat(levels - 1)}\n`;
    expect(parseConfigText('c.yaml', nested(64))).toMatchObject({ status: 'ok' });
    expect(parseConfigText('c.yaml', nested(65))).toMatchObject({ status: 'invalid', problem: 'TOO_DEEP', line: 1 });
  });

  it('lets the YAML library print nothing (its warnings quote the file)', () => {
    const emitted = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const printed = [jest.spyOn(console, 'warn'), jest.spyOn(console, 'log'), jest.spyOn(console, 'error')];
    try {
      // A collection used as a key is stringified with a warning that quotes it.
      expect(parseConfigText('c.yaml', `? [${secret}]\n: 1\n`)).toMatchObject({ status: 'ok' });
      for (const failure of lateFailingYaml) parseConfigText('c.yaml', failure.lines(secret).join('\n'));
      expect(emitted).not.toHaveBeenCalled();
      for (const spy of printed) expect(spy).not.toHaveBeenCalled();
    } finally {
      jest.restoreAllMocks();
    }
  });

  it('never throws and never quotes the file, for thousands of seeded mutations of a config holding a secret', () => {
    const seed = seedFromEnv();
    const rng = createPrng(seed);
    const base = `port: 3333\napi_key: ${secret}\nsupervisor:\n  allowed_hosts: [a, b]\n  server:\n    env: { TOKEN: ${secret} }\nlist:\n  - ${secret}\n`;
    const marks = ['*', '&', '!', '!!', '%', '[', ']', '{', '}', ':', '? ', '- ', '|', '>', '"', "'", '#', '\t', '---\n', '<<: ', '\n', ' ', '@', '`', '*a', '&a '];
    const problems: string[] = [];
    for (let i = 0; i < 3_000; i++) {
      let text = base;
      for (let n = rng.int(1, 4); n > 0; n--) {
        const at = rng.int(0, text.length);
        text = text.slice(0, at) + rng.pick(marks) + text.slice(at);
      }
      let read;
      try {
        read = parseConfigText('c.yaml', text);
      } catch (error) {
        problems.push(`threw ${String(error)} on ${JSON.stringify(text)}`);
        continue;
      }
      if (read.status === 'invalid' && leaks(read.message).length > 0) problems.push(`quoted the secret: ${read.message}`);
      if (read.status === 'ok' && JSON.stringify(JSON.parse(JSON.stringify(read.data))) !== JSON.stringify(read.data)) problems.push(`not plain data: ${JSON.stringify(text)}`);
    }
    expect({ seed, problems: problems.slice(0, 5) }).toEqual({ seed, problems: [] });
  });
});

describe('readConfig on a file that cannot be read', () => {
  it('says so with the system error code only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    expect(readConfig(dir)).toMatchObject({ status: 'invalid', problem: 'UNREADABLE', message: `cannot read ${dir} (EISDIR)`, line: null, column: null });
  });
});
