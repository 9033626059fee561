import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { supervisorDefaults } from '../config/defaults.js';
import { defaultConfigPath } from '../config/settings.js';
import { topState } from '../actors/state-value.js';
import { startSupervisor, type RunningSupervisor, type SupervisorOptions } from '../supervisor.js';
import { supervisorVersion } from '../version.js';
import { UsageError, exitCodes, type CliCommand, type CliIo } from './command.js';
import { serveSummary } from './serve-summary.js';

const help = `Usage: parachute-supervisor serve [--port 3334] [--host 127.0.0.1] [--config PATH] [--keep-server]

Runs the supervisor in the foreground (what launchd/systemd run).
  --port         HTTP port (env SUPERVISOR_PORT, default 3334)
  --host         bind address (env SUPERVISOR_HOST, default 127.0.0.1; anything else requires a token)
  --config       config.yaml (env PARACHUTE_CONFIG, default ~/.parachute/config.yaml)
  --keep-server  leave the main server running when the supervisor stops (the next one adopts it)`;

/** Parses `serve` arguments with env fallbacks; throws UsageError on bad input. */
export function parseServeArgs(argv: string[], env: NodeJS.ProcessEnv): { port: number; host: string; configPath: string; keepServer: boolean } | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        config: { type: 'string' },
        'keep-server': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values } = parsed;
  if (values.help) return 'help';
  const portText = values.port ?? env.SUPERVISOR_PORT ?? String(supervisorDefaults.port);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw new UsageError(`--port must be an integer from 0 to 65535, got ${JSON.stringify(portText)}`);
  return {
    port,
    host: values.host ?? env.SUPERVISOR_HOST ?? supervisorDefaults.host,
    configPath: resolve(values.config ?? env.PARACHUTE_CONFIG ?? defaultConfigPath()),
    keepServer: values['keep-server'],
  };
}

// One line per lifecycle state change on stdout (launchd/journald keep it); never secrets.
function logStates(running: RunningSupervisor, io: CliIo): void {
  let last = '';
  running.system.actors.onServerChange(({ value, context }) => {
    const state = topState(value);
    const pid = context.process?.pid;
    const line = `server ${state}${pid ? ` (pid ${pid})` : ''}${state === 'crashed' && context.lastError ? `: ${context.lastError.message}` : ''}`;
    if (line !== last) io.out(`${new Date().toISOString()} ${line}`);
    last = line;
  });
}

/** Starts the supervisor and waits for SIGTERM/SIGINT; `extra` lets the caller add routers. */
export function serveCommand(extra: Pick<SupervisorOptions, 'routers' | 'onClose'> = {}): CliCommand {
  return {
    name: 'serve',
    summary: serveSummary,
    async run(argv, io) {
      const args = parseServeArgs(argv, io.env);
      if (args === 'help') {
        io.out(help);
        return exitCodes.ok;
      }
      let running: RunningSupervisor;
      try {
        running = await startSupervisor({ ...args, env: io.env, ...extra });
      } catch (error) {
        io.err(`parachute-supervisor: ${(error as Error).message}`);
        return exitCodes.failed;
      }
      // Signal handlers before the first line is printed: whoever waits for that line may signal at once.
      const stopped = new Promise<number>((done) => {
        const stop = (signal: string) => {
          io.out(`${signal} received: shutting down${args.keepServer ? ' (leaving the server running)' : ''}`);
          void running.close().then(() => done(exitCodes.ok));
        };
        process.once('SIGTERM', () => stop('SIGTERM'));
        process.once('SIGINT', () => stop('SIGINT'));
      });
      io.out(`Parachute Supervisor ${supervisorVersion} on ${running.url}/supervisor/ui/ (config ${args.configPath})`);
      if (running.system.adoption.adopt) io.out(`adopting the running server (pid ${running.system.adoption.adopt.pid})`);
      const config = running.system.config();
      // The message names the problem and its place only, never the file's text (config-file.ts).
      if (config.status === 'invalid') {
        const next = running.system.adoption.adopt ? '' : '; the server was not started: fix the file, then run `parachute-supervisor server start`';
        io.err(`config not loaded: ${config.message}${next}`);
      }
      logStates(running, io);
      return stopped;
    },
  };
}
