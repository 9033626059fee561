import { createHmac, randomBytes } from 'node:crypto';

/** An Anthropic credential: an API key (`x-api-key`) or an OAuth token (`Authorization: Bearer`). Never logged. */
export interface AnthropicCredential {
  kind: 'api_key' | 'oauth_token';
  secret: string;
  /** Where it came from, for messages: an env variable or a config key name (never the value). */
  source: 'ANTHROPIC_API_KEY' | 'CLAUDE_CODE_OAUTH_TOKEN' | 'api_key' | 'claude_code_oauth_token';
}

const oauthPrefix = 'sk-ant-oat';

/**
 * Picks the credential the configuration reference names: env `ANTHROPIC_API_KEY`, then env `CLAUDE_CODE_OAUTH_TOKEN`, then config
 * `api_key`, then config `claude_code_oauth_token`. A value starting `sk-ant-oat` is an OAuth token wherever it is.
 */
export function resolveCredential(env: NodeJS.ProcessEnv, config: Record<string, unknown>): AnthropicCredential | null {
  const candidates: [AnthropicCredential['source'], unknown, AnthropicCredential['kind']][] = [
    ['ANTHROPIC_API_KEY', env.ANTHROPIC_API_KEY, 'api_key'],
    ['CLAUDE_CODE_OAUTH_TOKEN', env.CLAUDE_CODE_OAUTH_TOKEN, 'oauth_token'],
    ['api_key', config.api_key, 'api_key'],
    ['claude_code_oauth_token', config.claude_code_oauth_token, 'oauth_token'],
  ];
  for (const [source, value, declared] of candidates) {
    if (typeof value !== 'string' || value.trim() === '') continue;
    const secret = value.trim();
    return { kind: secret.startsWith(oauthPrefix) ? 'oauth_token' : declared, secret, source };
  }
  return null;
}

// A per-process salt: fingerprints tell credentials apart within one run and cannot confirm a guessed key offline.
const salt = randomBytes(32);

/** A short, non-reversible id of a credential, safe for machine context, events and the inspector. */
export function credentialFingerprint(credential: AnthropicCredential | null): string | null {
  if (credential === null) return null;
  const digest = createHmac('sha256', salt).update(`${credential.kind}\0${credential.secret}`).digest('hex');
  return `cred_${digest.slice(0, 16)}`;
}
