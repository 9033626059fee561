/**
 * How long the server asked us to wait, in ms: `retry-after-ms`, else `retry-after` as seconds or an HTTP date.
 * Null when neither header is usable.
 */
export function retryAfterMs(headers: Record<string, unknown>, now: number): number | null {
  const ms = headerNumber(headers['retry-after-ms']);
  if (ms !== null) return ms;
  const raw = headerText(headers['retry-after']);
  if (raw === null) return null;
  const seconds = headerNumber(raw);
  if (seconds !== null) return Math.round(seconds * 1000);
  // Only an HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`) is read as a date; Date.parse also takes "-1" as a year.
  const date = /[a-z]/i.test(raw) ? Date.parse(raw) : Number.NaN;
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

function headerText(value: unknown): string | null {
  if (Array.isArray(value)) return headerText(value[0]);
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

function headerNumber(value: unknown): number | null {
  const text = headerText(value);
  if (text === null || !/^\d+(\.\d+)?$/.test(text)) return null;
  return Number(text);
}
