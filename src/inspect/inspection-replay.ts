import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { InspectionMemory, InspectionRecord } from './inspection-hub.js';

/** How many records the replay keeps (the recent past a new inspector is sent first). */
export const replayCapacity = 200;

/** Where the replay is kept: `<log_dir>/inspect.jsonl`, beside server.log. */
export function inspectionReplayPath(logDir: string): string {
  return join(logDir, 'inspect.jsonl');
}

const recordKinds = new Set(['snapshot', 'event', 'started']);

/** One line of the replay file as a record; null for a torn or foreign line (a crash mid-write), never an error. */
export function parseReplayLine(line: string): InspectionRecord | null {
  if (line.trim() === '') return null;
  try {
    const parsed: unknown = JSON.parse(line);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
    const record = parsed as { kind?: unknown; at?: unknown };
    return recordKinds.has(String(record.kind)) && typeof record.at === 'number' ? (parsed as InspectionRecord) : null;
  } catch {
    return null;
  }
}

export interface InspectionReplayOptions {
  /** The file the records are kept in across supervisor restarts (`<log_dir>/inspect.jsonl`); null keeps them in memory only. */
  path: string | null;
  capacity?: number;
  /** Told once when the file cannot be read or written (the replay then lives in memory only). */
  warn?: (message: string) => void;
}

/**
 * The last `capacity` inspection records that changed something, as JSON lines in memory (strings are several times
 * smaller than the objects), and appended to a file off the hot path: a record is queued, and written with the others
 * of the same tick after it. The file is rewritten from memory (temp file, rename; mode 0600) when it holds twice the
 * capacity, so it stays bounded; a torn last line is skipped when it is read back.
 */
export class InspectionReplay implements InspectionMemory {
  private lines: string[] = [];
  private pending: string[] = [];
  private fileLines = 0;
  private flushScheduled = false;
  private failed = false;
  // Every file operation runs after the one before it: the load, the appends, the rewrites.
  private work: Promise<void>;
  private readonly capacity: number;
  /** Resolves once the records kept by earlier supervisor runs are loaded (never rejects). */
  readonly ready: Promise<void>;

  constructor(private readonly options: InspectionReplayOptions) {
    this.capacity = options.capacity ?? replayCapacity;
    this.work = this.ready = this.load();
  }

  /** Keeps a record and queues it for the file. */
  add(record: InspectionRecord): void {
    const line = JSON.stringify(record);
    this.lines.push(line);
    if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
    if (this.options.path === null || this.failed) return;
    this.pending.push(line);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      void this.flush();
    });
  }

  /** The kept records, oldest first. */
  records(): InspectionRecord[] {
    return this.lines.flatMap((line) => {
      const record = parseReplayLine(line);
      return record ? [record] : [];
    });
  }

  /** Writes what is queued; resolves when the file holds every record added so far (shutdown waits for it). */
  flush(): Promise<void> {
    this.work = this.work.then(() => this.writePending());
    return this.work;
  }

  private async load(): Promise<void> {
    const path = this.options.path;
    if (path === null) return;
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.fail(`cannot read ${path}: ${(error as Error).message}`);
      return;
    }
    const earlier = text.split('\n').filter((line) => parseReplayLine(line) !== null);
    this.lines = [...earlier, ...this.lines].slice(-this.capacity);
    // Rewritten at once: a torn last line must not swallow the next append, and the file starts bounded.
    await this.rewrite();
  }

  private async writePending(): Promise<void> {
    const path = this.options.path;
    if (path === null || this.failed || this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    try {
      if (this.fileLines + batch.length > 2 * this.capacity) {
        await this.rewrite();
        return;
      }
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await appendFile(path, `${batch.join('\n')}\n`, { mode: 0o600 });
      this.fileLines += batch.length;
    } catch (error) {
      this.fail(`cannot write ${path}: ${(error as Error).message}`);
    }
  }

  // The file becomes exactly what memory holds (which includes everything queued).
  private async rewrite(): Promise<void> {
    const path = this.options.path;
    if (path === null) return;
    this.pending = [];
    const temp = `${path}.${process.pid}.tmp`;
    try {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      await writeFile(temp, this.lines.length ? `${this.lines.join('\n')}\n` : '', { mode: 0o600 });
      await rename(temp, path);
      this.fileLines = this.lines.length;
    } catch (error) {
      this.fail(`cannot write ${path}: ${(error as Error).message}`);
    }
  }

  private fail(message: string): void {
    if (this.failed) return;
    this.failed = true;
    this.pending = [];
    this.options.warn?.(`inspection replay: ${message}; the recent past is kept in memory only`);
  }
}
