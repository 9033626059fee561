import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const fixture = fileURLToPath(new URL('../fixtures/log-writer.mjs', import.meta.url));

/** A real child process appending to the log through an inherited O_APPEND fd, as the main server does. */
export interface LogWriter {
  /** Writes exactly this text (to stdout, or stderr with fd 2) and resolves once it is in the file. */
  write(text: string, fd?: 1 | 2): Promise<void>;
  /** Writes `lines` numbered lines `${prefix} ${i}` (padded by `width` x's) in large writes. */
  burst(lines: number, prefix?: string, width?: number): Promise<void>;
  stop(): Promise<void>;
  readonly child: ChildProcess;
}

/** Starts the fixture writer on `logPath` (created if missing), like the spawner: open with 'a', pass as fd 1 and 2. */
export function startLogWriter(logPath: string): LogWriter {
  const fd = openSync(logPath, 'a');
  const child = spawn(process.execPath, [fixture], { stdio: ['ignore', fd, fd, 'ipc'] });
  closeSync(fd);
  let seq = 0;
  const pending = new Map<number, () => void>();
  child.on('message', (message: { seq: number }) => {
    pending.get(message.seq)?.();
    pending.delete(message.seq);
  });
  const command = (body: Record<string, unknown>): Promise<void> =>
    new Promise((resolve, reject) => {
      seq += 1;
      pending.set(seq, resolve);
      child.send({ seq, ...body }, (error) => error && reject(error));
    });
  return {
    child,
    write: (text, fd = 1) => command({ text, fd }),
    burst: (lines, prefix = 'line', width = 0) => command({ lines, prefix, width }),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
