// The config.yaml invariant of the soak: the file always parses, and every editable key holds the value of the last
// PUT answered 200 (or its value before any), or the value of the PUT under way; a refused value never appears, a
// rolled-back one never after its answer, and nothing else in the file ever changes. Pure: the soak tells it each PUT
// and its answer, and what it read from the file.

/**
 * One PUT as the model tracks it. `expect` is what the soak meant: `ok` (a valid value), `invalid` (refused before
 * anything is written), `rollback` (written, then restored when the server refuses to start on it).
 * @typedef {{ key: string, value: unknown, expect: 'ok' | 'invalid' | 'rollback' }} ConfigPut
 */

/** @typedef {{ kind: 'violation', what: string, detail: Record<string, unknown> }} ConfigFinding */

/**
 * @param {Record<string, unknown>} initial the file as the soak wrote it
 * @param {readonly string[]} editableKeys the keys PUTs may change (the others must never change)
 */
export function createConfigModel(initial, editableKeys) {
  const editable = new Set(editableKeys);
  /** @type {Map<string, unknown>} */
  const expected = new Map(editableKeys.map((key) => [key, initial[key]]));
  /** @type {Map<string, unknown[]>} values of PUTs that got no answer (the supervisor was killed under them): written or not */
  const uncertain = new Map();
  const fixed = JSON.stringify(withoutKeys(initial, editable));
  /** @type {ConfigPut | null} */
  let inFlight = null;
  const counts = { observed: 0, interrupted: 0, interruptedLeftInFile: 0 };

  return {
    /** A PUT is about to be sent (one at a time). @param {ConfigPut} put */
    begin(put) {
      if (inFlight) throw new Error(`config model: a PUT of ${inFlight.key} is still under way`);
      inFlight = put;
    },
    /**
     * Its answer: the HTTP status and `rolled_back`, or null when none came (connection cut).
     * @param {{ status: number, rolledBack: boolean } | null} answer
     * @returns {ConfigFinding[]}
     */
    answered(answer) {
      const put = inFlight;
      if (!put) throw new Error('config model: an answer without a PUT');
      inFlight = null;
      if (answer === null || (answer.status === 409 && !answer.rolledBack) || answer.status >= 500) {
        // No answer, or one that does not say the value is gone: it may be in the file.
        counts.interrupted += 1;
        uncertain.set(put.key, [...(uncertain.get(put.key) ?? []), put.value]);
        return [];
      }
      if (answer.status === 200) {
        expected.set(put.key, put.value);
        uncertain.delete(put.key);
        if (put.expect === 'rollback') {
          return [{ kind: 'violation', what: 'a change the server cannot start with was answered 200 (restarted on the new config?)', detail: { key: put.key, value: put.value } }];
        }
        if (put.expect === 'invalid') return [{ kind: 'violation', what: 'an invalid change was answered 200', detail: { key: put.key, value: put.value } }];
      }
      return [];
    },
    /**
     * What the file holds now (parsed), or the error that reading or parsing it gave.
     * @param {Record<string, unknown> | { error: string }} file
     * @returns {ConfigFinding[]}
     */
    observe(file) {
      counts.observed += 1;
      if ('error' in file && typeof file.error === 'string') return [{ kind: 'violation', what: 'config.yaml does not parse', detail: { error: file.error } }];
      const doc = /** @type {Record<string, unknown>} */ (file);
      /** @type {ConfigFinding[]} */
      const findings = [];
      for (const key of editable) {
        const actual = doc[key];
        const allowed = [expected.get(key), ...(uncertain.get(key) ?? [])];
        if (inFlight?.key === key && inFlight.expect !== 'invalid') allowed.push(inFlight.value);
        if (!allowed.some((value) => value === actual)) {
          findings.push({ kind: 'violation', what: `config.yaml holds a value of ${key} that no PUT was answered 200 for`, detail: { key, actual, expected: expected.get(key), underWay: inFlight, uncertain: uncertain.get(key) ?? [] } });
        } else if (!inFlight && actual !== expected.get(key)) {
          // An unanswered PUT did write its value: it is the file's value from now on.
          counts.interruptedLeftInFile += 1;
          expected.set(key, actual);
          uncertain.delete(key);
        }
      }
      const rest = JSON.stringify(withoutKeys(doc, editable));
      if (rest !== fixed) findings.push({ kind: 'violation', what: 'config.yaml changed outside the editable keys', detail: { now: rest.slice(0, 300), was: fixed.slice(0, 300) } });
      return findings;
    },
    /** The value of `key` the file should hold once no PUT is under way. @param {string} key */
    expected: (key) => expected.get(key),
    underWay: () => inFlight,
    counts: () => ({ ...counts }),
  };
}

/** @param {Record<string, unknown>} doc @param {Set<string>} keys */
function withoutKeys(doc, keys) {
  return Object.fromEntries(Object.entries(doc).filter(([key]) => !keys.has(key)));
}
