import { LineSplitter } from './line-splitter.js';
import { layoutEnd, layoutStart, readRange, type LogLayout } from './log-layout.js';
import { newlinesBackwards } from './log-tail.js';

/** How far back a reader starting in the middle of a line looks for the line's start (secrets begun before it). */
export const LINE_CONTEXT_BYTES = 1024 * 1024;

const CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

/**
 * The text of the line that `offset` falls in, from the line's start (or `maxBytes` before `offset`, whichever is
 * nearer) up to `offset`, in bounded pieces: what a reader resuming mid-line needs to redact what follows as part of
 * the whole line. Nothing when `offset` is a line start or outside the log.
 */
export function* lineTextBefore(layout: LogLayout, offset: number, maxBytes = LINE_CONTEXT_BYTES): Generator<string, void, undefined> {
  if (offset > layoutEnd(layout)) return;
  const floor = Math.max(layoutStart(layout), offset - maxBytes);
  // The common case, a line start (a tail start, or the id of a whole line), costs one byte read.
  if (offset <= floor || readRange(layout, offset - 1, offset)[0] === NEWLINE) return;
  const { value: newline } = newlinesBackwards(layout, offset, floor).next();
  const start = newline === undefined ? floor : newline + 1;
  const splitter = new LineSplitter(start, CHUNK_BYTES);
  for (let at = start; at < offset; ) {
    const bytes = readRange(layout, at, Math.min(offset, at + CHUNK_BYTES));
    if (bytes.length === 0) return;
    at += bytes.length;
    for (const piece of splitter.push(bytes)) yield piece.text;
  }
  for (const piece of splitter.flush()) yield piece.text;
}
