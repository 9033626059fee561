import { randomBytes } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SupervisorError } from './errors.js';
import { isErrno } from './errno.js';

/** The token a non-loopback bind requires, and the file to create for it once the port is bound (null: none to create). */
export interface TokenPlan {
  token: string;
  /** Where the token is kept (null when it comes from SUPERVISOR_TOKEN). */
  file: string | null;
  /** True when `file` does not exist yet: it is written only after a successful bind (see createTokenFile). */
  create: boolean;
}

/** The token file's place: `supervisor.token` next to config.yaml. */
export function tokenFilePath(configPath: string): string {
  return join(dirname(configPath), 'supervisor.token');
}

/**
 * Decides the token for a non-loopback bind without writing anything: SUPERVISOR_TOKEN, else the token file if it
 * exists (refused unless only its owner can read it), else a new token whose file `createTokenFile` writes later.
 */
export function planToken(configPath: string, env: NodeJS.ProcessEnv): TokenPlan {
  if (env.SUPERVISOR_TOKEN) return { token: env.SUPERVISOR_TOKEN, file: null, create: false };
  const file = tokenFilePath(configPath);
  const existing = readTokenFile(file);
  if (existing !== null) return { token: existing, file, create: false };
  return { token: randomBytes(32).toString('base64url'), file, create: true };
}

/**
 * Writes a planned new token file (mode 0600, never over an existing file). Returns the token in effect (the planned
 * one, or the one another supervisor wrote there first) and `undo`, which removes the file only if this call wrote it.
 */
export function createTokenFile(plan: TokenPlan): { token: string; undo: () => void } {
  const nothing = { token: plan.token, undo: () => undefined };
  if (!plan.create || plan.file === null) return nothing;
  const file = plan.file;
  try {
    writeFileSync(file, `${plan.token}\n`, { mode: 0o600, flag: 'wx' });
    return { token: plan.token, undo: () => rmSync(file, { force: true }) };
  } catch (error) {
    if (isErrno(error, 'EEXIST')) return { ...nothing, token: readTokenFile(file) ?? plan.token };
    throw new SupervisorError('ERR_TOKEN_FILE', `cannot create the token file ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
  }
}

/**
 * The token in `file`, or null when there is no such file. An existing file readable or writable by group or others
 * is refused, not used: anyone else on the machine may have read the token (or put their own there), so the owner
 * must fix the mode and decide whether to replace the token (ssh refuses a private key file the same way).
 */
export function readTokenFile(file: string): string | null {
  let fd: number;
  try {
    // O_NOFOLLOW: the mode checked is the file's own, not a link's target chosen by someone else.
    fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return null;
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const why = code === 'ELOOP' ? 'it is a symbolic link; make it a regular file' : `cannot read it (${code})`;
    throw new SupervisorError('ERR_TOKEN_FILE', `token file ${file}: ${why}`, { cause: error });
  }
  try {
    const stat = fstatSync(fd);
    const mode = stat.mode & 0o777;
    if (!stat.isFile()) throw new SupervisorError('ERR_TOKEN_FILE', `token file ${file} is not a regular file`);
    if ((mode & 0o077) !== 0) {
      throw new SupervisorError(
        'ERR_TOKEN_FILE',
        `token file ${file} has mode ${modeText(mode)}: group or others can access it, so the token may be known to (or chosen by) other users of this machine. ` +
          `Run \`chmod 600 ${file}\` (and delete the file first to have a new token generated), or set SUPERVISOR_TOKEN`,
      );
    }
    const token = readFileSync(fd, 'utf8').trim();
    if (token === '') throw new SupervisorError('ERR_TOKEN_FILE', `token file ${file} is empty; delete it to have a new token generated, or set SUPERVISOR_TOKEN`);
    return token;
  } finally {
    closeSync(fd);
  }
}

function modeText(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}
