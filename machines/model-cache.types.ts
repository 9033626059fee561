// Types of the model cache (machines/model-cache.machine.ts) and its lookups (model-lookups.ts), in one file so the two
// need not import each other.

/** A JSON value: what `capabilities` may hold once made JSON-safe. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A model's lifecycle stage, as the Models API says it. */
export type ModelLifecycle = 'active' | 'deprecated' | 'retired';

/** One model as cached and served: the shape of docs/api.md (Models), without the per-request `is_current`. */
export interface CachedModel {
  id: string;
  display_name: string;
  created_at: string;
  /** The API's model line (`opus`, `sonnet`, `fable`, …), or null (no line, or an API that does not say). */
  line: string | null;
  /** `line` when set, else parsed from the id. */
  family: string;
  /** Null when unknown (an older API answer, the built-in list). */
  lifecycle: ModelLifecycle | null;
  deprecated_at: string | null;
  retires_at: string | null;
  max_input_tokens: number | null;
  max_tokens: number | null;
  capabilities: { [key: string]: JsonValue } | null;
  /** The newest `created_at` among the active models of its family. */
  is_latest: boolean;
}

/** Why a fetch failed, as JSON-safe data (`reason` is the fetch error's sub-code, e.g. `bad_credential`). */
export interface ModelCacheError {
  code: string;
  reason: string;
  message: string;
  at: number;
}

/** One id asked about with one credential: the API's last answer, the last failure, and the ask under way. */
export interface ModelLookup {
  /** Fingerprint of the credential the answer belongs to (never the key). */
  credentialId: string | null;
  /** The id asked about, as configured (an alias stays an alias here; `model.id` is what it resolves to). */
  modelId: string;
  /** The API's last answer: the model it resolved to, not found (404), or null before any answer. */
  outcome: 'found' | 'not_found' | null;
  /** With `found`: the model (`lifecycle` says whether it is retired). */
  model: CachedModel | null;
  /** When `outcome` arrived (ms since epoch); null before any answer, and once a refresh asked for a new one. */
  answeredAt: number | null;
  /** Why the last ask failed (upstream down, timeout, …); cleared by the next answer. */
  error: ModelCacheError | null;
  /** Id of the child actor asking now; null when no ask is under way. */
  pending: string | null;
}
