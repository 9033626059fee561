import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

/** Where a command was found, or why it cannot be run: the path tried and what to do about it. */
export type CommandLookup =
  | { ok: true; path: string }
  | { ok: false; code: 'ERR_COMMAND_NOT_FOUND' | 'ERR_NOT_EXECUTABLE'; message: string };

/** The file-system facts a lookup needs (tests pass their own). */
export interface CommandFs {
  /** 'file', 'dir' or null when nothing is there. */
  kind(path: string): 'file' | 'dir' | null;
  executable(path: string): boolean;
}

const realFs: CommandFs = {
  kind(path) {
    try {
      const stat = statSync(path);
      return stat.isDirectory() ? 'dir' : 'file';
    } catch {
      return null;
    }
  },
  executable(path) {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
};

/**
 * Resolves argv[0] as execvp would: a name with a slash is a path (relative to `cwd`); a bare name is looked up in
 * each directory of the server's PATH (an empty entry is `cwd`), skipping candidates that are not executable files.
 * `configPath` is named in the advice, where `supervisor.server.command` is set.
 */
export function lookUpCommand(file: string, env: NodeJS.ProcessEnv, cwd: string, configPath: string, fs: CommandFs = realFs): CommandLookup {
  const fix = `set supervisor.server.command in ${configPath}`;
  if (file.includes('/')) {
    const path = isAbsolute(file) ? file : resolve(cwd, file);
    const kind = fs.kind(path);
    if (kind === null) return notFound(`command ${JSON.stringify(file)} not found: ${path} does not exist; install it there or ${fix} to where it is`);
    if (kind === 'dir' || !fs.executable(path)) return notExecutable(path, kind, fix);
    return { ok: true, path };
  }
  const dirs = (env.PATH ?? '').split(delimiter);
  let blocked: { path: string; kind: 'file' | 'dir' } | null = null;
  for (const dir of dirs) {
    const path = join(dir === '' ? cwd : dir, file);
    const kind = fs.kind(path);
    if (kind === 'file' && fs.executable(path)) return { ok: true, path };
    if (kind !== null) blocked ??= { path, kind };
  }
  if (blocked) return notExecutable(blocked.path, blocked.kind, fix);
  return notFound(
    `command ${JSON.stringify(file)} not found in the server's PATH (${env.PATH || 'empty'}); install it, ` +
      `give its full path in supervisor.server.command, or add its folder to supervisor.server.env.PATH in ${configPath}`,
  );
}

function notFound(message: string): CommandLookup {
  return { ok: false, code: 'ERR_COMMAND_NOT_FOUND', message };
}

function notExecutable(path: string, kind: 'file' | 'dir', fix: string): CommandLookup {
  const what = kind === 'dir' ? `${path} is a directory, not a program` : `${path} is not executable`;
  const how = kind === 'dir' ? fix : `run chmod +x ${path}, or ${fix}`;
  return { ok: false, code: 'ERR_NOT_EXECUTABLE', message: `${what}; ${how}` };
}
