import { fromPromise } from 'xstate';
import type { FetchModelsInput, FetchModelsOutput, RetrieveModelInput, RetrieveModelOutput } from '../../machines/model-cache.machine.js';
import { listAnthropicModels, retrieveAnthropicModel } from './anthropic-client.js';
import { credentialFingerprint, type AnthropicCredential } from './credentials.js';
import { buildCatalogue, toCachedModel } from './model-catalogue.js';
import { ModelsFetchError } from './models-fetch-error.js';

/** What the fetch needs from the outside world; the credential is read here, at fetch time, and never leaves. */
export interface FetchModelsDeps {
  /** The credential in effect now (env first, then config.yaml). */
  credential(): AnthropicCredential | null;
  /** `ANTHROPIC_BASE_URL`, or undefined for https://api.anthropic.com. */
  baseUrl(): string | undefined;
  timeoutMs?: number;
  maxRetries?: number;
  retryBaseMs?: number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
}

// The credential in effect, or the no_credential failure both slots report.
function requireCredential(deps: FetchModelsDeps, now: () => number): AnthropicCredential {
  const credential = deps.credential();
  if (credential === null) {
    throw new ModelsFetchError(
      'no_credential',
      'no Anthropic credential: set ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN, or api_key / claude_code_oauth_token in config.yaml',
      { at: now() },
    );
  }
  return credential;
}

/** The `fetchModels` slot of the model-cache machine: lists all models and builds the catalogue, honouring `signal`. */
export function createFetchModelsLogic(deps: FetchModelsDeps) {
  const now = deps.now ?? Date.now;
  return fromPromise<FetchModelsOutput, FetchModelsInput>(async ({ signal }) => {
    const credential = requireCredential(deps, now);
    const upstream = await listAnthropicModels({ ...callOptions(deps, now), credential, signal });
    return { credentialId: credentialFingerprint(credential), models: buildCatalogue(upstream), at: now() };
  });
}

/** The `retrieveModel` slot: `GET /v1/models/{id}` for one id; null model when the API does not know it (404). */
export function createRetrieveModelLogic(deps: FetchModelsDeps) {
  const now = deps.now ?? Date.now;
  return fromPromise<RetrieveModelOutput, RetrieveModelInput>(async ({ input, signal }) => {
    const credential = requireCredential(deps, now);
    const upstream = await retrieveAnthropicModel({ ...callOptions(deps, now), credential, modelId: input.modelId, signal });
    return { credentialId: credentialFingerprint(credential), modelId: input.modelId, model: upstream ? toCachedModel(upstream) : null, at: now() };
  });
}

function callOptions(deps: FetchModelsDeps, now: () => number) {
  return { baseUrl: deps.baseUrl(), timeoutMs: deps.timeoutMs, maxRetries: deps.maxRetries, retryBaseMs: deps.retryBaseMs, sleep: deps.sleep, now };
}
