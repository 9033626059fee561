// The model cache's second cache: answers of `GET /v1/models/{id}` for ids the list does not hold (a retired model,
// an alias, an id the API does not know). Pure helpers of model-cache.machine.ts; no I/O, no clock.
import type { CachedModel, ModelCacheError, ModelLookup } from './model-cache.types.js';

/** How long each kind of answer is kept before the next lookup asks again. */
export interface LookupTtls {
  /** A model found: as long as the list (`models_ttl_ms`). */
  foundTtlMs: number;
  /** A 404: briefly, so a model released a minute ago is not refused for an hour. */
  notFoundTtlMs: number;
  /** A failed ask: like the list's error backoff, so a dead upstream is not asked on every request. */
  errorBackoffMs: number;
}

/** True when a lookup of this entry at `at` needs no new ask: one is under way, or the last answer or failure is recent. */
export function lookupIsCurrent(entry: ModelLookup, ttls: LookupTtls, at: number): boolean {
  if (entry.pending !== null) return true;
  if (entry.error !== null && at - entry.error.at < ttls.errorBackoffMs) return true;
  if (entry.outcome === null || entry.answeredAt === null) return false;
  const ttl = entry.outcome === 'found' ? ttls.foundTtlMs : ttls.notFoundTtlMs;
  return at - entry.answeredAt < ttl;
}

/** The newest moment an entry was touched, for evicting the oldest when the table is full. */
function lastTouched(entry: ModelLookup): number {
  return Math.max(entry.answeredAt ?? 0, entry.error?.at ?? 0);
}

/** What a `models.lookup` does to the table: the entries to keep, the asks to stop, and whether to ask now. */
export interface LookupPlan {
  lookups: ModelLookup[];
  /** Child actors of dropped entries (another credential's) to stop. */
  stop: string[];
  /** True when an entry for the id is to be (re)asked; its `pending` is set to `actorId`. */
  ask: boolean;
  changed: boolean;
}

/**
 * Plans one lookup: entries of other credentials are dropped (the cache is per credential); an entry for the id that is
 * current is joined; otherwise the entry is (re)asked, keeping its last answer until the new one arrives. At most
 * `maxLookups` entries are kept (the oldest answered one makes room) and at most `maxLookups` asks run at once (beyond
 * that nothing is asked: the caller sees no answer and treats the id as not checkable).
 */
export function planLookup(
  lookups: readonly ModelLookup[],
  request: { credentialId: string | null; modelId: string; at: number; actorId: string },
  ttls: LookupTtls,
  maxLookups: number,
): LookupPlan {
  const ours = lookups.filter((l) => l.credentialId === request.credentialId);
  const stop = lookups.filter((l) => l.credentialId !== request.credentialId && l.pending !== null).map((l) => l.pending as string);
  const changed = ours.length !== lookups.length;
  const existing = ours.find((l) => l.modelId === request.modelId);
  if (existing && lookupIsCurrent(existing, ttls, request.at)) return { lookups: ours, stop, ask: false, changed };
  if (ours.filter((l) => l.pending !== null).length >= maxLookups) return { lookups: ours, stop, ask: false, changed };
  const asked: ModelLookup = existing
    ? { ...existing, pending: request.actorId }
    : { credentialId: request.credentialId, modelId: request.modelId, outcome: null, model: null, answeredAt: null, error: null, pending: request.actorId };
  let others = ours.filter((l) => l !== existing);
  while (others.length >= maxLookups) {
    const idle = others.filter((l) => l.pending === null);
    if (idle.length === 0) break;
    const oldest = idle.reduce((a, b) => (lastTouched(b) < lastTouched(a) ? b : a));
    others = others.filter((l) => l !== oldest);
  }
  return { lookups: [...others, asked], stop, ask: true, changed: true };
}

/**
 * The table after the ask `actorId` answered: found (with the model) or not found. An answer given to another
 * credential than the entry's (the credential changed as the ask started) is not recorded: the ask counts as failed.
 */
export function recordAnswer(
  lookups: readonly ModelLookup[],
  actorId: string,
  answer: { credentialId: string | null; model: CachedModel | null; at: number },
): ModelLookup[] {
  return lookups.map((l) => {
    if (l.pending !== actorId) return l;
    if (l.credentialId !== answer.credentialId) {
      return { ...l, pending: null, error: { code: 'ERR_MODELS_FETCH', reason: 'credential_changed', message: 'the credential changed while the model was looked up', at: answer.at } };
    }
    return { ...l, pending: null, outcome: answer.model ? 'found' : 'not_found', model: answer.model, answeredAt: answer.at, error: null };
  });
}

/** The table after the ask `actorId` failed: the last answer (if any) is kept, the failure noted. */
export function recordFailure(lookups: readonly ModelLookup[], actorId: string, error: ModelCacheError): ModelLookup[] {
  return lookups.map((l) => (l.pending === actorId ? { ...l, pending: null, error } : l));
}

/** True when `actorId` is an ask under way (so its done/error event is a lookup answer). */
export function isPendingLookup(lookups: readonly ModelLookup[], actorId: unknown): boolean {
  return typeof actorId === 'string' && lookups.some((l) => l.pending === actorId);
}

/**
 * The table after a refresh: every answer counts as old, so the next lookup of each id asks again; the answers
 * themselves stay until new ones arrive (a refresh that fails must not lose what was known).
 */
export function expireAnswers(lookups: readonly ModelLookup[]): ModelLookup[] {
  return lookups.map((l) => (l.answeredAt === null && l.error === null ? l : { ...l, answeredAt: null, error: null }));
}
