import { homedir } from 'node:os';
import { resolveSupervisorSettings } from '../config/settings.js';
import { credentialFingerprint, resolveCredential, type AnthropicCredential } from './credentials.js';

/** What one models request reads of env and config.yaml, all from the same read of the file. */
export interface ModelsSettings {
  /** Fingerprint of the credential in effect; never the key. */
  credentialId: string | null;
  /** `default_model` (null when unset or empty). */
  currentModel: string | null;
  /** `supervisor.models_ttl_ms`. */
  ttlMs: number;
}

/** Everything the model picker reads from env and config.yaml, read fresh on every call (never latched). */
export interface ModelsConfig {
  credential(): AnthropicCredential | null;
  credentialId(): string | null;
  currentModel(): string | null;
  ttlMs(): number;
  /** credentialId, currentModel and ttlMs from one read of the config (what a models request needs). */
  settings(): ModelsSettings;
  baseUrl(): string | undefined;
}

type ConfigData = Record<string, unknown>;

/**
 * The model picker's view of config and env. `configData` returns the parsed config.yaml as of now, e.g.
 * `() => readConfig(path).data`, or the supervisor's last good parse. Env credentials win over config ones.
 */
export function createModelsConfig(
  configData: () => ConfigData,
  env: NodeJS.ProcessEnv = process.env,
  /** The supervisor's own resolution of models_ttl_ms from config data, so there is one; resolved here only when none is given. */
  ttlMsOf: (data: ConfigData) => number = (data) =>
    resolveSupervisorSettings(data, { env, platform: process.platform, home: homedir(), demoCommand: [] }).settings.modelsTtlMs,
): ModelsConfig {
  const credentialOf = (data: ConfigData) => resolveCredential(env, data);
  const credentialIdOf = (data: ConfigData) => credentialFingerprint(credentialOf(data));
  const currentModelOf = (data: ConfigData) => {
    const value = data.default_model;
    return typeof value === 'string' && value !== '' ? value : null;
  };
  return {
    credential: () => credentialOf(configData()),
    credentialId: () => credentialIdOf(configData()),
    currentModel: () => currentModelOf(configData()),
    ttlMs: () => ttlMsOf(configData()),
    settings: () => {
      const data = configData();
      return { credentialId: credentialIdOf(data), currentModel: currentModelOf(data), ttlMs: ttlMsOf(data) };
    },
    baseUrl: () => env.ANTHROPIC_BASE_URL || undefined,
  };
}
