import type { CachedModel } from '../../machines/model-cache.machine.js';
import { buildCatalogue, type UpstreamModel } from './model-catalogue.js';

// Served only when nothing is cached for the current credential and the Models API cannot be asked (no
// credential, bad key, upstream down). The live list is authoritative; this one keeps the Settings page usable.
// Ids are from the official SDK's `Model` union (@anthropic-ai/sdk 1.12); release dates are approximate (the
// SDK release that added each model). Gated research previews are left out: most credentials cannot use them.
const builtIn: UpstreamModel[] = [
  { id: 'claude-opus-5-5', display_name: 'Claude Opus 5.5', created_at: '2026-09-22T00:00:00Z' },
  { id: 'claude-sonnet-5-5', display_name: 'Claude Sonnet 5.5', created_at: '2026-09-28T00:00:00Z' },
  { id: 'claude-haiku-5-5', display_name: 'Claude Haiku 5.5', created_at: '2026-10-07T00:00:00Z' },
  { id: 'claude-opus-5', display_name: 'Claude Opus 5', created_at: '2026-07-24T00:00:00Z' },
  { id: 'claude-sonnet-5', display_name: 'Claude Sonnet 5', created_at: '2026-06-30T00:00:00Z' },
  { id: 'claude-opus-4-8', display_name: 'Claude Opus 4.8', created_at: '2026-05-28T00:00:00Z' },
  { id: 'claude-sonnet-4-6', display_name: 'Claude Sonnet 4.6', created_at: '2026-02-17T00:00:00Z' },
  { id: 'claude-haiku-4-5-20251001', display_name: 'Claude Haiku 4.5', created_at: '2025-10-01T00:00:00Z' },
];

/** The built-in list of current models (as a catalogue: families and `is_latest` set), for `source: "fallback"`. */
export const fallbackModels: readonly CachedModel[] = Object.freeze(buildCatalogue(builtIn).map((m) => Object.freeze(m)));
