import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTokenFile, planToken } from '../../src/token-file.js';

describe('planToken and createTokenFile', () => {
  const setup = () => {
    const dir = mkdtempSync(join(tmpdir(), 'token-'));
    return { configPath: join(dir, 'config.yaml'), file: join(dir, 'supervisor.token') };
  };

  it('plans a new token without writing anything; creating writes it 0600, and undo removes it', () => {
    const { configPath, file } = setup();
    const plan = planToken(configPath, {});
    expect(plan).toEqual({ token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), file, create: true });
    expect(existsSync(file)).toBe(false);
    const created = createTokenFile(plan);
    expect(created.token).toBe(plan.token);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    created.undo();
    expect(existsSync(file)).toBe(false);
  });

  it('takes the token another supervisor wrote between plan and creation, and its undo leaves that file alone', () => {
    const { configPath, file } = setup();
    const plan = planToken(configPath, {});
    writeFileSync(file, 'written-first\n', { mode: 0o600 });
    const created = createTokenFile(plan);
    expect(created.token).toBe('written-first');
    created.undo();
    expect(readFileSync(file, 'utf8')).toBe('written-first\n');
  });

  it('prefers SUPERVISOR_TOKEN and plans no file', () => {
    const { configPath } = setup();
    expect(planToken(configPath, { SUPERVISOR_TOKEN: 'env-token' })).toEqual({ token: 'env-token', file: null, create: false });
  });
});
