import { homedir } from 'node:os';
import { resolveSupervisorSettings } from '../config/settings.js';
import { credentialFingerprint, resolveCredential, type AnthropicCredential } from './credentials.js';

/** Everything the model picker reads from env and config.yaml, read fresh on every call (never latched). */
export interface ModelsConfig {
  credential(): AnthropicCredential | null;
  credentialId(): string | null;
  currentModel(): string | null;
  ttlMs(): number;
  baseUrl(): string | undefined;
}

/**
 * The model picker's view of config and env. `configData` returns the parsed config.yaml as of now, e.g.
 * `() => readConfig(path).data`, or the supervisor's last good parse. Env credentials win over config ones.
 */
export function createModelsConfig(
  configData: () => Record<string, unknown>,
  env: NodeJS.ProcessEnv = process.env,
  /** The supervisor's own resolution of models_ttl_ms, so there is one; resolved here only when none is given. */
  ttlMs?: () => number,
): ModelsConfig {
  const credential = () => resolveCredential(env, configData());
  return {
    credential,
    credentialId: () => credentialFingerprint(credential()),
    currentModel: () => {
      const value = configData().default_model;
      return typeof value === 'string' && value !== '' ? value : null;
    },
    ttlMs:
      ttlMs ??
      (() => resolveSupervisorSettings(configData(), { env, platform: process.platform, home: homedir(), demoCommand: [] }).settings.modelsTtlMs),
    baseUrl: () => env.ANTHROPIC_BASE_URL || undefined,
  };
}
