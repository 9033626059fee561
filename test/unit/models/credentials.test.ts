import { credentialFingerprint, resolveCredential } from '../../../src/models/credentials.js';

describe('resolveCredential', () => {
  it('prefers env ANTHROPIC_API_KEY, then env CLAUDE_CODE_OAUTH_TOKEN, then config api_key, then config token', () => {
    const config = { api_key: 'sk-ant-api03-config', claude_code_oauth_token: 'sk-ant-oat01-config' };
    expect(resolveCredential({ ANTHROPIC_API_KEY: 'sk-ant-api03-env', CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat01-env' }, config)).toEqual({ kind: 'api_key', secret: 'sk-ant-api03-env', source: 'ANTHROPIC_API_KEY' });
    expect(resolveCredential({ CLAUDE_CODE_OAUTH_TOKEN: 'sk-ant-oat01-env' }, config)).toEqual({ kind: 'oauth_token', secret: 'sk-ant-oat01-env', source: 'CLAUDE_CODE_OAUTH_TOKEN' });
    expect(resolveCredential({}, config)).toEqual({ kind: 'api_key', secret: 'sk-ant-api03-config', source: 'api_key' });
    expect(resolveCredential({}, { claude_code_oauth_token: 'sk-ant-oat01-config' })).toEqual({ kind: 'oauth_token', secret: 'sk-ant-oat01-config', source: 'claude_code_oauth_token' });
  });

  it('treats an sk-ant-oat value as an OAuth token wherever it was put', () => {
    expect(resolveCredential({ ANTHROPIC_API_KEY: 'sk-ant-oat01-abc' }, {})?.kind).toBe('oauth_token');
  });

  it('skips empty and non-string values and returns null when there is none', () => {
    expect(resolveCredential({ ANTHROPIC_API_KEY: '  ' }, { api_key: 42, claude_code_oauth_token: null })).toBeNull();
  });
});

describe('credentialFingerprint', () => {
  it('is stable for one credential, differs between credentials, and does not contain the secret', () => {
    const a = { kind: 'api_key' as const, secret: 'sk-ant-api03-aaaa', source: 'api_key' as const };
    const b = { ...a, secret: 'sk-ant-api03-bbbb' };
    expect(credentialFingerprint(a)).toBe(credentialFingerprint({ ...a }));
    expect(credentialFingerprint(a)).not.toBe(credentialFingerprint(b));
    expect(credentialFingerprint(a)).toMatch(/^cred_[0-9a-f]{16}$/);
    expect(credentialFingerprint(null)).toBeNull();
  });
});
