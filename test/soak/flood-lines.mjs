// The lines the soak's server prints on request, and how a reader checks one it received. A line names its writer (its
// pid and a random tag, since pids are reused) and its number, `SOAK <writer>:<k> n=<cells> `, carries `cells`
// numbered cells of CELL bytes (`c000042......`) with planted secrets between some of them, and ends with
// ` END <writer>:<k>`. Redaction replaces the secrets but never touches a cell, so a reader can tell from the text
// alone whether it got the whole line, once, in order — however the supervisor cut it into pieces, and wherever a
// client resumed.

/** Bytes per cell. */
export const CELL = 64;
/** Lines longer than this are sent in pieces by the supervisor (docs/logs.md). */
export const PIECE_BYTES = 64 * 1024;

/** @param {number} i */
export function cellText(i) {
  return `c${String(i).padStart(6, '0')}${'.'.repeat(CELL - 7)}`;
}

/**
 * One line (without its newline). Secrets go between cells, at most one URL form per line (a URL password is
 * redacted up to the line's last `@`, so two would swallow the cells between them).
 * @param {{ writer: string, k: number, cells: number, secrets: readonly { kind: string, text: string }[], prng: import('./prng.mjs').Prng, secretEvery: number }} options
 *   `secretEvery`: on average one secret per that many cells (0: none)
 */
export function floodLine({ writer, k, cells, secrets, prng, secretEvery }) {
  const parts = [`SOAK ${writer}:${k} n=${cells} `];
  let urlUsed = false;
  for (let i = 0; i < cells; i += 1) {
    if (secretEvery > 0 && secrets.length > 0 && prng.next() < 1 / secretEvery) {
      const secret = prng.pick(secrets);
      const isUrl = secret.kind === 'url userinfo';
      if (!isUrl || !urlUsed) {
        urlUsed ||= isUrl;
        parts.push(` ${secret.text} `);
      }
    }
    parts.push(cellText(i));
  }
  parts.push(endMarker(writer, k));
  return parts.join('');
}

/** @param {string} writer @param {number} k */
export function endMarker(writer, k) {
  return ` END ${writer}:${k}`;
}

/**
 * The header of a flood line, or null when `text` does not begin one.
 * @param {string} text
 * @returns {{ writer: string, k: number, cells: number } | null}
 */
export function parseHeader(text) {
  const match = /^SOAK ([0-9a-z]+):(\d+) n=(\d+) /.exec(text);
  return match ? { writer: String(match[1]), k: Number(match[2]), cells: Number(match[3]) } : null;
}

/** True for text that can only be part of a flood line's body (a piece sent without its line's start). */
export function looksLikeCells(/** @type {string} */ text) {
  return /c\d{6}\./.test(text) && !text.startsWith('SOAK ');
}

/**
 * What a received line's cells say: every cell 0..n-1 once and in order, or which are missing and which repeat.
 * @param {string} text the whole line as received (pieces joined)
 * @param {number} cells how many its header announced
 * @returns {{ ok: boolean, missing: number[], repeated: number[] }} (each list cut at 20)
 */
export function checkCells(text, cells) {
  /** @type {number[]} */
  const missing = [];
  /** @type {number[]} */
  const repeated = [];
  let expected = 0;
  for (const match of text.matchAll(/c(\d{6})\./g)) {
    const i = Number(match[1]);
    if (i === expected) expected += 1;
    else if (i < expected) {
      if (repeated.length < 20) repeated.push(i);
    } else {
      for (let m = expected; m < i && missing.length < 20; m += 1) missing.push(m);
      expected = i + 1;
    }
  }
  for (let m = expected; m < cells && missing.length < 20; m += 1) missing.push(m);
  return { ok: missing.length === 0 && repeated.length === 0, missing, repeated };
}
