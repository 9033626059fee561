import { layoutEnd, layoutStart, readRange, type LogLayout } from './log-layout.js';

/** Where the last lines of the log begin and end, as stream offsets. */
export interface TailRange {
  /** Offset of the first byte of the first of the last `n` lines. */
  start: number;
  /** Offset after the last complete line (or after the unfinished one, when it is counted). */
  end: number;
}

const CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

/**
 * Finds the last `n` lines by reading backwards from the end in chunks (never the whole file). An unfinished last
 * line (no newline yet) counts only with `countPartial`; otherwise it is left for the follower.
 */
export function findTailStart(layout: LogLayout, n: number, options: { countPartial?: boolean } = {}): TailRange {
  const oldest = layoutStart(layout);
  const eof = layoutEnd(layout);
  const lastNewline = nthNewlineBefore(layout, eof, oldest, 1);
  const completeEnd = lastNewline === -1 ? oldest : lastNewline + 1;
  const partialCounted = options.countPartial === true && completeEnd < eof;
  const end = partialCounted ? eof : completeEnd;
  if (n <= 0) return { start: end, end };
  const wanted = partialCounted ? n - 1 : n;
  if (wanted === 0) return { start: completeEnd, end };
  if (completeEnd === oldest) return { start: oldest, end };
  // The last complete line ends with the newline at completeEnd - 1; the wanted-th newline before it opens the range.
  const opening = nthNewlineBefore(layout, completeEnd - 1, oldest, wanted);
  return { start: opening === -1 ? oldest : opening + 1, end };
}

// The offset of the count-th newline found scanning backwards from `before` (exclusive) down to `floor`, or -1.
function nthNewlineBefore(layout: LogLayout, before: number, floor: number, count: number): number {
  let remaining = count;
  for (const at of newlinesBackwards(layout, before, floor)) {
    remaining -= 1;
    if (remaining === 0) return at;
  }
  return -1;
}

/**
 * The offsets of the newlines between `floor` and `before` (exclusive), nearest first, read backwards in 64 KiB
 * chunks as they are asked for (never the whole file). Stops early if a file shrank under the reader.
 */
export function* newlinesBackwards(layout: LogLayout, before: number, floor: number): Generator<number, void, undefined> {
  let to = before;
  while (to > floor) {
    const from = Math.max(floor, to - CHUNK_BYTES);
    const chunk = readRange(layout, from, to);
    // A segment may have shrunk since the layout was read: never loop on a short read.
    if (chunk.length < to - from) return;
    for (let at = chunk.lastIndexOf(NEWLINE); at !== -1; at = at === 0 ? -1 : chunk.lastIndexOf(NEWLINE, at - 1)) {
      yield from + at;
    }
    to = from;
  }
}
