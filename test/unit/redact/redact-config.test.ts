import { configuredSecrets } from '../../../src/redact/configured-secrets.js';
import { maxDataDepth, REDACTED, redactConfig, redactValue } from '../../../src/redact/redact-config.js';

describe('redactConfig', () => {
  it('redacts credential keys at any depth, whatever their value', () => {
    const config = {
      api_key: 'sk-ant-api03-aaa',
      claude_code_oauth_token: 'sk-ant-oat01-bbb',
      default_model: 'opus',
      providers: { openai: { API_KEY: 'plain-looking', Password: 42, nested: { refresh_token: { any: 'shape' } } } },
      supervisor: { server: { env: { GITHUB_TOKEN: 'ghp_x', HOME: '/home/me' } } },
      credentials_file: '/secret/path',
      client_secret: null,
    };
    expect(redactConfig(config)).toEqual({
      api_key: REDACTED,
      claude_code_oauth_token: REDACTED,
      default_model: 'opus',
      providers: { openai: { API_KEY: REDACTED, Password: REDACTED, nested: { refresh_token: REDACTED } } },
      supervisor: { server: { env: { GITHUB_TOKEN: REDACTED, HOME: '/home/me' } } },
      credentials_file: REDACTED,
      client_secret: REDACTED,
    });
  });

  it('redacts inside lists: mappings by key, strings by content', () => {
    const config = {
      mcp_servers: [
        { name: 'a', auth_token: 'x' },
        { name: 'b', args: ['--flag', 'Bearer sk-ant-api03-zzz'] },
      ],
    };
    expect(redactConfig(config)).toEqual({
      mcp_servers: [
        { name: 'a', auth_token: REDACTED },
        { name: 'b', args: ['--flag', REDACTED] },
      ],
    });
  });

  it('redacts any string holding sk-ant- under an innocent key', () => {
    expect(redactConfig({ note: 'my key is SK-ANT-api03-q', deep: { deeper: { x: 'sk-ant-oat01-y' } } })).toEqual({
      note: REDACTED,
      deep: { deeper: { x: REDACTED } },
    });
  });

  it('hides a credential pasted as a key name', () => {
    const out = redactConfig({ 'sk-ant-api03-leak': true, 'sk-ant-api03-other': 1 });
    expect(JSON.stringify(out)).not.toContain('sk-ant-');
    expect(Object.values(out)).toEqual([REDACTED, REDACTED]);
  });

  it('leaves the input untouched and keeps non-secrets as they are', () => {
    const config = { api_key: 'sk-ant-x', port: 3333, debug: true, list: [1, null, 'a'] };
    const copy = structuredClone(config);
    expect(redactConfig(config)).toEqual({ api_key: REDACTED, port: 3333, debug: true, list: [1, null, 'a'] });
    expect(config).toEqual(copy);
  });

  it('keeps a "__proto__" key as plain data', () => {
    const config = JSON.parse('{"__proto__": {"token": "t", "x": 1}}') as Record<string, unknown>;
    const out = redactConfig(config);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(JSON.stringify(out)).toBe('{"__proto__":{"token":"[REDACTED]","x":1}}');
  });
});

describe('walks over data nested deeper than anyone writes', () => {
  // As deep as a 64 KiB JSON body can nest: far past what a recursive walk survives.
  const deep = (levels: number, leaf: unknown): unknown => {
    let value = leaf;
    for (let i = 0; i < levels; i++) value = i % 2 ? [value] : { api: value };
    return value;
  };

  it('redactValue stops at maxDataDepth and shows what lies below as redacted', () => {
    const redacted = redactValue(deep(100_000, 'sk-ant-api03-deep'));
    const text = JSON.stringify(redacted);
    expect(text).not.toContain('sk-ant');
    let depth = 0;
    for (let v: unknown = redacted; typeof v === 'object' && v !== null; depth++) v = Array.isArray(v) ? v[0] : (v as { api: unknown }).api;
    expect(depth).toBe(maxDataDepth);
  });

  it('redactValue keeps everything of a value as deep as a loaded config can be', () => {
    const value = deep(maxDataDepth, 'plain');
    expect(redactValue(value)).toEqual(value);
  });

  it('configuredSecrets walks a bounded depth and never throws', () => {
    const config = { api_key: 'sk-ant-api03-top', nested: deep(100_000, 'x') };
    expect(configuredSecrets(config, {})).toEqual(['sk-ant-api03-top']);
  });
});
