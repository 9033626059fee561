import { mkdir, readFile, realpath } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SupervisorError, toSupervisorError } from '../errors.js';
import { removeFileDurable, writeFileAtomic, type AtomicFs } from './atomic-file.js';
import { editConfigText } from './config-edit.js';
import { isErrno } from '../errno.js';
import type { EditableValues } from './editable-keys.js';
import { createSerialQueue } from './serial-queue.js';

/** The bytes the config file held before a write (null: there was no file), to put back byte for byte. */
export class ConfigBackup {
  readonly #bytes: Buffer | null;
  readonly #written: Buffer;

  constructor(
    /** The file the bytes belong to (symlinks resolved). */
    readonly path: string,
    bytes: Buffer | null,
    /** What the write put there: a restore goes ahead only while the file still holds exactly this. */
    written: Buffer,
  ) {
    this.#bytes = bytes;
    this.#written = written;
  }

  /** The previous content, or null when the write created the file. */
  get bytes(): Buffer | null {
    return this.#bytes;
  }

  /** The content the write left. */
  get written(): Buffer {
    return this.#written;
  }

  /** The file may hold credentials: JSON (logs, inspection) shows only its size. */
  toJSON(): { path: string; existed: boolean; size: number } {
    return { path: this.path, existed: this.#bytes !== null, size: this.#bytes?.length ?? 0 };
  }
}

/** What one write did: the backup to undo it, the text written and the data it parses to. */
export interface ConfigWriteResult {
  backup: ConfigBackup;
  text: string;
  data: Record<string, unknown>;
  updatedKeys: string[];
}

/** The one writer of config.yaml; writes and restores run one at a time, in order. */
export interface ConfigWriter {
  /** Sets `values` at the top level of the file at `path`; rejects ERR_CONFIG_INVALID (nothing written) if it does not parse. */
  write(path: string, values: EditableValues): Promise<ConfigWriteResult>;
  /** Puts the backed-up bytes back exactly, or removes the file if the write had created it. */
  restore(backup: ConfigBackup): Promise<void>;
}

/** Creates the serialized writer: every change is an atomic, mode-0600 replacement that keeps the file's formatting. */
export function createConfigWriter(options: { fs?: AtomicFs } = {}): ConfigWriter {
  const serial = createSerialQueue();
  // One edit made from the file as it is now; rejects FileChanged if a hand edit lands before the rename.
  const writeOnce = async (path: string, values: EditableValues): Promise<ConfigWriteResult> => {
    const target = await resolveTarget(path);
    const previous = await readPrevious(target, path);
    const edit = editConfigText(previous === null ? '' : decodeUtf8(previous, path), values, path);
    if (previous === null) await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    await writeOrFail(() => writeFileAtomic(target, edit.text, options.fs, () => expectUnchanged(target, previous, 'read')), `cannot write ${path}`);
    const written = Buffer.from(edit.text, 'utf8');
    return { backup: new ConfigBackup(target, previous, written), text: edit.text, data: edit.data, updatedKeys: Object.keys(values) };
  };
  return {
    write: (path, values) =>
      serial(async () => {
        // A hand edit between our read and our rename would be overwritten: start again from the edited file instead.
        for (let attempt = 1; ; attempt += 1) {
          try {
            return await writeOnce(path, values);
          } catch (error) {
            if (!isFileChanged(error) || attempt >= maxWriteAttempts) throw conflictOr(error, path);
          }
        }
      }),
    restore: (backup) =>
      serial(async () => {
        const bytes = backup.bytes;
        // Only our own write is undone: a file edited since (by hand) is left as it is, and the restore fails.
        const unchanged = () => expectUnchanged(backup.path, backup.written, 'wrote');
        await writeOrFail(async () => {
          if (bytes !== null) return writeFileAtomic(backup.path, bytes, options.fs, unchanged);
          await unchanged();
          return removeFileDurable(backup.path, options.fs);
        }, `cannot restore ${backup.path}`);
      }),
  };
}

const maxWriteAttempts = 3;

/** The file no longer holds what an edit was made from. */
class FileChanged extends Error {
  override name = 'FileChanged';
}

// Throws FileChanged unless `path` holds exactly `expected` (null: does not exist), what the supervisor last `did` to it.
async function expectUnchanged(path: string, expected: Buffer | null, did: 'read' | 'wrote'): Promise<void> {
  let now: Buffer | null;
  try {
    now = await readFile(path);
  } catch (error) {
    if (!isErrno(error, 'ENOENT')) throw error;
    now = null;
  }
  const same = now === null || expected === null ? now === expected : now.equals(expected);
  if (!same) throw new FileChanged(`the file was changed on disk (edited by hand?) since the supervisor ${did} it`);
}

// writeOrFail wraps what the check threw: a FileChanged arrives as the cause of an ERR_CONFIG_WRITE.
function isFileChanged(error: unknown): boolean {
  return error instanceof SupervisorError && error.cause instanceof FileChanged;
}

function conflictOr(error: unknown, path: string): unknown {
  if (!isFileChanged(error)) return error;
  return new SupervisorError(
    'ERR_CONFLICT',
    `${path} kept changing on disk while the change was being written (${maxWriteAttempts} attempts); nothing was written over it, try again`,
    { cause: error },
  );
}

// Write through a symlinked config (dotfile managers) to its target instead of replacing the link with a file.
async function resolveTarget(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return path;
    throw unreadable(path, error);
  }
}

async function readPrevious(target: string, path: string): Promise<Buffer | null> {
  try {
    return await readFile(target);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return null;
    throw unreadable(path, error);
  }
}

function unreadable(path: string, error: unknown): SupervisorError {
  return new SupervisorError('ERR_CONFIG_INVALID', `cannot read ${path}: ${toSupervisorError(error).message}`, {
    cause: error,
    extra: { line: null, column: null },
  });
}

// Bytes that are not UTF-8 would come back altered from a text edit; such a file is refused, never rewritten.
function decodeUtf8(bytes: Buffer, path: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch (error) {
    throw new SupervisorError('ERR_CONFIG_INVALID', `${path} is not UTF-8 text`, { cause: error, extra: { line: null, column: null } });
  }
}

async function writeOrFail(write: () => Promise<void>, what: string): Promise<void> {
  try {
    await write();
  } catch (error) {
    throw new SupervisorError('ERR_CONFIG_WRITE', `${what}: ${toSupervisorError(error).message}`, { cause: error });
  }
}
