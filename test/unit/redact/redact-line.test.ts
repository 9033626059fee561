import fc from 'fast-check';
import { REDACTED, createLineRedactor, redactLine } from '../../../src/redact/redact-line.js';
import { filler, leakedFragments, plantedSecret } from '../../support/secret-forms.js';

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
    // Credentials in a URL's userinfo: the password goes, the user and host stay.
    ['connecting to postgres://app:p4ss-w0rd@db.internal:5432/main', `connecting to postgres://app:${REDACTED}@db.internal:5432/main`],
    ['"url": "https://me:s3cr3t@example.com"', `"url": "https://me:${REDACTED}@example.com"`],
    ['redis://:only-a-password@cache:6379', `redis://:${REDACTED}@cache:6379`],
    ['https://user:p@ss:w0rd@host/x', `https://user:${REDACTED}@host/x`],
    // Header with no space after the colon.
    ['x-api-key:abcdef123456', `x-api-key:${REDACTED}`],
    ['X-Api-Key:abcdef123456 next', `X-Api-Key:${REDACTED} next`],
    // Query values.
    ['GET /v1/models?api_key=abcdef123456 HTTP/1.1', `GET /v1/models?api_key=${REDACTED} HTTP/1.1`],
    ['GET /cb?page=2&token=abcdef123456&x=1', `GET /cb?page=2&token=${REDACTED}&x=1`],
    ['/oauth?state=s&access_token=ya29.abc-def_ghi&expires_in=3599', `/oauth?state=s&access_token=${REDACTED}&expires_in=3599`],
    ['https://acct.blob.example/c?sv=2024&sig=AbC%2Bdef%3D', `https://acct.blob.example/c?sv=2024&sig=${REDACTED}`],
    ['?X-Amz-Signature=0123abcd&X-Amz-Credential=AKIA%2F2024', `?X-Amz-Signature=${REDACTED}&X-Amz-Credential=${REDACTED}`],
    // A list value is hidden whole (no stray bracket left behind).
    ['token=[abc, def]', `token=${REDACTED}`],
    ['{"refresh_token": ["a", "b"], "n": 2}', `{"refresh_token": ${REDACTED}, "n": 2}`],
    // Keys glued to a word are still keys.
    [`key:${apiKey.slice(0, 30)}x`, `key:${REDACTED}`],
    [`prefix${apiKey}`, `prefix${REDACTED}`],
  ])('redacts %s', (line, expected) => {
    expect(redactLine(line)).toBe(expected);
  });

  it.each([
    'GET /api/health 200 3ms',
    'listening on port=3333 host=127.0.0.1',
    'model=claude-sonnet-4-5-20250929 keyboard layout: us',
    'paragraph_count=12 para_x',
    '--- 2026-11-24T10:00:00.000Z server started pid 123 ---',
    'listening on http://127.0.0.1:3333/api (pid 42)',
    'git@github.com:org/repo.git fetched',
    '--- 2026-11-24T10:00:00.000Z server stopped pid 123 (signal SIGKILL) ---',
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

  it('leaves no stray bracket when a configured value sits where a pattern also matches', () => {
    // Configured values used to be replaced first, and the NAME=value pattern then took "[REDACTED" as the value.
    expect(redactLine('api_key=hunter2-secret and more', ['hunter2-secret'])).toBe(`api_key=${REDACTED} and more`);
    expect(redactLine('token=[REDACTED] already', [])).toBe(`token=${REDACTED} already`);
    expect(redactLine('x-api-key:hunter2-secret', ['hunter2-secret'])).toBe(`x-api-key:${REDACTED}`);
  });

  it('redacts overlapping and touching secrets as one', () => {
    expect(redactLine('auth=hunter2-secretpara_abcdefgh12', ['hunter2-secret'])).toBe(`auth=${REDACTED}`);
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
    ['URL userinfo without @', 'https://user:' + 'p'.repeat(65_000)],
    ['many URL userinfos without @', 'a://b:cc '.repeat(7_000)],
    ['colons after a URL', 'x://u' + ':ab'.repeat(20_000)],
    ['nested brackets', 'key=' + '['.repeat(60_000)],
    ['glued names', 'keykeykey:'.repeat(6_000)],
    ['query strings', '?api_key=&token=&sig='.repeat(3_000)],
  ])('stays linear on a pathological 64 KiB line (%s)', (_name, line) => {
    const started = process.hrtime.bigint();
    redactLine(line, ['configured-secret']);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(500);
  });

  // The same adversarial shapes, mixed and far longer than a piece: a 1 MiB line must still take milliseconds.
  it('redacts a 1 MiB adversarial line in well under a second', () => {
    const unit = 'https://u:' + 'p'.repeat(300) + ' token="' + '\\'.repeat(200) + ' authorization: bearer ' + 'key= '.repeat(50) + '[' + 'a-'.repeat(100);
    const line = unit.repeat(Math.ceil((1024 * 1024) / unit.length));
    const started = process.hrtime.bigint();
    const out = redactLine(line, ['configured-secret']);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(1000);
    expect(out).toContain(REDACTED);
  });

  it('hides every supported form of secret wherever it sits in a line, whatever surrounds it', () => {
    const shape = fc.record({ planted: plantedSecret, seed: fc.integer(), before: fc.nat({ max: 400 }), after: fc.nat({ max: 400 }) });
    fc.assert(
      fc.property(shape, ({ planted, seed, before, after }) => {
        const head = filler(seed, before);
        const tail = filler(seed + 1, after);
        const out = redactLine(`${head} ${planted.form} ${tail}`, planted.configured);
        expect(out).toContain(REDACTED);
        expect(leakedFragments(out, planted.secret, `${head}\n${tail}\n${planted.form.replace(planted.secret, '\n')}`)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
