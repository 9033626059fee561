import { randomUUID } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The file-system calls an atomic write makes; tests pass failing ones. */
export interface AtomicFs {
  open: typeof open;
  rename: typeof rename;
  rm: typeof rm;
}

const nodeFs: AtomicFs = { open, rename, rm };

/** Mode of every file the supervisor writes that may hold secrets: owner read/write only. */
export const privateFileMode = 0o600;

/**
 * Replaces `path` with `data` atomically: a temp file in the same folder, fsync, rename over `path`, fsync of the
 * folder; mode 0600. On any failure the temp file is removed and `path` is left as it was. `beforeRename` runs last,
 * just before the rename; if it throws, nothing is replaced (a check that `path` still holds what the data was made from).
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  fs: AtomicFs = nodeFs,
  beforeRename?: () => Promise<void>,
): Promise<void> {
  const dir = dirname(path);
  // Same folder as the target, so rename never crosses a file system; dot-prefixed and unique per write.
  const temp = join(dir, `.${basename(path)}.${randomUUID()}.tmp`);
  try {
    const handle = await fs.open(temp, 'wx', privateFileMode);
    try {
      await handle.writeFile(data);
      // The umask can only take bits away; chmod states the mode outright.
      await handle.chmod(privateFileMode);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await beforeRename?.();
    await fs.rename(temp, path);
  } catch (error) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir, fs);
}

/** Removes `path` if it exists and makes the removal durable. */
export async function removeFileDurable(path: string, fs: AtomicFs = nodeFs): Promise<void> {
  await fs.rm(path, { force: true });
  await syncDirectory(dirname(path), fs);
}

// fsync of the folder makes the rename itself durable. Best effort: the new name is already in place, and some
// file systems refuse fsync on a folder; failing the write now would report an edit that did happen as lost.
async function syncDirectory(dir: string, fs: AtomicFs): Promise<void> {
  try {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // see above
  }
}
