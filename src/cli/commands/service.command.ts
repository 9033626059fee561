import { SupervisorUnreachableError, type SupervisorClient } from '../../client/supervisor-client.js';
import {
  controlService,
  installService,
  servicePlatform,
  servicePlatforms,
  uninstallService,
  type ServicePlatform,
} from '../../service/install.js';
import { UsageError, exitCodes, type CliCommand } from '../command.js';
import { clientFor, defineCommand, delay, parseCommandLine, programName, urlHelp, urlOption, type CommandDeps } from '../cli-support.js';

const platformHelp = '  --platform P  darwin (launchd) or linux (systemd --user); default: this machine';

/** `install [--dry-run] [--platform darwin|linux] [--config PATH]`: the supervisor as a per-user background service. */
export function installCommand(deps: CommandDeps): CliCommand {
  return defineCommand({
    name: 'install',
    summary: 'Install and start the supervisor as a launchd/systemd user service',
    help: [
      `Usage: ${programName} install [--dry-run] [--platform darwin|linux] [--config PATH]`,
      '',
      'Writes ~/Library/LaunchAgents/io.openparachute.supervisor.plist (macOS) or',
      '~/.config/systemd/user/parachute-supervisor.service (Linux) for this node and this package, then loads it',
      '(launchctl bootstrap / systemctl --user daemon-reload + enable --now). Running it again applies a new file.',
      '',
      '  --dry-run     print the file and the commands; write and run nothing',
      platformHelp,
      '  --config PATH config.yaml for the service (default: $PARACHUTE_CONFIG, else ~/.parachute/config.yaml)',
    ].join('\n'),
    async run(argv, io) {
      const { values } = parseCommandLine(
        argv,
        { 'dry-run': { type: 'boolean' }, platform: { type: 'string' }, config: { type: 'string' } },
        { min: 0, max: 0 },
      );
      const requested = parsePlatform(values.platform);
      const host = deps.serviceHost();
      const platform = checkPlatform(requested, values['dry-run'] ?? false, host.platform);
      const plan = await installService(host, { platform, dryRun: values['dry-run'], configPath: values.config }, io.out);
      if (!values['dry-run']) io.out(`Installed ${plan.filePath}; check it with '${programName} status'.`);
      return exitCodes.ok;
    },
  });
}

/** `uninstall [--dry-run] [--platform darwin|linux]`: stops the service and removes its file. */
export function uninstallCommand(deps: CommandDeps): CliCommand {
  return defineCommand({
    name: 'uninstall',
    summary: 'Stop the supervisor service and remove its unit file',
    help: [
      `Usage: ${programName} uninstall [--dry-run] [--platform darwin|linux]`,
      '',
      'Unloads the service (launchctl bootout / systemctl --user disable --now) and removes its file.',
      '',
      '  --dry-run     print the commands; change nothing',
      platformHelp,
    ].join('\n'),
    async run(argv, io) {
      const { values } = parseCommandLine(argv, { 'dry-run': { type: 'boolean' }, platform: { type: 'string' } }, { min: 0, max: 0 });
      const requested = parsePlatform(values.platform);
      const host = deps.serviceHost();
      const platform = checkPlatform(requested, values['dry-run'] ?? false, host.platform);
      const plan = await uninstallService(host, { platform, dryRun: values['dry-run'] }, io.out);
      if (!values['dry-run']) io.out(`Uninstalled ${plan.filePath}.`);
      return exitCodes.ok;
    },
  });
}

/** `start` / `stop` / `restart` of the installed daemon through launchctl or systemctl. */
export function daemonControlCommand(action: 'start' | 'stop' | 'restart', deps: CommandDeps): CliCommand {
  const summaries = {
    start: 'Start the installed supervisor service',
    stop: 'Stop the installed supervisor service (it stops the main server)',
    restart: 'Restart the installed supervisor service',
  };
  return defineCommand({
    name: action,
    summary: summaries[action],
    help: [
      `Usage: ${programName} ${action} [--no-wait] [--url URL]`,
      '',
      `${summaries[action]} via launchctl (macOS) or systemctl --user (Linux), then waits until the supervisor`,
      `${action === 'stop' ? 'no longer answers' : 'answers over HTTP'} (up to ${Math.round(deps.daemonWaitMs / 1000)} s). Needs '${programName} install' first.`,
      '',
      '  --no-wait     do not wait for the supervisor',
      urlHelp,
    ].join('\n'),
    async run(argv, io) {
      const { values } = parseCommandLine(argv, { ...urlOption, 'no-wait': { type: 'boolean' } }, { min: 0, max: 0 });
      const client = clientFor(values.url, io, deps);
      const host = deps.serviceHost();
      const command = await controlService(host, servicePlatform(host), action);
      io.out(`ran: ${command.join(' ')}`);
      if (values['no-wait']) return exitCodes.ok;
      const up = action !== 'stop';
      if (await waitForSupervisor(client, up, deps)) {
        io.out(up ? `The supervisor answers at ${client.baseUrl}.` : 'The supervisor has stopped.');
        return exitCodes.ok;
      }
      io.err(
        up
          ? `${programName} ${action}: the supervisor did not answer at ${client.baseUrl} within ${Math.round(deps.daemonWaitMs / 1000)} s; see its log`
          : `${programName} stop: the supervisor still answers at ${client.baseUrl}`,
      );
      return up ? exitCodes.unreachable : exitCodes.failed;
    },
  });
}

// Polls /supervisor/health until it answers (up) or stops answering (down), within deps.daemonWaitMs.
async function waitForSupervisor(client: SupervisorClient, up: boolean, deps: CommandDeps): Promise<boolean> {
  const deadline = Date.now() + deps.daemonWaitMs;
  for (;;) {
    let answers: boolean;
    try {
      await client.health();
      answers = true;
    } catch (error) {
      // Only "nothing answers" means down; an HTTP error still means someone is there.
      answers = !(error instanceof SupervisorUnreachableError);
    }
    if (answers === up) return true;
    if (Date.now() >= deadline) return false;
    await delay(deps.pollIntervalMs);
  }
}

function parsePlatform(raw: string | undefined): ServicePlatform | undefined {
  if (raw === undefined) return undefined;
  if (!(servicePlatforms as readonly string[]).includes(raw)) throw new UsageError(`--platform must be darwin or linux, got ${JSON.stringify(raw)}`);
  return raw as ServicePlatform;
}

// Loading a launchd job on Linux (or the reverse) cannot work; rendering it for a look can.
function checkPlatform(requested: ServicePlatform | undefined, dryRun: boolean, host: NodeJS.Platform): ServicePlatform | undefined {
  if (requested && !dryRun && requested !== host) throw new UsageError(`--platform ${requested} on ${host} only works with --dry-run`);
  return requested;
}
