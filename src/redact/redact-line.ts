import { REDACTED } from './redact-config.js';
import { createSecretScanner, type SecretScanner, type SecretSpan } from './secret-patterns.js';

export { REDACTED };

/** A function that redacts one whole line. */
export type LineRedactor = (line: string) => string;

/**
 * Builds a redactor for the token shapes and NAME=value forms of `secret-patterns.ts` plus these exact configured
 * secret values. For a line that arrives in pieces, use `PieceRedactor` (`redact-pieces.ts`).
 */
export function createLineRedactor(secrets: readonly string[] = []): LineRedactor {
  const scanner = createSecretScanner(secrets);
  return (line) => redactWith(scanner, line);
}

/** Redacts one line (convenience form of createLineRedactor for a single use). */
export function redactLine(line: string, secrets: readonly string[] = []): string {
  return createLineRedactor(secrets)(line);
}

/** Redacts a whole line with a compiled scanner. */
export function redactWith(scanner: SecretScanner, line: string): string {
  return hideSpans(line, scanner.scan(line, 'line').spans);
}

/**
 * Replaces the spans (in the coordinates where `text` starts at `offset`) by "[REDACTED]"; overlapping and touching
 * spans become one, and parts outside the text are ignored.
 */
export function hideSpans(text: string, spans: readonly SecretSpan[], offset = 0): string {
  const inside = spans
    .map((s) => ({ start: Math.max(s.start - offset, 0), end: Math.min(s.end - offset, text.length) }))
    .filter((s) => s.end > s.start)
    .sort((a, b) => a.start - b.start);
  if (inside.length === 0) return text;
  let out = '';
  let at = 0;
  let hiddenTo = -1;
  for (const span of inside) {
    if (span.start > hiddenTo) {
      out += text.slice(at, span.start) + REDACTED;
    }
    hiddenTo = Math.max(hiddenTo, span.end);
    at = hiddenTo;
  }
  return out + text.slice(at);
}
