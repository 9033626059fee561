import { homedir } from 'node:os';
import { join } from 'node:path';
import { serverDefaults, supervisorDefaults, restartTypes, socketModes, type RestartType, type SocketMode } from './defaults.js';

/** Everything the lifecycle needs to start, watch and stop the main server, resolved from config.yaml. */
export interface ServerSettings {
  command: string[];
  cwd: string | null;
  env: Record<string, string>;
  port: number;
  /** The server's address (top-level `host`): what the supervisor binds with socket: inherit. */
  host: string;
  /** Who binds the server's port: the server itself (`none`) or the supervisor, handing it over as fd 3 (`inherit`). */
  socket: SocketMode;
  healthPath: string;
  autostart: boolean;
  startTimeoutMs: number;
  stopTimeoutMs: number;
  restart: RestartType;
  backoffMs: number;
  backoffMaxMs: number;
  intensity: number;
  periodMs: number;
  stableMs: number;
  healthIntervalMs: number;
  healthFailures: number;
  healthTimeoutMs: number;
}

/** Supervisor-wide settings from config.yaml (besides the server's). */
export interface SupervisorSettings {
  logDir: string;
  logMaxBytes: number;
  logBackups: number;
  modelsTtlMs: number;
  allowedHosts: string[];
}

/** Where the process runs: what resolution may depend on besides the file. */
export interface SettingsEnvironment {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  home: string;
  /** argv of the bundled demo server, used when supervisor.server.command is absent. */
  demoCommand: string[];
}

/** Settings plus the problems found while resolving them (each names option, value and expected type). */
export interface Resolved<T> {
  settings: T;
  problems: string[];
}

export function defaultEnvironment(demoCommand: string[]): SettingsEnvironment {
  return { env: process.env, platform: process.platform, home: homedir(), demoCommand };
}

/** Resolves the server settings from the parsed config; invalid values fall back to defaults and are reported. */
export function resolveServerSettings(config: Record<string, unknown>, where: SettingsEnvironment): Resolved<ServerSettings> {
  const problems: string[] = [];
  const server = section(section(config, 'supervisor', problems), 'server', problems, 'supervisor.');
  const read = reader(server, 'supervisor.server.', problems);
  const command = server.command === undefined ? where.demoCommand : stringList(server.command, 'supervisor.server.command', problems);
  const top = reader(config, '', problems);
  const settings: ServerSettings = {
    command: command && command.length > 0 ? command : where.demoCommand,
    cwd: read.optionalString('cwd'),
    env: stringMap(server.env, 'supervisor.server.env', problems),
    port: top.int('port', serverDefaults.port, 1, 65535),
    host: top.string('host', serverDefaults.host),
    socket: read.oneOf('socket', serverDefaults.socket, socketModes),
    healthPath: read.string('health_path', serverDefaults.healthPath),
    autostart: read.bool('autostart', serverDefaults.autostart),
    startTimeoutMs: read.int('start_timeout_ms', serverDefaults.startTimeoutMs, 1),
    stopTimeoutMs: read.int('stop_timeout_ms', serverDefaults.stopTimeoutMs, 1),
    restart: read.oneOf('restart', serverDefaults.restart, restartTypes),
    backoffMs: read.int('backoff_ms', serverDefaults.backoffMs, 0),
    backoffMaxMs: read.int('backoff_max_ms', serverDefaults.backoffMaxMs, 0),
    intensity: read.int('intensity', serverDefaults.intensity, 0),
    periodMs: read.int('period_ms', serverDefaults.periodMs, 1),
    stableMs: read.int('stable_ms', serverDefaults.stableMs, 1),
    healthIntervalMs: read.int('health_interval_ms', serverDefaults.healthIntervalMs, 10),
    healthFailures: read.int('health_failures', serverDefaults.healthFailures, 1),
    healthTimeoutMs: read.int('health_timeout_ms', serverDefaults.healthTimeoutMs, 10),
  };
  if (!settings.healthPath.startsWith('/')) {
    problems.push(`supervisor.server.health_path must start with "/", got ${JSON.stringify(settings.healthPath)}`);
    settings.healthPath = serverDefaults.healthPath;
  }
  return { settings, problems };
}

/** Resolves the supervisor-wide settings (log dir, rotation, model TTL, allowed hosts). */
export function resolveSupervisorSettings(config: Record<string, unknown>, where: SettingsEnvironment): Resolved<SupervisorSettings> {
  const problems: string[] = [];
  const sup = section(config, 'supervisor', problems);
  const read = reader(sup, 'supervisor.', problems);
  const logDir = read.optionalString('log_dir');
  return {
    settings: {
      logDir: logDir ? expandHome(logDir, where.home) : defaultLogDir(where),
      logMaxBytes: read.int('log_max_bytes', supervisorDefaults.logMaxBytes, 1024),
      logBackups: read.int('log_backups', supervisorDefaults.logBackups, 0),
      modelsTtlMs: read.int('models_ttl_ms', supervisorDefaults.modelsTtlMs, 0),
      allowedHosts: stringList(sup.allowed_hosts, 'supervisor.allowed_hosts', problems) ?? [],
    },
    problems,
  };
}

/** The default log folder: macOS ~/Library/Logs/Parachute, else $XDG_STATE_HOME/parachute/logs. */
export function defaultLogDir(where: Pick<SettingsEnvironment, 'env' | 'platform' | 'home'>): string {
  if (where.platform === 'darwin') return join(where.home, 'Library', 'Logs', 'Parachute');
  const state = where.env.XDG_STATE_HOME || join(where.home, '.local', 'state');
  return join(state, 'parachute', 'logs');
}

/** The default config path: ~/.parachute/config.yaml. */
export function defaultConfigPath(home: string = homedir()): string {
  return join(home, '.parachute', 'config.yaml');
}

/** `~` and `~/…` resolved against `home`; anything else as it is. */
export function expandHome(path: string, home: string): string {
  return path === '~' || path.startsWith('~/') ? join(home, path.slice(1)) : path;
}

function section(obj: Record<string, unknown>, key: string, problems: string[], prefix = ''): Record<string, unknown> {
  const value = obj[key];
  if (value === undefined || value === null) return {};
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  problems.push(`${prefix}${key} must be a mapping, got ${JSON.stringify(value)}`);
  return {};
}

function stringList(value: unknown, name: string, problems: string[]): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  problems.push(`${name} must be a list of strings, got ${JSON.stringify(value)}`);
  return undefined;
}

function stringMap(value: unknown, name: string, problems: string[]): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value === 'object' && !Array.isArray(value)) {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
      else problems.push(`${name}.${k} must be a string, got ${JSON.stringify(v)}`);
    }
    return out;
  }
  problems.push(`${name} must be a mapping of strings, got ${JSON.stringify(value)}`);
  return {};
}

// One reader per section so every message names the full option path, the value and the expected type.
function reader(obj: Record<string, unknown>, prefix: string, problems: string[]) {
  const bad = (key: string, expected: string) => problems.push(`${prefix}${key} must be ${expected}, got ${JSON.stringify(obj[key])}`);
  return {
    int(key: string, fallback: number, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number {
      const v = obj[key];
      if (v === undefined || v === null) return fallback;
      if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
      bad(key, `an integer from ${min} to ${max}`);
      return fallback;
    },
    bool(key: string, fallback: boolean): boolean {
      const v = obj[key];
      if (v === undefined || v === null) return fallback;
      if (typeof v === 'boolean') return v;
      bad(key, 'true or false');
      return fallback;
    },
    string(key: string, fallback: string): string {
      const v = obj[key];
      if (v === undefined || v === null) return fallback;
      if (typeof v === 'string' && v.length > 0) return v;
      bad(key, 'a non-empty string');
      return fallback;
    },
    optionalString(key: string): string | null {
      const v = obj[key];
      if (v === undefined || v === null) return null;
      if (typeof v === 'string' && v.length > 0) return v;
      bad(key, 'a non-empty string');
      return null;
    },
    oneOf<T extends string>(key: string, fallback: T, allowed: readonly T[]): T {
      const v = obj[key];
      if (v === undefined || v === null) return fallback;
      if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as T;
      bad(key, `one of ${allowed.join('|')}`);
      return fallback;
    },
  };
}
