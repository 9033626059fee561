// What the files on disk hold, for the soak to judge a finding: a line missing from a client's stream is a resume or
// follow bug only if the line is on disk (or another client got it); lines lost in the documented rotation window
// (docs/logs.md) never reached any file, and lines rotated out of the last backup are gone for everyone.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkCells, endMarker } from './flood-lines.mjs';

/**
 * How each asked line of `writer` is on disk: `complete` (all its cells and its end), `partial` (begun, not whole),
 * `absent`. Files are read newest first, so a rotation while reading moves bytes into a file not yet read rather than
 * out of one already read; they are then joined oldest first, as the log stream counts them.
 * @param {string} logDir
 * @param {number} backups supervisor.log_backups
 * @param {string} writer
 * @param {readonly number[]} ks
 * @returns {Map<number, 'complete' | 'partial' | 'absent'>}
 */
export function linesOnDisk(logDir, backups, writer, ks) {
  /** @type {string[]} */
  const texts = [];
  for (let i = 0; i <= backups; i += 1) {
    try {
      texts.push(readFileSync(join(logDir, i === 0 ? 'server.log' : `server.log.${i}`), 'latin1'));
    } catch {
      // not there (yet)
    }
  }
  const all = texts.reverse().join('');
  /** @type {Map<number, 'complete' | 'partial' | 'absent'>} */
  const states = new Map();
  for (const k of ks) {
    const at = all.indexOf(`SOAK ${writer}:${k} `);
    if (at < 0) {
      states.set(k, 'absent');
      continue;
    }
    const newline = all.indexOf('\n', at);
    const line = all.slice(at, newline < 0 ? all.length : newline);
    const cells = Number(/ n=(\d+) /.exec(line)?.[1] ?? -1);
    states.set(k, line.endsWith(endMarker(writer, k)) && checkCells(line, cells).ok ? 'complete' : 'partial');
  }
  return states;
}

/**
 * The oldest seq history.jsonl still holds (it keeps the newest 1,000 events), or null when it holds none.
 * @param {string} logDir
 */
export function oldestHistorySeq(logDir) {
  let text;
  try {
    text = readFileSync(join(logDir, 'history.jsonl'), 'utf8');
  } catch {
    return null;
  }
  for (const line of text.split('\n')) {
    try {
      const seq = JSON.parse(line).seq;
      if (Number.isSafeInteger(seq)) return seq;
    } catch {
      // a torn line
    }
  }
  return null;
}

/**
 * Whether history.jsonl holds each seq in [from, to].
 * @param {string} logDir
 * @param {number} from
 * @param {number} to
 */
export function historyHolds(logDir, from, to) {
  /** @type {Set<number>} */
  const seqs = new Set();
  try {
    for (const line of readFileSync(join(logDir, 'history.jsonl'), 'utf8').split('\n')) {
      try {
        seqs.add(JSON.parse(line).seq);
      } catch {
        // a torn line
      }
    }
  } catch {
    // no file
  }
  for (let s = from; s <= to; s += 1) if (!seqs.has(s)) return false;
  return true;
}
