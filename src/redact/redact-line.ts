/** What replaces a secret in a redacted line. */
export const REDACTED = '[REDACTED]';

// Configured secrets shorter than this are not matched verbatim: they would blank out ordinary words.
const MIN_SECRET_LENGTH = 6;

// Names that mark the value after them as a secret (`ANTHROPIC_API_KEY=`, `"access_token": `, `Password: `).
const SECRET_NAME = String.raw`[A-Za-z0-9_.-]*(?:token|key|secret|password|passwd|credentials?)`;

// Each pattern keeps its first group (the name and separator) and replaces the rest with REDACTED.
const patterns: readonly RegExp[] = [
  // JSON form: "api_key": "value" (also single quotes); the value may hold escaped quotes.
  new RegExp(String.raw`((["'])${SECRET_NAME}\2\s*:\s*)(["'])(?:\\.|(?!\3).)*\3`, 'gi'),
  // NAME=value and NAME: value, value quoted or up to whitespace / , ; & (env dumps, query strings, YAML).
  new RegExp(String.raw`(\b${SECRET_NAME}\b["']?\s*(?:=|:\s)\s*)(?:"(?:\\.|[^"])*"|'[^']*'|[^\s,;&"'}]+)`, 'gi'),
  // HTTP auth headers and their values: Authorization: Bearer xxx.
  /(\bauthorization["']?\s*[:=]\s*["']?(?:bearer|basic|token)\s+)[A-Za-z0-9._~+/=-]+/gi,
  /(\bbearer\s+)[A-Za-z0-9._~+/-]{16,}=*/gi,
  // Anthropic keys and OAuth tokens (sk-ant-api03-…, sk-ant-oat01-…) wherever they appear.
  /()\bsk-ant-[A-Za-z0-9_-]+/g,
  // Parachute tokens (para_…).
  /()\bpara_[A-Za-z0-9_-]{8,}/g,
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
    for (const pattern of patterns) out = out.replace(pattern, (_match, keep: string) => `${keep}${REDACTED}`);
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
