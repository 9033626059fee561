import { exitText, historyRows } from '../../../../src/ui/app/history.view.js';
import { uiEvent, uiEventAt } from '../../../support/ui-fixtures.js';

describe('history rows', () => {
  const now = uiEventAt(30);

  it('says what happened, with the signal or exit code and how long the server ran, and keeps a crash’s log tail', () => {
    const [crash] = historyRows([uiEvent.crashed(12)], now);
    expect(crash).toMatchObject({
      seq: 12,
      title: 'Crashed: server was killed by SIGKILL',
      tone: 'bad',
      exit: 'SIGKILL',
      ranFor: 'ran for 1m',
      tail: ['listening on 3333', 'handling a request'],
    });
    expect(crash?.when).toMatch(/^\d\d:\d\d:\d\d$/);
  });

  it('describes every kind of event in words', () => {
    const rows = historyRows(
      [uiEvent.starting(1), uiEvent.running(2), uiEvent.restartScheduled(3, 1_500), uiEvent.gaveUp(4), uiEvent.halted(5), uiEvent.stopping(6), uiEvent.stopped(7), uiEvent.configApplied(8)],
      now,
    );
    expect(rows.map((r) => [r.title, r.exit])).toEqual([
      ['Starting (pid 5151) after a crash', null],
      ['Running (pid 5151), ready in 120 ms', null],
      ['Restart in 1.5 s', null],
      ['Crash loop: 6 crashes within 1m, automatic restarts off', null],
      ['Halted: port 3333 is in use by pid 77 (python3)', null],
      ['Stopping (for a restart)', null],
      ['Stopped (pid 4242)', 'exit code 0'],
      ['Config applied: log_level', null],
    ]);
  });

  it('shows the date for another day', () => {
    const [row] = historyRows([uiEvent.running(2)], uiEventAt(2) + 3 * 86_400_000);
    expect(row?.when).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d\d:\d\d:\d\d$/);
  });

  it('writes an exit as its signal, else its code', () => {
    expect(exitText(null, 'SIGTERM')).toBe('SIGTERM');
    expect(exitText(3, null)).toBe('exit code 3');
    expect(exitText(null, null)).toBeNull();
  });
});
