import type { CachedModel } from '../../machines/model-cache.machine.js';
import { compareVersionsDesc, parseModelId, type ParsedModelId } from './model-family.js';
import type { UpstreamModel } from './upstream-model.js';

export type { UpstreamModel } from './upstream-model.js';

// The API's own convention for an unknown release date.
const epoch = '1970-01-01T00:00:00Z';

interface Ranked {
  model: CachedModel;
  parsed: ParsedModelId;
  time: number;
}

/**
 * One upstream model as cached: `family` is the API's `line` when it gives one, else parsed from the id (the API says
 * not to infer a line from the id, so the parse is only the fallback for answers without `line`); fields an older
 * answer lacks are null; `is_latest` is false until a catalogue is built.
 */
export function toCachedModel(upstream: UpstreamModel): CachedModel {
  const time = Date.parse(upstream.created_at);
  const line = upstream.line ?? null;
  return {
    id: upstream.id,
    display_name: upstream.display_name || upstream.id,
    created_at: Number.isNaN(time) ? epoch : upstream.created_at,
    line,
    family: line ?? parseModelId(upstream.id).family,
    lifecycle: upstream.lifecycle ?? null,
    deprecated_at: upstream.deprecated_at ?? null,
    retires_at: upstream.retires_at ?? null,
    max_input_tokens: upstream.max_input_tokens ?? null,
    max_tokens: upstream.max_tokens ?? null,
    capabilities: upstream.capabilities ?? null,
    is_latest: false,
  };
}

/** True for a model a user may still pick as the newest of its line: active, or of unknown lifecycle (an older API). */
export function isActive(model: CachedModel): boolean {
  return model.lifecycle === 'active' || model.lifecycle === null;
}

/**
 * Turns the upstream list into the served catalogue: each model gets its `family` and `is_latest` (the newest
 * `created_at` among the active models of its family); models are grouped by family, families ordered by their
 * newest model (the catch-all `other` last), and newest first within a family. Duplicated ids are kept once; an odd
 * id never fails the list. Retired models (which the list holds only when asked for) are kept, never latest; views
 * leave them out.
 */
export function buildCatalogue(models: readonly UpstreamModel[]): CachedModel[] {
  const seen = new Set<string>();
  const families = new Map<string, Ranked[]>();
  for (const upstream of models) {
    if (seen.has(upstream.id)) continue;
    seen.add(upstream.id);
    const model = toCachedModel(upstream);
    const time = Date.parse(model.created_at);
    const group = families.get(model.family) ?? [];
    group.push({ model, parsed: parseModelId(model.id), time: Number.isNaN(time) ? 0 : time });
    families.set(model.family, group);
  }
  const groups = [...families.entries()].map(([family, members]) => {
    members.sort(newestFirst);
    const latest = members.find((member) => isActive(member.model));
    if (latest) latest.model.is_latest = true;
    return { family, members, newest: members[0]?.time ?? 0 };
  });
  groups.sort((a, b) => {
    if ((a.family === 'other') !== (b.family === 'other')) return a.family === 'other' ? 1 : -1;
    return b.newest - a.newest || a.family.localeCompare(b.family);
  });
  return groups.flatMap((group) => group.members.map((member) => member.model));
}

/** Every model that may be listed: all but the retired, in catalogue order. */
export function listedModels(catalogue: readonly CachedModel[]): CachedModel[] {
  return catalogue.filter((model) => model.lifecycle !== 'retired');
}

/** The default view: the latest active model of each family, plus the current model when it is listed, in catalogue order. */
export function latestPerFamily(catalogue: readonly CachedModel[], currentId: string | null = null): CachedModel[] {
  return catalogue.filter((model) => model.lifecycle !== 'retired' && (model.is_latest || model.id === currentId));
}

/** The latest active model of a family (what replaces an older one), or null when the family has none. */
export function latestOfFamily(catalogue: readonly CachedModel[], family: string): CachedModel | null {
  return catalogue.find((model) => model.family === family && model.is_latest) ?? null;
}

// Newest release first; equal dates (epoch placeholders, an alias next to its snapshot) fall back to the higher
// version, then the undated alias before the dated snapshot, then the id, so the order is always the same.
function newestFirst(a: Ranked, b: Ranked): number {
  return (
    b.time - a.time ||
    compareVersionsDesc(a.parsed.version, b.parsed.version) ||
    Number(a.parsed.date !== null) - Number(b.parsed.date !== null) ||
    a.model.id.localeCompare(b.model.id)
  );
}
