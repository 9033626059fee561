import { REDACTED, createLineRedactor, redactLine } from '../../../src/redact/redact-line.js';

// Real shapes: Anthropic API keys (sk-ant-api03-…, 108 chars), OAuth tokens (sk-ant-oat01-…), Parachute tokens (para_…).
const apiKey = 'sk-ant-api03-Zq3xL9_vB2-kT7mW4pR8sN1yH6dF0gJ5cA2eU9iO3lK7bV4nM1xQ8zT6wS5rP0yE2uI9oA3dG7fH1jK4lZ8xC6vB-AA';
const oauth = 'sk-ant-oat01-9fJ2kL4mN6pQ8rS0tU2vW4xY6zA8bC0dE2fG4hI6jK8lM0nO2pQ4rS6tU8vW0xY2zA4bC6dE8fG0hI2jK4lM6nO-BB';
const para = 'para_8f3K2mQ9xL4vN7bR1tY6wZ0cD5gH';

describe('redactLine', () => {
  it.each([
    [`using key ${apiKey} for requests`, `using key ${REDACTED} for requests`],
    [`token=${oauth}`, `token=${REDACTED}`],
    [`client ${para} connected`, `client ${REDACTED} connected`],
    [`ANTHROPIC_API_KEY=${apiKey}`, `ANTHROPIC_API_KEY=${REDACTED}`],
    ['CLAUDE_CODE_OAUTH_TOKEN="quoted value with spaces" next', `CLAUDE_CODE_OAUTH_TOKEN=${REDACTED} next`],
    ['AWS_SECRET=abc/def+ghi== other=1', `AWS_SECRET=${REDACTED} other=1`],
    ['api_key: plainvalue', `api_key: ${REDACTED}`],
    ['{"access_token":"abc\\"def","expires_in":3600}', `{"access_token":${REDACTED},"expires_in":3600}`],
    ["{'refresh_token': 'r-123'}", `{'refresh_token': ${REDACTED}}`],
    ['GET /x?session_token=abc123&page=2', `GET /x?session_token=${REDACTED}&page=2`],
    ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc', `Authorization: Bearer ${REDACTED}`],
    ['password=hunter2', `password=${REDACTED}`],
  ])('redacts %s', (line, expected) => {
    expect(redactLine(line)).toBe(expected);
  });

  it.each([
    'GET /api/health 200 3ms',
    'listening on port=3333 host=127.0.0.1',
    'model=claude-sonnet-4-5-20250929 keyboard layout: us',
    'paragraph_count=12 para_x',
    '--- 2026-11-24T10:00:00.000Z server started pid 123 ---',
  ])('leaves an ordinary line alone: %s', (line) => {
    expect(redactLine(line)).toBe(line);
  });

  it('redacts configured credential values wherever they appear, longest first', () => {
    const redact = createLineRedactor(['my-own-credential', 'my-own-credential-extended', 'abc']);
    expect(redact('x my-own-credential-extended y my-own-credential z')).toBe(`x ${REDACTED} y ${REDACTED} z`);
    // Too short to match verbatim (it would blank out ordinary words).
    expect(redact('abc is fine')).toBe('abc is fine');
  });

  it('treats configured values as text, not as patterns', () => {
    expect(redactLine('a.b*c+d?(e) and aXbbbc+d', ['a.b*c+d?(e)'])).toBe(`${REDACTED} and aXbbbc+d`);
  });

  it('redacts an unterminated quoted value to the end of the line', () => {
    expect(redactLine('API_KEY="abc def')).toBe(`API_KEY=${REDACTED}`);
  });

  // A log line is untrusted input: no shape of it may make a pattern backtrack (a 64 KiB line once took seconds).
  it.each([
    ['dashes', 'a-'.repeat(32_768) + ' key'],
    ['dots', 'a.'.repeat(32_768) + 'x key'],
    ['backslashes after a JSON name', '{"token": "' + '\\'.repeat(30_000)],
    ['backslashes after NAME=', 'TOKEN="' + '\\'.repeat(30_000)],
    ['spaces before =', 'token' + ' '.repeat(65_536) + '= x'],
    ['many separators', 'key= '.repeat(13_000)],
    ['many quoted names', '"key":'.repeat(10_000)],
    ['many bearers', 'authorization: bearer '.repeat(3_000)],
  ])('stays linear on a pathological 64 KiB line (%s)', (_name, line) => {
    const started = process.hrtime.bigint();
    redactLine(line, ['configured-secret']);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(500);
  });
});
