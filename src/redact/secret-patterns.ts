/** A stretch of scanned text to hide: [start, end). */
export interface SecretSpan {
  start: number;
  end: number;
}

/** A secret value that ran up to the end of the scanned text, so it may go on in the text that follows. */
export interface OpenValue {
  /** Where the scanned text cut the value off. */
  at: number;
  /** The value's remaining characters, matched (sticky) from `at` in text that includes what follows. */
  rest: RegExp;
}

/**
 * How scanned text ends: `line` — the line ends there; `cut` — a piece of a longer line, more of it follows (a value
 * reaching the end is reported as open); `unfinished` — the end of what is written so far, nothing more is known (a
 * credential or configured secret just begun there is hidden as if it went on).
 */
export type TextEnd = 'line' | 'cut' | 'unfinished';

/** What one scan found. */
export interface SecretScan {
  spans: SecretSpan[];
  /** Values cut off by the end of a `cut` text. */
  open: OpenValue[];
}

/** Finds the secrets in text: the token shapes and NAME=value forms below plus exact configured values. */
export interface SecretScanner {
  /**
   * Characters of context a piece of a line needs on each side so that every secret touching it, with what
   * identifies it (`api_key=`, `://user:`), is seen whole. Values that run on longer are carried on as `open`.
   */
  readonly reach: number;
  scan(text: string, end: TextEnd): SecretScan;
}

// Configured secrets shorter than this are not matched verbatim: they would blank out ordinary words.
const MIN_SECRET_LENGTH = 6;
// At an unfinished end, this much of the start of a configured secret is hidden (less would blank out common endings).
const MIN_SECRET_PREFIX = 4;
// Covers the longest bounded match with its context: a URL's `://user:` (≤ 132) plus its password (≤ 512) and `@`.
const BASE_REACH = 1024;
// Appended to an unfinished end before scanning, as the most secret-looking way the text could go on: token
// characters (a `Bearer` token or `para_` token that is still short) and an `@` (a URL whose userinfo is not ended).
const UNFINISHED_TAIL = 'x'.repeat(16) + '@';

// Names ending in these words mark the value after them as a secret (`ANTHROPIC_API_KEY=`, `"access_token": `,
// `x-api-key:`, `?sig=`).
const NAME_END = String.raw`(?:token|key|secret|passw(?:or)?d|credentials?|auth|sig(?:nature)?)`;
// A value: quoted (to its closing quote, or to the end of the line if there is none), a [list] (to its `]`), or up
// to a delimiter. Every character has exactly one way to match, so no input can make these patterns backtrack badly;
// the first character decides the kind, which is how a value cut at a piece's end is continued in the next one.
const VALUE = String.raw`(?:"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|\[[^\]]*\]?|[^\s,;&"'}\]]+)`;
const valueRest = {
  '"': /(?:[^"\\]|\\.)*"?/y,
  "'": /(?:[^'\\]|\\.)*'?/y,
  '[': /[^\]]*\]?/y,
  bare: /[^\s,;&"'}\]]*/y,
};
const tokenRest = /[A-Za-z0-9._~+/=-]*/y;
const keyRest = /[A-Za-z0-9_-]*/y;

interface SecretRule {
  pattern: RegExp;
  /** How a match cut off at the end of the text goes on; null when it is complete or cannot run on (bounded). */
  rest(match: string): RegExp | null;
}

// Each pattern matches only the secret itself; what precedes it is checked by a bounded lookbehind, never rescanned.
const rules: readonly SecretRule[] = [
  // NAME=value (env dumps, query strings, flags), name: value (YAML, headers, `x-api-key:value`), "name": "value"
  // (JSON, dicts); the value quoted, a list, or bare.
  { pattern: new RegExp(String.raw`(?<=${NAME_END}["']?[ \t]{0,8}[:=][ \t]{0,8})${VALUE}`, 'gi'), rest: restOfValue },
  // HTTP auth headers: Authorization: Bearer|Basic|Token <credential>.
  {
    pattern: /(?<=\bauthorization["']?[ \t]{0,8}[:=][ \t]{0,8}["']?(?:bearer|basic|token)[ \t]{1,8})[A-Za-z0-9._~+/=-]+/gi,
    rest: () => tokenRest,
  },
  { pattern: /(?<=\bbearer[ \t]{1,8})[A-Za-z0-9._~+/-]{16,}=*/gi, rest: () => tokenRest },
  // Anthropic keys and OAuth tokens (sk-ant-api03-…, sk-ant-oat01-…) wherever they appear, even glued to a word.
  { pattern: /sk-ant-[A-Za-z0-9_-]+/g, rest: () => keyRest },
  // Parachute tokens (para_…).
  { pattern: /\bpara_[A-Za-z0-9_-]{8,}/g, rest: () => keyRest },
  // The password in a URL's userinfo, `scheme://user:password@host` (up to the last `@`, so a raw `@` in it is
  // covered). Bounded, so the backtracking to that `@` is too; the `/` a password cannot hold ends every attempt.
  { pattern: /(?<=:\/\/[^\s/?#@:]{0,128}:)[^\s/?#]{1,512}(?=@)/g, rest: () => null },
];

// Cheap first look: a text with none of these cannot match any rule above (most lines), so the rules are skipped. A URL
// counts only with an `@` in its authority (the run stops at the `/` that every other `://` brings, so it is linear).
const secretWord = /token|key|secret|passw|credential|auth|sig|bearer|sk-ant-|para_/i;
const urlUserinfo = /:\/\/[^\s/?#]*@/;
const mightHoldSecret = (text: string): boolean => secretWord.test(text) || (text.includes('@') && urlUserinfo.test(text));

/** Compiles a scanner for the rules above plus these exact configured secret values. */
export function createSecretScanner(secrets: readonly string[] = []): SecretScanner {
  const exact = usableSecrets(secrets);
  const exactPattern = exact.length > 0 ? new RegExp(exact.map(escapeRegExp).join('|'), 'g') : null;
  const reach = Math.max(BASE_REACH, (exact[0]?.length ?? 0) + 1);
  return {
    reach,
    scan(text, end) {
      const probe = end === 'unfinished' ? text + UNFINISHED_TAIL : text;
      const spans: SecretSpan[] = [];
      const open: OpenValue[] = [];
      if (exactPattern) forEachMatch(exactPattern, probe, (at, match) => spans.push({ start: at, end: at + match.length }));
      if (mightHoldSecret(probe)) {
        for (const rule of rules) {
          forEachMatch(rule.pattern, probe, (at, match) => {
            const span = { start: at, end: at + match.length };
            spans.push(span);
            // Ending on the last character may mean a lone `\` was left out of a quoted value: that is open too.
            const rest = end === 'cut' && span.end >= text.length - 1 ? rule.rest(match) : null;
            if (rest) open.push({ at: span.end, rest });
          });
        }
      }
      if (end !== 'unfinished') return { spans, open };
      const visible = spans.filter((s) => s.start < text.length).map((s) => ({ start: s.start, end: Math.min(s.end, text.length) }));
      const begun = secretBegunAtEnd(text, exact);
      return { spans: begun ? [...visible, begun] : visible, open };
    },
  };
}

// Every match of a global pattern (exec with lastIndex: matchAll would copy the pattern on every call).
function forEachMatch(pattern: RegExp, text: string, found: (at: number, match: string) => void): void {
  pattern.lastIndex = 0;
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    found(m.index, m[0]);
    if (m[0].length === 0) pattern.lastIndex += 1;
  }
}

/** Where the continuation of an open value ends in `text` (which holds what followed the cut, from `at` on). */
export function continueValue(text: string, at: number, rest: RegExp): number {
  rest.lastIndex = at;
  const m = rest.exec(text);
  return m ? at + m[0].length : at;
}

function restOfValue(match: string): RegExp | null {
  const first = match[0];
  if (first === '"' || first === "'") return closesQuote(match, first) ? null : valueRest[first];
  if (first === '[') return match.length > 1 && match.endsWith(']') ? null : valueRest['['];
  return valueRest.bare;
}

// The value's last character is its closing quote (not its opening one, nor an escaped quote).
function closesQuote(match: string, quote: string): boolean {
  if (match.length < 2 || !match.endsWith(quote)) return false;
  let backslashes = 0;
  for (let i = match.length - 2; i > 0 && match[i] === '\\'; i -= 1) backslashes += 1;
  return backslashes % 2 === 0;
}

// The longest start (MIN_SECRET_PREFIX or more characters) of a configured secret that the text ends with.
function secretBegunAtEnd(text: string, secrets: readonly string[]): SecretSpan | null {
  let longest = 0;
  for (const secret of secrets) {
    for (let n = Math.min(secret.length - 1, text.length); n >= MIN_SECRET_PREFIX && n > longest; n -= 1) {
      if (text.endsWith(secret.slice(0, n))) {
        longest = n;
        break;
      }
    }
  }
  return longest > 0 ? { start: text.length - longest, end: text.length } : null;
}

// Longest first, so a secret that contains another is replaced whole.
function usableSecrets(secrets: readonly string[]): string[] {
  const usable = [...new Set(secrets.filter((s) => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH))];
  return usable.sort((a, b) => b.length - a.length);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
