import { join } from 'node:path';

/** The files the supervisor keeps for the server in its log dir: the log it writes and the pid file adoption reads. */
export interface ServerFiles {
  logPath: string;
  pidPath: string;
}

/** `server.log` and `server.pid` of a log dir. */
export function serverFiles(logDir: string): ServerFiles {
  return { logPath: join(logDir, 'server.log'), pidPath: join(logDir, 'server.pid') };
}
