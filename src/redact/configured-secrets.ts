import { isSecretKey, maxDataDepth } from './redact-config.js';

const credentialEnv = ['ANTHROPIC_API_KEY', 'CLAUDE_CODE_OAUTH_TOKEN', 'SUPERVISOR_TOKEN'] as const;

/** Every credential value the supervisor knows of (env credentials, values under secret-named config keys), for redaction in log lines. */
export function configuredSecrets(config: Record<string, unknown>, env: NodeJS.ProcessEnv): string[] {
  const found = new Set<string>();
  for (const name of credentialEnv) {
    const value = env[name];
    if (value) found.add(value);
  }
  // Bounded like every walk over data: a loaded config is never deeper (config-file.ts refuses deeper files).
  const walk = (value: unknown, underSecret: boolean, depth: number): void => {
    if (typeof value === 'string' || typeof value === 'number') {
      if (underSecret && String(value) !== '') found.add(String(value));
    } else if (depth >= maxDataDepth) {
      return;
    } else if (Array.isArray(value)) {
      for (const item of value) walk(item, underSecret, depth + 1);
    } else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) walk(item, underSecret || isSecretKey(key), depth + 1);
    }
  };
  walk(config, false, 0);
  return [...found];
}
