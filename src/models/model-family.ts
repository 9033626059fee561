/** What a model id says about itself, whatever naming scheme it follows. */
export interface ParsedModelId {
  /** Product line: `sonnet`, `opus`, `mythos`, any future word; `claude` for bare `claude-2.1`; `other` if no scheme fits. */
  family: string;
  /** Version numbers in order, e.g. [4, 5] for `claude-sonnet-4-5-…`, [] when the id has none. */
  version: number[];
  /** Snapshot date `YYYYMMDD`, when the id carries one. */
  date: string | null;
  /** Words after the family and version, e.g. `latest`, `preview`. */
  tag: string | null;
}

const datePattern = /^\d{8}$/;
// `4`, `2.1`, and the old `v1` / `v1.3` spelling.
const numberPattern = /^v?\d{1,3}(\.\d{1,3})*$/;
const wordPattern = /^[a-z][a-z0-9]*$/;
// Words that qualify a release rather than name a product line.
const qualifierWords = new Set(['latest', 'preview']);

const other = (): ParsedModelId => ({ family: 'other', version: [], date: null, tag: null });

/**
 * Parses an Anthropic model id. Handles `claude-{family}-{major}[-{minor}][-{date}]` (`claude-sonnet-4-5-20250929`,
 * `claude-opus-4-6`, `claude-sonnet-5`), the legacy `claude-{major}[-{minor}]-{family}[-{date}|-latest]`
 * (`claude-3-5-haiku-20241022`, `claude-3-7-sonnet-latest`), bare `claude-2.1`, and named ids such as
 * `claude-mythos-preview`. The family is whatever word the id uses, so unknown future lines parse too; an id that
 * fits no scheme is kept with family `other`. Never throws.
 */
export function parseModelId(id: string): ParsedModelId {
  if (typeof id !== 'string') return other();
  const lower = id.toLowerCase();
  if (!lower.startsWith('claude-')) return other();
  const tokens = lower.slice('claude-'.length).split('-');
  if (tokens.some((t) => t.length === 0)) return other();

  const version: number[] = [];
  const words: string[] = [];
  let date: string | null = null;
  let family: string | null = null;
  for (const token of tokens) {
    if (datePattern.test(token)) {
      if (date !== null) return other();
      date = token;
    } else if (numberPattern.test(token)) {
      // Numbers belong to the version until a date or a qualifier has been seen (`claude-x-1-20250101-2` is odd).
      if (date !== null) return other();
      version.push(...token.replace(/^v/, '').split('.').map(Number));
    } else if (wordPattern.test(token)) {
      if (family === null && !qualifierWords.has(token)) family = token;
      else words.push(token);
    } else {
      return other();
    }
  }
  // `claude-2.1`, `claude-2-0`: the original line, named after Claude itself.
  if (family === null) {
    if (version.length === 0) return other();
    family = 'claude';
  }
  return { family, version, date, tag: words.length > 0 ? words.join('-') : null };
}

/** The family of a model id (`claude-3-5-haiku-20241022` → `haiku`); `other` when the id fits no scheme. */
export function modelFamily(id: string): string {
  return parseModelId(id).family;
}

/** Orders version arrays numerically, newest first ([4, 6] before [4, 5] before [4]). */
export function compareVersionsDesc(a: readonly number[], b: readonly number[]): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    const diff = (b[i] ?? -1) - (a[i] ?? -1);
    if (diff !== 0) return diff;
  }
  return 0;
}
