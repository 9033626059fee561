import { sonnet45Deprecated } from '../../support/model-fixtures.js';
import { parseConfigValue } from '../../../src/cli/commands/config.command.js';
import { formatBytes } from '../../../src/client/format.js';
import type { HistoryEvent, ModelsResponse } from '../../../src/client/supervisor-types.js';
import { formatCrash, formatEventLine, formatHistory } from '../../../src/cli/history.views.js';
import { formatDuration, formatModelInfo, formatModels, formatStatus } from '../../../src/cli/views.js';
import { fakeModels, fakeStatus } from '../../support/fake-supervisor.js';
import { servedModel } from '../../support/model-fixtures.js';

describe('parseConfigValue', () => {
  it('reads true/false as booleans, integers as numbers, anything else as a string', () => {
    expect(parseConfigValue('true')).toBe(true);
    expect(parseConfigValue('false')).toBe(false);
    expect(parseConfigValue('4000')).toBe(4000);
    expect(parseConfigValue('-3')).toBe(-3);
    expect(parseConfigValue('1.5')).toBe('1.5');
    expect(parseConfigValue('True')).toBe('True');
    expect(parseConfigValue('99999999999999999999')).toBe('99999999999999999999');
    expect(parseConfigValue('claude-opus-4-6')).toBe('claude-opus-4-6');
    expect(parseConfigValue('')).toBe('');
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [59, '59s'],
    [65, '1m 5s'],
    [3725, '1h 2m 5s'],
    [200_000, '2d 7h 33m'],
  ])('%i s reads %s', (seconds, text) => expect(formatDuration(seconds)).toBe(text));
});

describe('formatBytes', () => {
  it('uses binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(125_829_120)).toBe('120 MiB');
  });
});

describe('formatStatus', () => {
  it('shows a stopped server with dashes, a crash by signal and the next restart', () => {
    const text = formatStatus(
      fakeStatus({
        main_server_status: 'crashed',
        main_server_healthy: false,
        main_server_pid: null,
        main_server_uptime_seconds: null,
        main_server_version: null,
        last_exit: { code: null, signal: 'SIGKILL', at: '2025-11-24T02:00:00.000Z' },
        last_error: 'exited 6 times in 60 s',
        last_crash: { seq: 12, at: '2025-11-24T02:00:00.000Z', type: 'crashed', pid: 4242, code: null, signal: 'SIGKILL', ran_for_ms: 5000, reason: 'exit', message: 'server was killed by SIGKILL' },
        next_restart_at: '2026-11-24T03:00:00.000Z',
        cpu_percent: null,
        memory_bytes: null,
        default_model: null,
      }),
      'http://127.0.0.1:3334',
    );
    expect(text).toMatch(/^server: +crashed$/m);
    expect(text).toMatch(/^pid: +-$/m);
    expect(text).toMatch(/^last exit: +signal SIGKILL at 2025-11-24T02:00:00.000Z$/m);
    expect(text).toMatch(/^last error: +exited 6 times in 60 s$/m);
    expect(text).toMatch(/^last crash: +#12 at 2025-11-24T02:00:00.000Z: exit: server was killed by SIGKILL \(parachute-supervisor history --crash 12\)$/m);
    expect(text).toMatch(/^next restart: +2026-11-24T03:00:00.000Z$/m);
    expect(text).toMatch(/^model: +-$/m);
    expect(text).not.toMatch(/^(cpu|memory|version):/m);
  });

  it('says when the model is deprecated and what replaces it, from status or from what the caller learnt', () => {
    expect(formatStatus(fakeStatus(), 'u')).toMatch(/^model: +claude-sonnet-4-5-20250929 \(deprecated, retires 2027-02-05; claude-sonnet-5 replaces it\)$/m);
    const retired = sonnet45Deprecated({ lifecycle: 'retired' });
    expect(formatStatus(fakeStatus({ default_model_info: null }), 'u', retired)).toMatch(/^model: +claude-sonnet-4-5-20250929 \(retired: requests naming it fail; claude-sonnet-5 replaces it\)$/m);
  });

  it('says when the server listens on the socket the supervisor holds (socket: inherit)', () => {
    expect(formatStatus(fakeStatus({ main_server_port: 3333 }), 'http://127.0.0.1:3334')).toMatch(/^port: +3333$/m);
    const held = formatStatus(fakeStatus({ main_server_port: 3333, main_server_socket: 'inherited' }), 'http://127.0.0.1:3334');
    expect(held).toMatch(/^port: +3333 \(socket held by the supervisor, fd 3\)$/m);
  });
});

describe('formatModels', () => {
  const response = (overrides: Partial<ModelsResponse> = {}): ModelsResponse => {
    const models = fakeModels().map((m) => ({ ...m, is_current: m.id === 'claude-sonnet-4-5-20250929' }));
    return {
      models,
      count: models.length,
      show_all: true,
      current_model: 'claude-sonnet-4-5-20250929',
      current_model_info: sonnet45Deprecated(),
      cached_at: null,
      is_stale: true,
      source: 'cache',
      error: 'down',
      warnings: ['claude-sonnet-4-5-20250929 is deprecated and retires on 2027-02-05; Claude Sonnet 5 (claude-sonnet-5) replaces it'],
      ...overrides,
    };
  };

  it('groups by line, with release date, context window and lifecycle (and retirement date), marking the current model', () => {
    const lines = formatModels(response()).split('\n');
    expect(lines.slice(0, 7)).toEqual([
      'opus',
      '  claude-opus-4-6             Claude Opus 4.6    2026-02-05  1M context    active, latest',
      '  claude-opus-4-5-20251101    Claude Opus 4.5    2025-11-01  200k context  active',
      'sonnet',
      '  claude-sonnet-5             Claude Sonnet 5    2026-06-30  1M context    active, latest',
      '* claude-sonnet-4-5-20250929  Claude Sonnet 4.5  2025-09-29  1M context    deprecated, retires 2027-02-05',
      'haiku',
    ]);
    expect(lines.slice(-4)).toEqual([
      '',
      '5 models (all versions); source: cache (stale)',
      'current model: claude-sonnet-4-5-20250929 (deprecated, retires 2027-02-05; claude-sonnet-5 replaces it)',
      'warning: claude-sonnet-4-5-20250929 is deprecated and retires on 2027-02-05; Claude Sonnet 5 (claude-sonnet-5) replaces it',
    ]);
  });

  it('shows what an older API or the built-in list does not say as unknown', () => {
    const models = [servedModel({ id: 'claude-opus-5-5', display_name: 'Claude Opus 5.5', created_at: '2026-09-22T00:00:00Z', family: 'opus', is_latest: true })];
    const text = formatModels(response({ models, count: 1, show_all: false, current_model: null, current_model_info: null, warnings: [] }));
    expect(text.split('\n')[1]).toBe('  claude-opus-5-5  Claude Opus 5.5  2026-09-22  -  lifecycle unknown');
    expect(text).toMatch(/^current model: -$/m);
  });
});

describe('formatModelInfo', () => {
  it('says what is known of the configured model, and nothing it does not know', () => {
    expect(formatModelInfo('claude-opus-5', null)).toBe('claude-opus-5');
    expect(formatModelInfo('claude-opus-5', sonnet45Deprecated({ id: 'claude-opus-5', resolved_id: 'claude-opus-5', lifecycle: 'active', retires_at: null, replacement: null }))).toBe('claude-opus-5 (active)');
    expect(formatModelInfo('claude-sonnet-4-5', sonnet45Deprecated({ id: 'claude-sonnet-4-5' }))).toBe(
      'claude-sonnet-4-5 → claude-sonnet-4-5-20250929 (deprecated, retires 2027-02-05; claude-sonnet-5 replaces it)',
    );
    expect(formatModelInfo('claude-3-7-sonnet-20250219', sonnet45Deprecated({ id: 'claude-3-7-sonnet-20250219', resolved_id: 'claude-3-7-sonnet-20250219', lifecycle: 'retired' }))).toBe(
      'claude-3-7-sonnet-20250219 (retired: requests naming it fail; claude-sonnet-5 replaces it)',
    );
    expect(formatModelInfo('claude-sonnet-9', { id: 'claude-sonnet-9', resolved_id: null, display_name: null, lifecycle: 'unknown', retires_at: null, replacement: 'claude-sonnet-5' })).toBe(
      'claude-sonnet-9 (unknown to the Anthropic API; try claude-sonnet-5)',
    );
    expect(formatModelInfo('claude-sonnet-9', { id: 'claude-sonnet-9', resolved_id: null, display_name: null, lifecycle: null, retires_at: null, replacement: null })).toBe('claude-sonnet-9');
    // Information about another model (status raced a config change) is not shown.
    expect(formatModelInfo('opus', sonnet45Deprecated())).toBe('opus');
  });
});

describe('history views', () => {
  const events = [
    { seq: 3, at: '2026-12-06T00:00:02.000Z', type: 'restart_scheduled', delay_ms: 0 },
    { seq: 2, at: '2026-12-06T00:00:01.000Z', type: 'crashed', pid: 42, code: null, signal: 'SIGKILL', ran_for_ms: 65_000, reason: 'exit', message: 'server was killed by SIGKILL', log_tail: ['a', 'b'] },
    { seq: 1, at: '2026-12-06T00:00:00.000Z', type: 'starting', pid: 42, cause: 'autostart' },
  ] as HistoryEvent[];

  it('prints the history as a table, oldest at the top', () => {
    expect(formatHistory(events).split('\n')).toEqual([
      '#  time                      event              pid  code/signal  ran for  reason',
      '1  2026-12-06T00:00:00.000Z  starting           42   -            -        autostart',
      '2  2026-12-06T00:00:01.000Z  crashed            42   SIGKILL      1m 5s    exit: server was killed by SIGKILL',
      '3  2026-12-06T00:00:02.000Z  restart_scheduled  -    -            -        in 0ms',
    ]);
    expect(formatHistory([])).toBe('(no events yet)');
  });

  it('prints one event per line, and a crash with its log tail', () => {
    expect(formatEventLine(events[1] as HistoryEvent)).toBe('2026-12-06T00:00:01.000Z #2 crashed pid 42 SIGKILL ran 1m 5s exit: server was killed by SIGKILL');
    expect(formatCrash(events[1] as Extract<HistoryEvent, { type: 'crashed' }>).split('\n')).toEqual([
      'crash #2 at 2026-12-06T00:00:01.000Z: pid 42 SIGKILL ran 1m 5s exit: server was killed by SIGKILL',
      'last 2 lines of server.log before it died:',
      'a',
      'b',
    ]);
  });
});
