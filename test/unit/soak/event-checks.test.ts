import { checkHistoryAnswer, createEventLedger, createEventStreamCheck } from '../../soak/event-checks.mjs';

const event = (seq: number, type = 'running', at = `2026-12-06T10:00:${String(seq % 60).padStart(2, '0')}.000Z`) => ({ seq, type, at });
const sse = (seq: number, type?: string) => ({ id: String(seq), data: JSON.stringify(event(seq, type)) });

describe('soak event checks (recorded traces)', () => {
  it('finds nothing wrong in a stream resumed without gap, and a history answer that agrees with it', () => {
    const ledger = createEventLedger();
    const check = createEventStreamCheck(ledger);
    check.connected(null);
    const findings = [sse(4), sse(5)].flatMap((e) => check.event(e.id, e.data));
    check.connected(5);
    findings.push(...[sse(6), sse(7)].flatMap((e) => check.event(e.id, e.data)));
    expect(findings).toEqual([]);
    expect(checkHistoryAnswer(ledger, { events: [event(8), event(7), event(6)], count: 3 }, ledger.maxSeq())).toEqual([]);
  });

  it('reports a seq going backwards, a seq received twice, and a gap', () => {
    const check = createEventStreamCheck(createEventLedger());
    check.connected(null);
    expect([sse(10), sse(11), sse(9)].flatMap((e) => check.event(e.id, e.data))).toEqual([expect.objectContaining({ kind: 'violation', what: 'event ids went backwards' })]);
    expect(check.event(...(Object.values(sse(11)) as [string, string]))).toEqual([expect.objectContaining({ kind: 'violation', what: 'an event received twice' })]);
    expect(check.event(...(Object.values(sse(14)) as [string, string]))).toEqual([{ kind: 'gap', from: 12, to: 13 }]);
  });

  it('reports an event whose id is not its seq', () => {
    const check = createEventStreamCheck(createEventLedger());
    expect(check.event('3', JSON.stringify(event(4)))).toEqual([expect.objectContaining({ what: 'an event whose id is not its seq' })]);
  });

  it('reports one seq naming two different events (a seq given out twice after a supervisor restart)', () => {
    const ledger = createEventLedger();
    const check = createEventStreamCheck(ledger);
    check.event(...(Object.values(sse(20, 'crashed')) as [string, string]));
    expect(checkHistoryAnswer(ledger, { events: [event(21), event(20, 'supervisor_started')], count: 2 }, 20)).toEqual([
      expect.objectContaining({ kind: 'violation', what: 'one seq named two different events' }),
    ]);
  });

  it('reports a history answer whose seq goes backwards, has a gap, or lacks events already seen', () => {
    const ledger = createEventLedger();
    expect(checkHistoryAnswer(ledger, { events: [event(5), event(6)], count: 2 }, -1)).toEqual([expect.objectContaining({ what: 'history seq not strictly increasing' })]);
    expect(checkHistoryAnswer(ledger, { events: [event(9), event(7)], count: 2 }, -1)).toEqual([expect.objectContaining({ what: 'history has a gap in seq' })]);
    expect(checkHistoryAnswer(ledger, { events: [event(9)], count: 1 }, 12)).toEqual([expect.objectContaining({ what: 'history lost events already seen' })]);
    expect(checkHistoryAnswer(ledger, { events: [], count: 0 }, 12)).toEqual([expect.objectContaining({ what: 'history lost events already seen' })]);
  });
});
