import { join } from 'node:path';

/** The files the supervisor keeps for the server in its log dir: the log it writes, the pid file adoption reads, the history. */
export interface ServerFiles {
  logPath: string;
  pidPath: string;
  historyPath: string;
}

/** `server.log`, `server.pid` and `history.jsonl` of a log dir. */
export function serverFiles(logDir: string): ServerFiles {
  return { logPath: join(logDir, 'server.log'), pidPath: join(logDir, 'server.pid'), historyPath: join(logDir, 'history.jsonl') };
}
