// Installs, removes and controls the supervisor as a launchd LaunchAgent (macOS) or a systemd user unit (Linux).
// Every external command goes through one injectable CommandRunner, so tests see the exact commands.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfigPath, defaultLogDir, expandHome } from '../config/settings.js';
import { renderLaunchAgent, renderSystemdUnit, serviceNames, type ServiceValues } from './render-service.js';

/** The service managers this installs for. */
export type ServicePlatform = 'darwin' | 'linux';
export const servicePlatforms: readonly ServicePlatform[] = ['darwin', 'linux'];

/** What one external command did. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one external command without a shell; never rejects (a command that cannot start gives code 127). */
export type CommandRunner = (command: string, args: readonly string[]) => Promise<RunResult>;

/** Everything install/uninstall/start/stop depend on, injectable for tests. */
export interface ServiceHost {
  /** The platform this process runs on. */
  platform: NodeJS.Platform;
  home: string;
  uid: number;
  env: NodeJS.ProcessEnv;
  /** Relative --config paths resolve against this. */
  cwd: string;
  /** The node executable the service runs (not resolved through symlinks, so a Homebrew/nvm alias survives upgrades). */
  nodePath: string;
  /** The installed package: service/ templates and the built dist/src/cli/main.js. */
  packageRoot: string;
  runner: CommandRunner;
}

/** One step of an install or uninstall; a dry run prints the steps, a real run performs them. */
export type ServiceStep =
  | { kind: 'mkdir'; path: string }
  | { kind: 'write'; path: string; content: string }
  | { kind: 'remove'; path: string }
  | { kind: 'run'; argv: [string, ...string[]]; onlyIf?: 'loaded'; mayFail?: string };

/** What install or uninstall will do, in order. */
export interface ServicePlan {
  platform: ServicePlatform;
  /** The installed unit file. */
  filePath: string;
  steps: ServiceStep[];
  /** Things the user should know (printed as comments). */
  notes: string[];
}

/** A service operation failed (exit code 1). */
export class ServiceError extends Error {
  override name = 'ServiceError';
}

/** The host as this process sees it. */
export function defaultServiceHost(): ServiceHost {
  return {
    platform: process.platform,
    home: homedir(),
    uid: process.getuid?.() ?? 0,
    env: process.env,
    cwd: process.cwd(),
    nodePath: process.execPath,
    packageRoot: findPackageRoot(dirname(fileURLToPath(import.meta.url))),
    runner: runCommand,
  };
}

/** Runs a command with execFile (no shell), capturing its output; bounded to 2 minutes. */
export const runCommand: CommandRunner = (command, args) =>
  new Promise((resolvePromise) => {
    execFile(command, [...args], { timeout: 120_000, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) return resolvePromise({ code: 0, stdout, stderr });
      const errno = (error as NodeJS.ErrnoException).code;
      // The command itself could not start (not installed on this platform): report it like a shell would.
      if (typeof errno === 'string') return resolvePromise({ code: 127, stdout, stderr: stderr || `${command}: ${error.message}` });
      resolvePromise({ code: typeof error.code === 'number' ? error.code : 1, stdout, stderr: stderr || error.message });
    });
  });

/** The folder holding package.json of parachute-supervisor, searched upwards from `start`. */
export function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'parachute-supervisor') return dir;
      } catch {
        // An unreadable package.json of some other folder: keep looking.
      }
    }
    if (dirname(dir) === dir) throw new ServiceError(`cannot find the parachute-supervisor package above ${start}`);
  }
}

/** The platform to install for: the given one, else this host's (only macOS and Linux have a service manager here). */
export function servicePlatform(host: ServiceHost, requested?: ServicePlatform): ServicePlatform {
  if (requested) return requested;
  if (host.platform === 'darwin' || host.platform === 'linux') return host.platform;
  throw new ServiceError(`no service manager support for ${host.platform}: install supports macOS (launchd) and Linux (systemd --user)`);
}

/** Where the unit file is installed. */
export function serviceFilePath(host: Pick<ServiceHost, 'home' | 'env'>, platform: ServicePlatform): string {
  if (platform === 'darwin') return join(host.home, 'Library', 'LaunchAgents', serviceNames.plistFile);
  const configHome = host.env.XDG_CONFIG_HOME && isAbsolute(host.env.XDG_CONFIG_HOME) ? host.env.XDG_CONFIG_HOME : join(host.home, '.config');
  return join(configHome, 'systemd', 'user', serviceNames.systemdUnit);
}

/** The built CLI entry the service runs. */
export function mainScriptPath(host: Pick<ServiceHost, 'packageRoot'>): string {
  return join(host.packageRoot, 'dist', 'src', 'cli', 'main.js');
}

/** The values a service file is rendered with on this host. */
export function serviceValues(host: ServiceHost, platform: ServicePlatform, options: { configPath?: string } = {}): ServiceValues {
  const config = options.configPath ?? (host.env.PARACHUTE_CONFIG || defaultConfigPath(host.home));
  return {
    nodePath: host.nodePath,
    mainPath: mainScriptPath(host),
    configPath: resolve(host.cwd, expandHome(config, host.home)),
    home: host.home,
    // The LaunchAgent's logs go where the supervisor's own default log folder is on macOS.
    logDir: defaultLogDir({ env: host.env, home: host.home, platform: 'darwin' }),
    pathEnv: servicePath(host, platform),
  };
}

/** Renders the unit file for `platform` from the package's service/ templates. */
export function renderServiceFile(host: ServiceHost, platform: ServicePlatform, options: { configPath?: string } = {}): string {
  const values = serviceValues(host, platform, options);
  if (platform === 'darwin') return renderLaunchAgent(readTemplate(host, serviceNames.plistFile), values);
  return renderSystemdUnit(readTemplate(host, serviceNames.systemdUnit), values);
}

/** The steps of `install`: write the unit file, then load and start it (a reinstall applies the new file at once). */
export function planInstall(host: ServiceHost, platform: ServicePlatform, options: { configPath?: string } = {}): ServicePlan {
  const filePath = serviceFilePath(host, platform);
  const content = renderServiceFile(host, platform, options);
  const notes: string[] = [];
  if (platform === 'darwin') {
    const target = launchdTarget(host);
    const logDir = serviceValues(host, platform, options).logDir;
    notes.push(`supervisor output goes to ${join(logDir, 'supervisor.log')}`);
    return {
      platform,
      filePath,
      notes,
      steps: [
        { kind: 'mkdir', path: dirname(filePath) },
        // launchd does not create the folder of StandardOutPath.
        { kind: 'mkdir', path: logDir },
        { kind: 'write', path: filePath, content },
        // bootstrap refuses an already loaded job; bootout first so a reinstall loads the new file.
        { kind: 'run', argv: ['launchctl', 'bootout', target], onlyIf: 'loaded' },
        // A job once disabled (launchctl disable) cannot be bootstrapped until it is enabled again.
        { kind: 'run', argv: ['launchctl', 'enable', target] },
        { kind: 'run', argv: ['launchctl', 'bootstrap', launchdDomain(host), filePath] },
      ],
    };
  }
  const unit = serviceNames.systemdUnit;
  const reinstall = existsSync(filePath);
  notes.push(`supervisor output goes to the journal: journalctl --user -u ${unit} -f`);
  notes.push(`to keep it running while you are logged out: loginctl enable-linger "$USER"`);
  const steps: ServiceStep[] = [
    { kind: 'mkdir', path: dirname(filePath) },
    { kind: 'write', path: filePath, content },
    { kind: 'run', argv: ['systemctl', '--user', 'daemon-reload'] },
    { kind: 'run', argv: ['systemctl', '--user', 'enable', '--now', unit] },
  ];
  // enable --now leaves a running supervisor on its old unit; a reinstall restarts it on the new one.
  if (reinstall) steps.push({ kind: 'run', argv: ['systemctl', '--user', 'restart', unit] });
  return { platform, filePath, notes, steps };
}

/** The steps of `uninstall`: stop and unload the service, remove the unit file. */
export function planUninstall(host: ServiceHost, platform: ServicePlatform): ServicePlan {
  const filePath = serviceFilePath(host, platform);
  const notes = existsSync(filePath) ? [] : [`${filePath} does not exist: the service is not installed`];
  if (platform === 'darwin') {
    return {
      platform,
      filePath,
      notes,
      steps: [
        { kind: 'run', argv: ['launchctl', 'bootout', launchdTarget(host)], mayFail: 'the service was not loaded' },
        { kind: 'remove', path: filePath },
      ],
    };
  }
  const unit = serviceNames.systemdUnit;
  return {
    platform,
    filePath,
    notes,
    steps: [
      { kind: 'run', argv: ['systemctl', '--user', 'disable', '--now', unit], mayFail: 'the service was not enabled' },
      { kind: 'remove', path: filePath },
      { kind: 'run', argv: ['systemctl', '--user', 'daemon-reload'] },
    ],
  };
}

/** Prints a plan as a dry run: comments and copy-pasteable commands; nothing is written or run. */
export function describePlan(plan: ServicePlan, out: (line: string) => void): void {
  out(`# dry run for ${plan.platform === 'darwin' ? 'macOS (launchd)' : 'Linux (systemd --user)'}: nothing is written and nothing is run`);
  for (const note of plan.notes) out(`# note: ${note}`);
  for (const step of plan.steps) {
    switch (step.kind) {
      case 'mkdir':
        out(`mkdir -p ${shellQuote(step.path)}`);
        break;
      case 'write':
        out(`# would write ${step.path}:`);
        out(step.content.replace(/\n$/, ''));
        out(`# (end of ${step.path})`);
        break;
      case 'remove':
        out(`rm -f ${shellQuote(step.path)}`);
        break;
      case 'run':
        out(`${step.argv.map(shellQuote).join(' ')}${step.onlyIf === 'loaded' ? '   # only if already loaded' : ''}`);
        break;
    }
  }
}

/** Performs a plan, reporting each step; throws ServiceError at the first step that fails. */
export async function applyPlan(host: ServiceHost, plan: ServicePlan, out: (line: string) => void): Promise<void> {
  for (const note of plan.notes) out(`note: ${note}`);
  for (const step of plan.steps) {
    switch (step.kind) {
      case 'mkdir':
        mkdirSync(step.path, { recursive: true });
        break;
      case 'write':
        writeFileAtomically(step.path, step.content);
        out(`wrote ${step.path}`);
        break;
      case 'remove':
        if (existsSync(step.path)) {
          rmSync(step.path, { force: true });
          out(`removed ${step.path}`);
        }
        break;
      case 'run': {
        if (step.onlyIf === 'loaded' && !(await isLoaded(host))) break;
        const result = await host.runner(step.argv[0], step.argv.slice(1));
        if (result.code === 0) out(`ran: ${step.argv.join(' ')}`);
        else if (step.mayFail) out(`skipped: ${step.argv.join(' ')} (${step.mayFail}: ${firstLine(result.stderr) || `exit ${result.code}`})`);
        else throw commandFailed(step.argv, result);
        break;
      }
    }
  }
}

/** Options of install and uninstall. */
export interface ServiceOptions {
  platform?: ServicePlatform;
  dryRun?: boolean;
  /** config.yaml for the daemon (default PARACHUTE_CONFIG, else ~/.parachute/config.yaml). Install only. */
  configPath?: string;
}

/** `install`: renders the unit file for this user and loads it; with dryRun only prints what it would do. */
export async function installService(host: ServiceHost, options: ServiceOptions, out: (line: string) => void): Promise<ServicePlan> {
  const plan = planInstall(host, servicePlatform(host, options.platform), { configPath: options.configPath });
  const built = existsSync(mainScriptPath(host));
  if (options.dryRun) {
    if (!built) plan.notes.unshift(`${mainScriptPath(host)} does not exist yet: run 'npm run build' before installing`);
    describePlan(plan, out);
    return plan;
  }
  if (!built) throw new ServiceError(`${mainScriptPath(host)} does not exist: build the package ('npm run build') before installing the service`);
  await applyPlan(host, plan, out);
  return plan;
}

/** `uninstall`: stops and unloads the service and removes its unit file; with dryRun only prints what it would do. */
export async function uninstallService(host: ServiceHost, options: ServiceOptions, out: (line: string) => void): Promise<ServicePlan> {
  const plan = planUninstall(host, servicePlatform(host, options.platform));
  if (options.dryRun) describePlan(plan, out);
  else await applyPlan(host, plan, out);
  return plan;
}

/** Starts, stops or restarts the installed service through launchctl or systemctl. */
export async function controlService(host: ServiceHost, platform: ServicePlatform, action: 'start' | 'stop' | 'restart'): Promise<string[]> {
  const filePath = serviceFilePath(host, platform);
  if (!existsSync(filePath)) throw new ServiceError(`the service is not installed (no ${filePath}): run 'parachute-supervisor install' first`);
  const argv = controlCommand(host, platform, action);
  const result = await host.runner(argv[0], argv.slice(1));
  if (result.code !== 0) throw commandFailed(argv, result);
  return argv;
}

/** The command behind start/stop/restart on `platform`. */
export function controlCommand(host: Pick<ServiceHost, 'uid'>, platform: ServicePlatform, action: 'start' | 'stop' | 'restart'): [string, ...string[]] {
  if (platform === 'linux') return ['systemctl', '--user', action, serviceNames.systemdUnit];
  const target = launchdTarget(host);
  // kill SIGTERM: the supervisor exits 0 and KeepAlive {SuccessfulExit: false} leaves it stopped; kickstart -k kills and restarts.
  if (action === 'stop') return ['launchctl', 'kill', 'SIGTERM', target];
  if (action === 'restart') return ['launchctl', 'kickstart', '-k', target];
  return ['launchctl', 'kickstart', target];
}

/** Quotes a word for a POSIX shell, only when needed. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

function launchdDomain(host: Pick<ServiceHost, 'uid'>): string {
  return `gui/${host.uid}`;
}

function launchdTarget(host: Pick<ServiceHost, 'uid'>): string {
  return `${launchdDomain(host)}/${serviceNames.launchdLabel}`;
}

async function isLoaded(host: ServiceHost): Promise<boolean> {
  return (await host.runner('launchctl', ['print', launchdTarget(host)])).code === 0;
}

function readTemplate(host: ServiceHost, name: string): string {
  const path = join(host.packageRoot, 'service', name);
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new ServiceError(`cannot read the service template ${path}: ${(error as Error).message}`, { cause: error });
  }
}

// launchd and systemd start with a minimal PATH; the server command (e.g. `node`, `bun`) must still be found.
function servicePath(host: ServiceHost, platform: ServicePlatform): string {
  const standard = platform === 'darwin' ? ['/opt/homebrew/bin', '/usr/local/bin', '/usr/bin', '/bin', '/usr/sbin', '/sbin'] : ['/usr/local/bin', '/usr/bin', '/bin'];
  const fromUser = (host.env.PATH ?? '').split(':');
  // eslint-disable-next-line no-control-regex
  const usable = (folder: string) => folder.startsWith('/') && !/[\u0000-\u001f\u007f]/.test(folder);
  return [...new Set([dirname(host.nodePath), ...fromUser, ...standard].filter(usable))].join(':');
}

// Temp file in the same folder, then rename: launchd/systemd never read a half-written unit.
function writeFileAtomically(path: string, content: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, content, { mode: 0o644 });
  renameSync(temp, path);
}

function commandFailed(argv: readonly string[], result: RunResult): ServiceError {
  const why = firstLine(result.stderr) || firstLine(result.stdout) || 'no output';
  return new ServiceError(`${argv.join(' ')} failed with exit code ${result.code}: ${why}`);
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim() ?? '';
}
