import type { CachedModel } from '../../machines/model-cache.machine.js';
import { compareVersionsDesc, parseModelId, type ParsedModelId } from './model-family.js';

/** A model as the Models API lists it (only the fields we serve). */
export interface UpstreamModel {
  id: string;
  display_name: string;
  created_at: string;
}

// The API's own convention for an unknown release date.
const epoch = '1970-01-01T00:00:00Z';

interface Ranked {
  model: CachedModel;
  parsed: ParsedModelId;
  time: number;
}

/**
 * Turns the upstream list into the served catalogue: each model gets its `family` and `is_latest` (the newest
 * `created_at` in its family); models are grouped by family, families ordered by their newest model (the catch-all
 * `other` last), and newest first within a family. Duplicated ids are kept once; an odd id never fails the list.
 */
export function buildCatalogue(models: readonly UpstreamModel[]): CachedModel[] {
  const seen = new Set<string>();
  const families = new Map<string, Ranked[]>();
  for (const upstream of models) {
    if (seen.has(upstream.id)) continue;
    seen.add(upstream.id);
    const parsed = parseModelId(upstream.id);
    const time = Date.parse(upstream.created_at);
    const model: CachedModel = {
      id: upstream.id,
      display_name: upstream.display_name || upstream.id,
      created_at: Number.isNaN(time) ? epoch : upstream.created_at,
      family: parsed.family,
      is_latest: false,
    };
    const group = families.get(parsed.family) ?? [];
    group.push({ model, parsed, time: Number.isNaN(time) ? 0 : time });
    families.set(parsed.family, group);
  }
  const groups = [...families.entries()].map(([family, members]) => {
    members.sort(newestFirst);
    const first = members[0];
    if (first) first.model.is_latest = true;
    return { family, members, newest: first?.time ?? 0 };
  });
  groups.sort((a, b) => {
    if ((a.family === 'other') !== (b.family === 'other')) return a.family === 'other' ? 1 : -1;
    return b.newest - a.newest || a.family.localeCompare(b.family);
  });
  return groups.flatMap((group) => group.members.map((member) => member.model));
}

/** The default view: the latest model of each family, in catalogue order. */
export function latestPerFamily(catalogue: readonly CachedModel[]): CachedModel[] {
  return catalogue.filter((model) => model.is_latest);
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
