// What every client subcommand shares: argument parsing, --help, the client, and errors mapped to exit codes.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import {
  abortableDelay,
  SupervisorClient,
  SupervisorHttpError,
  SupervisorUnreachableError,
  type SupervisorClientOptions,
} from '../client/supervisor-client.js';
import { ServiceError, defaultServiceHost, type ServiceHost } from '../service/install.js';
import { UsageError, exitCodes, programName, usageErrorText, type CliCommand, type CliIo } from './command.js';

/** The option table of node's parseArgs (not exported by @types/node 20 under its own name). */
export type OptionTable = NonNullable<ParseArgsConfig['options']>;

export { programName };

/** What commands depend on besides their arguments; tests replace parts of it. */
export interface CommandDeps {
  /** Extra client options (timeouts, a fetch stand-in). */
  client: Partial<SupervisorClientOptions>;
  /** Pause between status polls while a lifecycle command shows progress. */
  pollIntervalMs: number;
  /** How long `start`/`restart`/`stop` of the daemon wait for it to answer (or go away). */
  daemonWaitMs: number;
  /** How long `status` waits for the models answer when status itself does not know the model's lifecycle. */
  modelInfoWaitMs: number;
  /** The host for install/uninstall/start/stop/restart (created on first use). */
  serviceHost: () => ServiceHost;
}

/** The real dependencies. */
export function defaultCommandDeps(): CommandDeps {
  let host: ServiceHost | undefined;
  return { client: {}, pollIntervalMs: 500, daemonWaitMs: 30_000, modelInfoWaitMs: 2_000, serviceHost: () => (host ??= defaultServiceHost()) };
}

/** The `--url URL` option every HTTP subcommand accepts. */
export const urlOption = { url: { type: 'string' } } as const satisfies OptionTable;

/** The help line describing `--url`. */
export const urlHelp =
  '  --url URL     supervisor address (default: $SUPERVISOR_URL, else http://127.0.0.1:${SUPERVISOR_PORT:-3334});\n' +
  '                the bearer token comes from $SUPERVISOR_TOKEN';

/** A subcommand with `--help` and the error-to-exit-code mapping built in. */
export function defineCommand(spec: { name: string; summary: string; help: string; run(argv: string[], io: CliIo): Promise<number> }): CliCommand {
  return {
    name: spec.name,
    summary: spec.summary,
    async run(argv, io) {
      const beforeTerminator = argv.indexOf('--') === -1 ? argv : argv.slice(0, argv.indexOf('--'));
      if (beforeTerminator.includes('--help') || beforeTerminator.includes('-h')) {
        io.out(spec.help);
        return exitCodes.ok;
      }
      try {
        return await spec.run(argv, io);
      } catch (error) {
        return reportError(error, io, spec.name);
      }
    },
  };
}

/** Parses argv strictly with node's parseArgs; any problem becomes a UsageError. */
export function parseCommandLine<O extends OptionTable>(argv: string[], options: O, positionals: { min: number; max: number }) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const count = parsed.positionals.length;
  if (count < positionals.min) throw new UsageError(count === 0 ? 'missing argument' : `expected at least ${positionals.min} arguments, got ${count}`);
  if (count > positionals.max) {
    const extra = parsed.positionals.slice(positionals.max).map((arg) => JSON.stringify(arg)).join(' ');
    throw new UsageError(`unexpected argument${count - positionals.max > 1 ? 's' : ''} ${extra}`);
  }
  return parsed;
}

/** A count option (`-n 20`): `fallback` when absent, else an integer from 0 to `max` (a UsageError naming the option otherwise). */
export function parseCountOption(option: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) > max) throw new UsageError(`${option} must be an integer from 0 to ${max}, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

/** The client for `--url` / the environment; a malformed address is a usage error. */
export function clientFor(url: string | undefined, io: CliIo, deps: CommandDeps): SupervisorClient {
  try {
    return SupervisorClient.fromEnvironment(io.env, { ...deps.client, url });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Prints an error the way the CLI reports it and returns the exit code of the CLI contract (docs/api.md, CLI). */
export function reportError(error: unknown, io: CliIo, command: string): number {
  if (error instanceof UsageError) {
    io.err(usageErrorText(command, error.message));
    return exitCodes.usage;
  }
  if (error instanceof SupervisorUnreachableError) {
    io.err(`${programName}: ${error.message}`);
    io.err(`Is the supervisor running? Start it with '${programName} start' (installed service) or '${programName} serve'.`);
    return exitCodes.unreachable;
  }
  if (error instanceof SupervisorHttpError) {
    io.err(`${programName} ${command}: ${error.detail}${error.code ? ` [${error.code}]` : ''}`);
    return exitCodes.failed;
  }
  if (error instanceof ServiceError) {
    io.err(`${programName} ${command}: ${error.message}`);
    return exitCodes.failed;
  }
  io.err(`${programName} ${command}: ${error instanceof Error ? error.message : String(error)}`);
  return exitCodes.failed;
}

/** Resolves after `ms`, or rejects at once when `signal` aborts. */
export const delay = abortableDelay;
