// Models for tests that need only a few fields: the rest get the values of a model an older API described (nulls).
import type { CachedModel } from '../../machines/model-cache.machine.js';
import type { CurrentModelInfo, ModelInfo } from '../../src/client/supervisor-types.js';

type Essentials = Pick<CachedModel, 'id' | 'display_name' | 'created_at' | 'family' | 'is_latest'>;

/** A cached model: the given fields, everything the newer API adds null. */
export function cachedModel(fields: Essentials & Partial<CachedModel>): CachedModel {
  return {
    line: null,
    lifecycle: null,
    deprecated_at: null,
    retires_at: null,
    max_input_tokens: null,
    max_tokens: null,
    capabilities: null,
    ...fields,
  };
}

/** A model as `GET /supervisor/models` serves it (not the current one unless said). */
export function servedModel(fields: Essentials & Partial<ModelInfo>): ModelInfo {
  const { capabilities = null, ...rest } = fields;
  return { ...cachedModel(rest), capabilities, is_current: false, ...rest };
}

/** What a warm cache knows of Claude Sonnet 4.5 in the test catalogues: deprecated, Claude Sonnet 5 replaces it. */
export function sonnet45Deprecated(overrides: Partial<CurrentModelInfo> = {}): CurrentModelInfo {
  return {
    id: 'claude-sonnet-4-5-20250929',
    resolved_id: 'claude-sonnet-4-5-20250929',
    display_name: 'Claude Sonnet 4.5',
    lifecycle: 'deprecated',
    retires_at: '2027-02-05T00:00:00Z',
    replacement: 'claude-sonnet-5',
    ...overrides,
  };
}

/** What a lookup tells of Claude Sonnet 3.7 in the test catalogues: retired (never listed), Claude Sonnet 5 replaces it. */
export function sonnet37Retired(): CurrentModelInfo {
  return {
    id: 'claude-3-7-sonnet-20250219',
    resolved_id: 'claude-3-7-sonnet-20250219',
    display_name: 'Claude Sonnet 3.7',
    lifecycle: 'retired',
    retires_at: '2026-02-19T00:00:00Z',
    replacement: 'claude-sonnet-5',
  };
}
