import { mkdir, readFile, realpath } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SupervisorError, toSupervisorError } from '../errors.js';
import { removeFileDurable, writeFileAtomic, type AtomicFs } from './atomic-file.js';
import { editConfigText } from './config-edit.js';
import { isErrno } from './config-file.js';
import type { EditableValues } from './editable-keys.js';
import { createSerialQueue } from './serial-queue.js';

/** The bytes the config file held before a write (null: there was no file), to put back byte for byte. */
export class ConfigBackup {
  readonly #bytes: Buffer | null;

  constructor(
    /** The file the bytes belong to (symlinks resolved). */
    readonly path: string,
    bytes: Buffer | null,
  ) {
    this.#bytes = bytes;
  }

  /** The previous content, or null when the write created the file. */
  get bytes(): Buffer | null {
    return this.#bytes;
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
  return {
    write: (path, values) =>
      serial(async () => {
        const target = await resolveTarget(path);
        const previous = await readPrevious(target, path);
        const edit = editConfigText(previous === null ? '' : decodeUtf8(previous, path), values, path);
        if (previous === null) await mkdir(dirname(target), { recursive: true, mode: 0o700 });
        await writeOrFail(() => writeFileAtomic(target, edit.text, options.fs), `cannot write ${path}`);
        return { backup: new ConfigBackup(target, previous), text: edit.text, data: edit.data, updatedKeys: Object.keys(values) };
      }),
    restore: (backup) =>
      serial(async () => {
        const bytes = backup.bytes;
        await writeOrFail(
          () => (bytes === null ? removeFileDurable(backup.path, options.fs) : writeFileAtomic(backup.path, bytes, options.fs)),
          `cannot restore ${backup.path}`,
        );
      }),
  };
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
