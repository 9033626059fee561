/** Where a command writes; tests pass their own. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

/** One subcommand of `parachute-supervisor`; `run` resolves to the process exit code. */
export interface CliCommand {
  name: string;
  summary: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

/** The program name used in messages. */
export const programName = 'parachute-supervisor';

/** How the CLI reports a usage error: what was wrong, then where the command's help is. */
export function usageErrorText(command: string, message: string): string {
  return `${programName} ${command}: ${message}\nRun '${programName} ${command} --help' for usage.`;
}

/** Exit codes of the CLI contract (docs/api.md, CLI). */
export const exitCodes = { ok: 0, failed: 1, usage: 2, unreachable: 3 } as const;

/** A usage error: printed with the command's help hint, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
