import { REDACTED } from './redact-config.js';

export { REDACTED };

// Configured secrets shorter than this are not matched verbatim: they would blank out ordinary words.
const MIN_SECRET_LENGTH = 6;

// Names ending in these words mark the value after them as a secret (`ANTHROPIC_API_KEY=`, `"access_token": `).
const NAME_END = String.raw`(?:token|key|secret|passw(?:or)?d|credentials?)`;
// A value: quoted (to its closing quote, or to the end of the line if there is none) or up to a delimiter.
// Every character has exactly one way to match, so no input can make these patterns backtrack badly.
const VALUE = String.raw`(?:"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|[^\s,;&"'}\]]+)`;

// Each pattern matches only the secret itself; what precedes it is checked by a bounded lookbehind, never rescanned.
const patterns: readonly RegExp[] = [
  // JSON / dict form: "api_key": "value", 'refresh_token': 'value'.
  new RegExp(String.raw`(?<=${NAME_END}["'][ \t]{0,8}:[ \t]{0,8})${VALUE}`, 'gi'),
  // NAME=value (env dumps, query strings, flags), value quoted or bare.
  new RegExp(String.raw`(?<=${NAME_END}["']?[ \t]{0,8}=[ \t]{0,8})${VALUE}`, 'gi'),
  // name: value (YAML, headers); a space after the colon, so "token:abc" in a URL-ish word is left alone.
  new RegExp(String.raw`(?<=${NAME_END}:[ \t]{1,8})${VALUE}`, 'gi'),
  // HTTP auth headers: Authorization: Bearer|Basic|Token <credential>.
  /(?<=\bauthorization["']?[ \t]{0,8}[:=][ \t]{0,8}["']?(?:bearer|basic|token)[ \t]{1,8})[A-Za-z0-9._~+/=-]+/gi,
  /(?<=\bbearer[ \t]{1,8})[A-Za-z0-9._~+/-]{16,}=*/gi,
  // Anthropic keys and OAuth tokens (sk-ant-api03-…, sk-ant-oat01-…) wherever they appear.
  /\bsk-ant-[A-Za-z0-9_-]+/g,
  // Parachute tokens (para_…).
  /\bpara_[A-Za-z0-9_-]{8,}/g,
];

// Cheap first look: a line with none of these words cannot match any pattern above (most lines), so skip them.
const mightHoldSecret = /token|key|secret|passw|credential|bearer|authorization|sk-ant-|para_/i;

/** A function that redacts one log line. */
export type LineRedactor = (line: string) => string;

/** Builds a redactor for the token shapes and NAME=value forms above plus these exact configured secret values. */
export function createLineRedactor(secrets: readonly string[] = []): LineRedactor {
  const exact = exactSecretsPattern(secrets);
  return (line) => {
    let out = exact ? line.replace(exact, REDACTED) : line;
    if (!mightHoldSecret.test(out)) return out;
    for (const pattern of patterns) out = out.replace(pattern, REDACTED);
    return out;
  };
}

/** Redacts one line (convenience form of createLineRedactor for a single use). */
export function redactLine(line: string, secrets: readonly string[] = []): string {
  return createLineRedactor(secrets)(line);
}

// Longest first, so a secret that contains another is replaced whole.
function exactSecretsPattern(secrets: readonly string[]): RegExp | null {
  const usable = [...new Set(secrets.filter((s) => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH))];
  if (usable.length === 0) return null;
  usable.sort((a, b) => b.length - a.length);
  return new RegExp(usable.map(escapeRegExp).join('|'), 'g');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
