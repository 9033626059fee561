import { homedir } from 'node:os';
import { readConfig } from '../config/config-file.js';
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

/** Reads the model picker's settings from `configPath` and `env` (env credentials win over config ones). */
export function createModelsConfig(configPath: string, env: NodeJS.ProcessEnv = process.env): ModelsConfig {
  const data = () => readConfig(configPath).data;
  const credential = () => resolveCredential(env, data());
  return {
    credential,
    credentialId: () => credentialFingerprint(credential()),
    currentModel: () => {
      const value = data().default_model;
      return typeof value === 'string' && value !== '' ? value : null;
    },
    ttlMs: () =>
      resolveSupervisorSettings(data(), { env, platform: process.platform, home: homedir(), demoCommand: [] }).settings.modelsTtlMs,
    baseUrl: () => env.ANTHROPIC_BASE_URL || undefined,
  };
}
