import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A folder made unwritable for this process, and how to undo it. */
export interface ReadOnlyFolder {
  /** What was done, for the test's own messages. */
  how: string;
  undo(): void;
}

function blocksWrites(dir: string): boolean {
  const probe = join(dir, `.ro-probe-${process.pid}`);
  try {
    writeFileSync(probe, 'x');
  } catch {
    return true;
  }
  rmSync(probe, { force: true });
  return false;
}

function attempt(dir: string, how: string, apply: () => void, undo: () => void): ReadOnlyFolder | null {
  try {
    apply();
  } catch {
    return null;
  }
  if (blocksWrites(dir)) return { how, undo };
  undo();
  return null;
}

const run = (file: string, args: string[]) => execFileSync(file, args, { stdio: 'ignore' });

/**
 * Makes `dir` refuse new entries and renames. A mode of 0555 does that for a normal user, but root ignores permission
 * bits, and tests run as root in CI: then the folder is made immutable (`chattr +i`, which binds root too), or failing
 * that bind-mounted read-only onto itself. Both are real kernel refusals (EPERM / EROFS), not mocks; what they stand
 * in for is an owner's `chmod a-w`. Throws when none of these works here (no chattr support, no mount rights): a
 * fault test that cannot create its fault must fail, not pass having checked nothing.
 */
export function makeFolderReadOnly(dir: string): ReadOnlyFolder {
  const made = tryReadOnly(dir);
  if (!made) throw new Error(`cannot make ${dir} read-only on this machine (chmod has no effect, and neither chattr +i nor a read-only bind mount works)`);
  return made;
}

function tryReadOnly(dir: string): ReadOnlyFolder | null {
  if (process.getuid?.() !== 0) {
    return attempt(dir, 'chmod 0555', () => chmodSync(dir, 0o555), () => chmodSync(dir, 0o700));
  }
  return (
    attempt(dir, 'chattr +i (root ignores mode bits)', () => run('chattr', ['+i', dir]), () => run('chattr', ['-i', dir])) ??
    attempt(
      dir,
      'read-only bind mount (root ignores mode bits)',
      () => {
        run('mount', ['--bind', dir, dir]);
        try {
          run('mount', ['-o', 'remount,bind,ro', dir]);
        } catch (error) {
          run('umount', [dir]);
          throw error;
        }
      },
      () => run('umount', [dir]),
    )
  );
}
