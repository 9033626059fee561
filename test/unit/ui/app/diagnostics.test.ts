import { diagnosticsText, redactText } from '../../../../src/ui/app/diagnostics.js';
import { uiEvent, uiStatus } from '../../../support/ui-fixtures.js';

describe('diagnostics', () => {
  it('redacts token shapes and secret-looking NAME=value pairs, and leaves ordinary words alone', () => {
    expect(redactText('key sk-ant-api03-abc_DEF-123 and para_xyz')).toBe('key [REDACTED] and [REDACTED]');
    expect(redactText('ANTHROPIC_API_KEY=abc SUPERVISOR_TOKEN="x y" MY_SECRET=z')).toBe('ANTHROPIC_API_KEY=[REDACTED] SUPERVISOR_TOKEN=[REDACTED] MY_SECRET=[REDACTED]');
    expect(redactText('Authorization: Bearer abc.def')).toBe('Authorization: Bearer [REDACTED]');
    expect(redactText('keys=["log_level"] max_tokens=5')).toBe('keys=["log_level"] max_tokens=5');
  });

  it('holds the status, the history with crash tails and the last log lines, redacted', () => {
    const text = diagnosticsText({
      now: Date.UTC(2026, 10, 24, 12),
      pageUrl: 'http://127.0.0.1:3334/supervisor/ui/',
      userAgent: 'Chromium',
      connection: 'unreachable',
      lastContactAt: Date.UTC(2026, 10, 24, 11, 59),
      status: uiStatus({ last_error: 'failed with sk-ant-api03-secret' }),
      history: [uiEvent.crashed(12), uiEvent.running(11)],
      logLines: ['line one', 'CLAUDE_CODE_OAUTH_TOKEN=sk-ant-oat01-x'],
    });
    expect(text).toContain('Parachute Supervisor diagnostics, 2026-11-24T12:00:00.000Z');
    expect(text).toContain('Connection: unreachable (last answer 2026-11-24T11:59:00.000Z)');
    expect(text).toContain('"main_server_pid": 4242');
    expect(text).toContain('#12 2026-11-24T10:00:12.000Z crashed (SIGKILL) pid=4242');
    expect(text).toContain('    | handling a request');
    expect(text).toContain('== Server log, last 2 lines\nline one\nCLAUDE_CODE_OAUTH_TOKEN=[REDACTED]');
    expect(text).not.toContain('sk-ant-');
  });
});
