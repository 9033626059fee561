// Checks of the history (`GET /supervisor/history`) and its stream (`GET /supervisor/events`): seq strictly
// increasing and without gaps, and one seq always the same event, whichever supervisor answered. Pure: fed answers
// and events, returns findings.

/**
 * @typedef {{ kind: 'violation', what: string, detail: Record<string, unknown> }
 *   | { kind: 'gap', from: number, to: number }} EventFinding
 * `gap`: seqs skipped by a stream; a violation unless they were trimmed from history.jsonl (the newest 1,000 are kept).
 */

/**
 * Every event seen, by seq: the same seq must always be the same event (a seq given twice means an event was lost
 * or rewritten).
 * @typedef {object} EventLedger
 * @property {(event: { seq: number, type: string, at: string }, where: string) => EventFinding | null} observe
 * @property {() => number} maxSeq the highest seq seen so far (-1: none)
 * @property {() => number} size
 */

/** @returns {EventLedger} */
export function createEventLedger() {
  /** @type {Map<number, { signature: string, where: string }>} */
  const seen = new Map();
  let max = -1;
  return {
    observe(event, where) {
      const signature = `${event.type} at ${event.at}`;
      const before = seen.get(event.seq);
      max = Math.max(max, event.seq);
      if (!before) {
        seen.set(event.seq, { signature, where });
        return null;
      }
      if (before.signature === signature) return null;
      return { kind: 'violation', what: 'one seq named two different events', detail: { seq: event.seq, first: `${before.signature} (${before.where})`, now: `${signature} (${where})` } };
    },
    maxSeq: () => max,
    size: () => seen.size,
  };
}

/**
 * One logical client of /supervisor/events across its connections.
 * @param {EventLedger} ledger
 */
export function createEventStreamCheck(ledger) {
  /** @type {number | null} */
  let lastSeq = null;
  let events = 0;
  let resumes = 0;
  return {
    /** A new connection: `resumeAfter` is the Last-Event-ID sent (null: a fresh start). @param {number | null} resumeAfter */
    connected(resumeAfter) {
      if (resumeAfter === null) lastSeq = null;
      else resumes += 1;
    },
    /**
     * One event.
     * @param {string | undefined} idText
     * @param {string} data
     * @returns {EventFinding[]}
     */
    event(idText, data) {
      events += 1;
      /** @type {EventFinding[]} */
      const findings = [];
      /** @type {any} */
      let event;
      try {
        event = JSON.parse(data);
      } catch {
        return [{ kind: 'violation', what: 'an event whose data is not JSON', detail: { data: data.slice(0, 80) } }];
      }
      const id = Number(idText);
      if (!Number.isSafeInteger(id) || event?.seq !== id) {
        return [{ kind: 'violation', what: 'an event whose id is not its seq', detail: { id: idText, seq: event?.seq } }];
      }
      if (lastSeq !== null && id <= lastSeq) {
        findings.push({ kind: 'violation', what: id === lastSeq ? 'an event received twice' : 'event ids went backwards', detail: { previous: lastSeq, id } });
      } else if (lastSeq !== null && id > lastSeq + 1) {
        findings.push({ kind: 'gap', from: lastSeq + 1, to: id - 1 });
      }
      lastSeq = Math.max(lastSeq ?? id, id);
      const same = ledger.observe(event, 'events stream');
      if (same) findings.push(same);
      return findings;
    },
    lastId: () => lastSeq,
    counts: () => ({ events, resumes }),
  };
}

/**
 * Checks one history answer (`events` newest first): seq strictly decreasing without gaps, none older than what the
 * soak had already seen before it asked (`floor`, the ledger's highest seq when the request was sent: the route
 * writes what is queued before it answers, so nothing seen can be missing), each seq the event seen before.
 * @param {EventLedger} ledger
 * @param {{ events: { seq: number, type: string, at: string }[], count: number }} answer
 * @param {number} floor
 * @returns {EventFinding[]}
 */
export function checkHistoryAnswer(ledger, answer, floor) {
  /** @type {EventFinding[]} */
  const findings = [];
  const seqs = answer.events.map((e) => e.seq);
  for (let i = 1; i < seqs.length; i += 1) {
    const newer = /** @type {number} */ (seqs[i - 1]);
    const older = /** @type {number} */ (seqs[i]);
    if (older >= newer) findings.push({ kind: 'violation', what: 'history seq not strictly increasing', detail: { newer, older } });
    else if (older !== newer - 1) findings.push({ kind: 'violation', what: 'history has a gap in seq', detail: { newer, older } });
  }
  const newest = seqs[0] ?? -1;
  if (newest < floor) {
    findings.push({ kind: 'violation', what: 'history lost events already seen', detail: { newest, alreadySeen: floor } });
  }
  for (const event of answer.events) {
    const same = ledger.observe(event, 'history');
    if (same) findings.push(same);
  }
  return findings;
}
