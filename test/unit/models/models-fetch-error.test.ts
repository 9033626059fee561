import { ModelsFetchError, redactSecrets } from '../../../src/models/models-fetch-error.js';

describe('redactSecrets', () => {
  it('removes the given secrets and anything shaped like an Anthropic key, and cuts long text', () => {
    expect(redactSecrets('bad key my-own-secret here', ['my-own-secret'])).toBe('bad key [REDACTED] here');
    expect(redactSecrets('invalid x-api-key sk-ant-api03-AbC_d-9')).toBe('invalid x-api-key [REDACTED]');
    expect(redactSecrets('x'.repeat(500))).toHaveLength(201);
  });
});

describe('ModelsFetchError', () => {
  it('is an ERR_MODELS_FETCH (502) carrying its reason and upstream status, with no cause', () => {
    const error = new ModelsFetchError('rate_limited', 'slow down', { at: 7, upstreamStatus: 429 });
    expect(error).toMatchObject({ code: 'ERR_MODELS_FETCH', status: 502, reason: 'rate_limited', upstreamStatus: 429, at: 7 });
    expect(error.cause).toBeUndefined();
  });
});
