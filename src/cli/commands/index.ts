import type { CliCommand } from '../command.js';
import { defaultCommandDeps, type CommandDeps } from '../cli-support.js';
import { configCommand } from './config.command.js';
import { eventsCommand, historyCommand } from './history.command.js';
import { logsCommand } from './logs.command.js';
import { modelsCommand } from './models.command.js';
import { serverCommand } from './server.command.js';
import { daemonControlCommand, installCommand, uninstallCommand } from './service.command.js';
import { statusCommand } from './status.command.js';

/** Every subcommand except `serve`, built on `deps` (tests pass fakes). */
export function createCommands(deps: CommandDeps = defaultCommandDeps()): CliCommand[] {
  return [
    statusCommand(deps),
    serverCommand(deps),
    logsCommand(deps),
    historyCommand(deps),
    eventsCommand(deps),
    modelsCommand(deps),
    configCommand(deps),
    installCommand(deps),
    uninstallCommand(deps),
    daemonControlCommand('start', deps),
    daemonControlCommand('stop', deps),
    daemonControlCommand('restart', deps),
  ];
}

/** The client and service subcommands, as `src/cli/main.ts` dispatches them (`serve` is separate). */
export const commands: CliCommand[] = createCommands();
