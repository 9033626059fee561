import { SupervisorError } from '../../../src/errors.js';
import { parseLastEventId, parseLogsQuery } from '../../../src/http/logs.params.js';

describe('parseLogsQuery', () => {
  it('defaults to the last 50 lines, following', () => {
    expect(parseLogsQuery({})).toEqual({ lines: 50, follow: true });
  });

  it('accepts 0 to 10000 lines and true/false/1/0 for follow', () => {
    expect(parseLogsQuery({ lines: '0', follow: 'false' })).toEqual({ lines: 0, follow: false });
    expect(parseLogsQuery({ lines: '10000', follow: '1' })).toEqual({ lines: 10000, follow: true });
  });

  it.each([['abc'], ['-1'], ['10001'], ['1e3'], [''], [['5', '6']]])('rejects lines=%j with a coded 400 naming it', (lines) => {
    const attempt = () => parseLogsQuery({ lines });
    expect(attempt).toThrow(SupervisorError);
    expect(attempt).toThrow(/lines must be an integer from 0 to 10000, got/);
    try {
      attempt();
    } catch (error) {
      expect((error as SupervisorError).status).toBe(400);
    }
  });

  it('rejects an unknown follow value', () => {
    expect(() => parseLogsQuery({ follow: 'yes please' })).toThrow(/follow must be true or false/);
  });
});

describe('parseLastEventId', () => {
  it('reads our numeric ids (0 included) and ignores anything else', () => {
    expect(parseLastEventId('0')).toBe(0);
    expect(parseLastEventId(' 1234 ')).toBe(1234);
    expect(parseLastEventId('')).toBeNull();
    expect(parseLastEventId('3f2a-uuid')).toBeNull();
    expect(parseLastEventId('-5')).toBeNull();
  });
});
