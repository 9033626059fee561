import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { freePort } from './free-port.js';
import { fixture } from './supervisor-harness.js';
import { waitFor } from './wait-for.js';

/** Path of the built CLI (npm run build). */
export const builtCli = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));

/** A running `parachute-supervisor` process with its output collected. */
export interface CliProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

/** Starts the built CLI with `args`; output is collected for assertions. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  return runProgram(process.execPath, [builtCli, ...args], env);
}

/** Starts `file` with `args` (e.g. an installed bin, as a user's shell would); output is collected for assertions. */
export function runProgram(file: string, args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(file, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Waits for `serve` to print its URL and returns it. */
export function servedUrl(cli: CliProcess, timeoutMs = 10_000): Promise<string> {
  return waitFor('serve to print its URL', () => /on (http:\/\/[^/\s]+)\/supervisor\/ui\//.exec(cli.stdout())?.[1], { timeoutMs });
}

/** Writes `dir`/config.yaml for a daemon that runs the healthy fixture server on a free port, logging to `dir`/logs. */
export async function writeHealthyConfig(dir: string): Promise<string> {
  const configPath = join(dir, 'config.yaml');
  const config = { port: await freePort(), supervisor: { log_dir: join(dir, 'logs'), server: { command: [process.execPath, fixture('healthy-server.mjs')] } } };
  writeFileSync(configPath, stringify(config));
  return configPath;
}
