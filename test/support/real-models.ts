import type { JsonValue } from '../../machines/model-cache.machine.js';

type JsonObject = { [key: string]: JsonValue };

/**
 * Real Claude model ids, described as the Models API (anthropic-version 2026-10-21) describes them. Ids of 2026
 * models come from the official SDK's `Model` union (@anthropic-ai/sdk 1.12); their `created_at` is approximate (the
 * SDK release that added them). Older ids carry their snapshot date. `claude-fable-5` stands for a line no code here
 * knows about. Lifecycles, dates, limits and capabilities are plausible, not Anthropic's: tests need a deprecated
 * model (one overdue), retired ones and aliases, not the real schedule.
 */
export interface RealModel {
  id: string;
  display_name: string;
  created_at: string;
  line: string | null;
  lifecycle: 'active' | 'deprecated' | 'retired';
  deprecated_at: string | null;
  retires_at: string | null;
  max_input_tokens: number | null;
  max_tokens: number | null;
  capabilities: JsonObject | null;
}

const yes = { supported: true };
const no = { supported: false };

/** A capabilities object in the shape of the SDK's `ModelCapabilities`. */
export function capabilities(options: { thinking?: boolean; effort?: boolean; images?: boolean } = {}): JsonObject {
  const thinking = options.thinking ?? true;
  const effort = options.effort ?? thinking;
  return {
    batch: yes,
    citations: yes,
    code_execution: yes,
    context_management: { supported: true, clear_thinking_20251015: thinking ? yes : null, clear_tool_uses_20250919: yes, compact_20260112: yes },
    effort: { supported: effort, low: effort ? yes : no, medium: effort ? yes : no, high: effort ? yes : no, max: effort ? yes : no, xhigh: null },
    image_input: options.images === false ? no : yes,
    pdf_input: yes,
    server_tools: { supported: true, code_execution: yes, web_search: yes },
    structured_outputs: yes,
    thinking: { supported: thinking, types: { adaptive: thinking ? yes : no, between_tools: yes, disabled: yes, enabled: thinking ? yes : no } },
  };
}

const active = (id: string, display_name: string, created_at: string, line: string | null, limits: [number, number], caps = capabilities()): RealModel => ({
  id,
  display_name,
  created_at,
  line,
  lifecycle: 'active',
  deprecated_at: null,
  retires_at: null,
  max_input_tokens: limits[0],
  max_tokens: limits[1],
  capabilities: caps,
});

const deprecated = (model: RealModel, deprecatedAt: string, retiresAt: string | null): RealModel => ({
  ...model,
  lifecycle: 'deprecated',
  deprecated_at: deprecatedAt,
  retires_at: retiresAt,
});

const retired = (model: RealModel, deprecatedAt: string, retiredAt: string): RealModel => ({
  ...model,
  lifecycle: 'retired',
  deprecated_at: deprecatedAt,
  retires_at: retiredAt,
});

/** Every model the fake knows, newest first: what `GET /v1/models/{id}` answers for (retired ones included). */
export const knownModels: RealModel[] = [
  active('claude-opus-5', 'Claude Opus 5', '2026-07-24T00:00:00Z', 'opus', [1_000_000, 128_000]),
  active('claude-sonnet-5', 'Claude Sonnet 5', '2026-06-30T00:00:00Z', 'sonnet', [1_000_000, 128_000]),
  active('claude-fable-5', 'Claude Fable 5', '2026-06-09T00:00:00Z', 'fable', [400_000, 64_000]),
  active('claude-opus-4-8', 'Claude Opus 4.8', '2026-05-28T00:00:00Z', 'opus', [1_000_000, 128_000]),
  active('claude-opus-4-7', 'Claude Opus 4.7', '2026-04-16T00:00:00Z', 'opus', [1_000_000, 128_000]),
  active('claude-mythos-preview', 'Claude Mythos Preview', '2026-04-07T00:00:00Z', 'mythos', [1_000_000, 128_000]),
  active('claude-sonnet-4-6', 'Claude Sonnet 4.6', '2026-02-17T00:00:00Z', 'sonnet', [1_000_000, 64_000]),
  active('claude-opus-4-6', 'Claude Opus 4.6', '2026-02-05T00:00:00Z', 'opus', [1_000_000, 128_000]),
  active('claude-opus-4-5-20251101', 'Claude Opus 4.5', '2025-11-01T00:00:00Z', 'opus', [200_000, 64_000]),
  active('claude-haiku-4-5-20251001', 'Claude Haiku 4.5', '2025-10-01T00:00:00Z', 'haiku', [200_000, 64_000], capabilities({ effort: false })),
  deprecated(
    active('claude-sonnet-4-5-20250929', 'Claude Sonnet 4.5', '2025-09-29T00:00:00Z', 'sonnet', [1_000_000, 64_000], capabilities({ effort: false })),
    '2026-08-06T00:00:00Z',
    '2027-02-05T00:00:00Z',
  ),
  deprecated(active('claude-opus-4-1-20250805', 'Claude Opus 4.1', '2025-08-05T00:00:00Z', 'opus', [200_000, 32_000], capabilities({ effort: false })), '2026-06-01T00:00:00Z', '2027-01-05T00:00:00Z'),
  // Overdue: its retirement date has passed, but it is still deprecated (the API says lifecycle is the signal).
  deprecated(active('claude-opus-4-20250514', 'Claude Opus 4', '2025-05-22T00:00:00Z', 'opus', [200_000, 32_000], capabilities({ effort: false })), '2026-05-14T00:00:00Z', '2026-11-14T00:00:00Z'),
  deprecated(active('claude-sonnet-4-20250514', 'Claude Sonnet 4', '2025-05-22T00:00:00Z', 'sonnet', [200_000, 64_000], capabilities({ effort: false })), '2026-05-14T00:00:00Z', null),
  retired(active('claude-3-7-sonnet-20250219', 'Claude Sonnet 3.7', '2025-02-24T00:00:00Z', 'sonnet', [200_000, 64_000], capabilities({ effort: false })), '2025-10-28T00:00:00Z', '2026-02-19T00:00:00Z'),
  retired(active('claude-3-5-haiku-20241022', 'Claude Haiku 3.5', '2024-10-22T00:00:00Z', 'haiku', [200_000, 8_192], capabilities({ thinking: false })), '2025-12-19T00:00:00Z', '2026-02-19T00:00:00Z'),
  retired(active('claude-3-haiku-20240307', 'Claude Haiku 3', '2024-03-07T00:00:00Z', 'haiku', [200_000, 4_096], capabilities({ thinking: false })), '2025-12-19T00:00:00Z', '2026-04-20T00:00:00Z'),
  // The original line: no line of today's lineup, and no capabilities object.
  retired({ ...active('claude-2.1', 'Claude 2.1', '2023-11-21T00:00:00Z', null, [200_000, 4_096]), capabilities: null }, '2024-09-04T00:00:00Z', '2025-07-21T00:00:00Z'),
];

/** What `GET /v1/models` lists by default: the active and deprecated models, newest first. */
export const realModels: RealModel[] = knownModels.filter((m) => m.lifecycle !== 'retired');

/** The retired models: only `GET /v1/models/{id}` (or `?lifecycle[]=retired`) shows them. */
export const retiredModels: RealModel[] = knownModels.filter((m) => m.lifecycle === 'retired');

/** Aliases the API resolves to a model id (`GET /v1/models/{alias}` answers with the model). */
export const modelAliases: Record<string, string> = {
  'claude-sonnet-4-5': 'claude-sonnet-4-5-20250929',
  'claude-opus-4-5': 'claude-opus-4-5-20251101',
  'claude-haiku-4-5': 'claude-haiku-4-5-20251001',
  'claude-opus-4-1': 'claude-opus-4-1-20250805',
  'claude-opus-4-0': 'claude-opus-4-20250514',
  'claude-sonnet-4-0': 'claude-sonnet-4-20250514',
  'claude-3-7-sonnet-latest': 'claude-3-7-sonnet-20250219',
  'claude-3-5-haiku-latest': 'claude-3-5-haiku-20241022',
};

/** A model as an API from before `line` and `lifecycle` describes it: only `id`, `display_name`, `created_at`. */
export function legacyShape(model: { id: string; display_name: string; created_at: string }): { id: string; display_name: string; created_at: string } {
  return { id: model.id, display_name: model.display_name, created_at: model.created_at };
}
