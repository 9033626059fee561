import { isProtectedKey, validateConfigValues } from '../../../src/config/editable-keys.js';
import { SupervisorError } from '../../../src/errors.js';

function refusal(values: Record<string, unknown>): SupervisorError {
  try {
    validateConfigValues(values);
  } catch (error) {
    if (error instanceof SupervisorError) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(values)}`);
}

describe('validateConfigValues', () => {
  it('accepts every editable key with a good value', () => {
    const values = {
      default_model: 'claude-sonnet-4-5-20250929[1m]',
      log_level: 'critical',
      debug: false,
      log_format: 'json',
      max_message_length: 1,
      transcription_enabled: true,
    };
    expect(validateConfigValues(values)).toEqual(values);
  });

  it.each(['opus', 'sonnet', 'haiku', 'claude-opus-4-6', 'claude-3.5-x', 'opus[200k]', 'sonnet[1m]'])('accepts model %s', (model) => {
    expect(validateConfigValues({ default_model: model })).toEqual({ default_model: model });
  });

  it.each(['gpt-4', 'Opus', 'claude-', 'claude-X', 'opus[1g]', 'opus [1m]', ''])('refuses model %j', (model) => {
    expect(refusal({ default_model: model })).toMatchObject({ code: 'ERR_INVALID_VALUE', status: 400 });
  });

  it.each([
    ['debug', 'true', 'true or false'],
    ['transcription_enabled', 1, 'true or false'],
    ['max_message_length', 0, 'a positive integer'],
    ['max_message_length', 2.5, 'a positive integer'],
    ['max_message_length', '100', 'a positive integer'],
    ['log_level', 'verbose', 'one of debug|info|warning|error|critical'],
    ['log_format', null, 'one of text|json'],
  ])('refuses %s = %j naming key, value and expected type', (key, value, expected) => {
    const error = refusal({ [key]: value });
    expect(error).toMatchObject({ code: 'ERR_INVALID_VALUE', extra: { key, value, expected } });
    expect(error.message).toContain(key);
    expect(error.message).toContain(JSON.stringify(value));
    expect(error.message).toContain(expected);
  });

  it.each([
    'api_key',
    'claude_code_oauth_token',
    'github_token',
    'db_password',
    'auth_mode',
    'host',
    'port',
    'cors_origins',
    'providers',
    'openai_provider',
    'plugins',
    'plugin_paths',
    'mcp_servers',
    'supervisor',
    'supervisor.server.command',
    'providers.openai.base_url',
  ])('refuses protected key %s with 403', (key) => {
    expect(refusal({ [key]: 'x' })).toMatchObject({ code: 'ERR_KEY_NOT_EDITABLE', status: 403 });
  });

  it('refuses the whole request when any key is protected, even next to valid ones', () => {
    expect(refusal({ default_model: 'opus', port: 1 })).toMatchObject({ code: 'ERR_KEY_NOT_EDITABLE', extra: { keys: ['port'] } });
  });

  it.each(['foo', 'default_model.x', '__proto__', 'constructor', 'toString', 'DEFAULT_MODEL'])('refuses unknown key %s with 400', (key) => {
    // Parsed from JSON as the HTTP body would be, so "__proto__" arrives as an own key.
    const values = JSON.parse(JSON.stringify({ [key]: 'opus' })) as Record<string, unknown>;
    expect(refusal(values)).toMatchObject({ code: 'ERR_UNKNOWN_KEY', status: 400 });
  });

  it('refuses an empty change set', () => {
    expect(refusal({})).toMatchObject({ code: 'ERR_BAD_REQUEST' });
  });

  it('never echoes a credential it refuses', () => {
    const wrongType = refusal({ default_model: 'sk-ant-api03-pasted-in-the-wrong-field' });
    const asKey = refusal({ 'sk-ant-api03-as-a-key': 1 });
    for (const error of [wrongType, asKey]) {
      expect(error.message).not.toContain('sk-ant-');
      expect(JSON.stringify(error.extra)).not.toContain('sk-ant-');
    }
  });
});

describe('isProtectedKey', () => {
  it('does not protect the editable keys', () => {
    for (const key of ['default_model', 'log_level', 'debug', 'log_format', 'max_message_length', 'transcription_enabled']) {
      expect(isProtectedKey(key)).toBe(false);
    }
  });
});

describe('validateConfigValues on deeply nested values', () => {
  it('refuses them with 400 naming the key, as a bad value like any other, without running out of stack', () => {
    let value: unknown = 'sk-ant-api03-deep';
    for (let i = 0; i < 50_000; i++) value = [value];
    const error = refusal({ default_model: value });
    expect(error).toMatchObject({ code: 'ERR_INVALID_VALUE', status: 400 });
    expect(error.message).toMatch(/^Invalid value for default_model: \[\[\[/);
    const body = JSON.stringify(error.extra);
    expect(body).not.toContain('sk-ant');
    expect(error.extra).toMatchObject({ key: 'default_model' });
  });
});
