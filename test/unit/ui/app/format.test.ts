import { familyLabel, formatAge, formatBytes, formatDuration, formatMs, formatTokens, formatUptime, formatVersion, stripAnsi, toEpochMs } from '../../../../src/ui/app/format.js';
import { activePaths, formatStateValue, parseEvent, parseSnapshot, topLevelState } from '../../../../src/ui/app/inspection.js';

describe('format', () => {
  it.each([
    [0, '0s'],
    [59, '59s'],
    [300, '5m'],
    [3600, '1h'],
    [7500, '2h 5m'],
    [86400, '1d'],
    [266400, '3d 2h'],
  ])('formats %d seconds as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  it('writes short spans, context windows and ages for people', () => {
    expect([formatMs(85), formatMs(1530), formatMs(90_000)]).toEqual(['85 ms', '1.5 s', '1m']);
    expect([formatTokens(1_000_000), formatTokens(1_500_000), formatTokens(200_000), formatTokens(8_192), formatTokens(512)]).toEqual(['1M', '1.5M', '200K', '8K', '512']);
    expect([formatAge(30_000), formatAge(3 * 60_000), formatAge(2 * 3_600_000), formatAge(3 * 86_400_000)]).toEqual(['just now', '3 min ago', '2 h ago', '3 d ago']);
  });

  it('writes uptime as "Up 5m", and nothing without one', () => {
    expect(formatUptime(300)).toBe('Up 5m');
    expect(formatUptime(null)).toBeNull();
  });

  it('formats bytes, family names, timestamps and strips terminal colours', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(50 * 1024 * 1024)).toBe('50 MiB');
    expect(familyLabel('sonnet')).toBe('Sonnet');
    expect(familyLabel('')).toBe('Other');
    expect(toEpochMs(1_700_000_000)).toBe(1_700_000_000_000);
    expect(toEpochMs('2025-01-01T00:00:00Z')).toBe(Date.UTC(2025, 0, 1));
    expect(toEpochMs('soon')).toBeNull();
    expect(stripAnsi('\u001b[32mready\u001b[0m on :3333')).toBe('ready on :3333');
  });
});

describe('inspection messages', () => {
  it('parses a snapshot and an event in the agreed format', () => {
    expect(parseSnapshot('{"actor":"server","value":{"crashed":"backoff"},"status":"active","context":{"pid":1},"at":5}')).toEqual({
      actor: 'server',
      value: { crashed: 'backoff' },
      status: 'active',
      context: { pid: 1 },
      at: 5,
    });
    expect(parseEvent('{"actor":"server","type":"server.restart","event":{"type":"server.restart"},"at":6}')).toEqual({
      actor: 'server',
      type: 'server.restart',
      event: { type: 'server.restart' },
      at: 6,
    });
  });

  it('rejects messages that are not in the format', () => {
    expect(parseSnapshot('not json')).toBeNull();
    expect(parseSnapshot('{"actor":"server","value":3}')).toBeNull();
    expect(parseEvent('{"actor":"server"}')).toBeNull();
  });

  it('lists active paths, ancestors included, and formats values', () => {
    expect(activePaths('running')).toEqual(['running']);
    expect(activePaths({ crashed: 'backoff' })).toEqual(['crashed', 'crashed.backoff']);
    expect(activePaths({ p: { a: 'x', b: 'y' } })).toEqual(['p', 'p.a', 'p.a.x', 'p.b', 'p.b.y']);
    expect(formatStateValue({ crashed: 'backoff' })).toBe('crashed.backoff');
    expect(topLevelState({ crashed: 'backoff' })).toBe('crashed');
    expect(topLevelState({ a: 'x', b: 'y' })).toBeNull();
  });
});

describe('formatVersion', () => {
  it('prefixes numeric versions with v once and leaves named ones alone', () => {
    expect(formatVersion('1.2.3')).toBe('v1.2.3');
    expect(formatVersion('v1.2.3')).toBe('v1.2.3');
    expect(formatVersion('demo-1.0.0')).toBe('demo-1.0.0');
  });
});
