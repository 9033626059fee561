// Commands for Debian's real ASGI servers (python3-uvicorn, python3-fastapi, gunicorn; `.ci/run` installs them)
// serving test/fixtures/fastapi_app.py. /usr/bin/python3 on purpose: a python3 earlier on PATH (pyenv) may not have them.
import { execFileSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fixture } from './supervisor-harness.js';

export const python = '/usr/bin/python3';
export const gunicorn = '/usr/bin/gunicorn';
const appDir = dirname(fixture('fastapi_app.py'));
const quiet = ['--log-level', 'warning'];

/** argv of each server setup, all serving the FastAPI fixture on the socket handed over as fd 3. */
export const asgiCommands = {
  uvicorn: [python, '-m', 'uvicorn', '--fd', '3', '--app-dir', appDir, ...quiet, '--no-access-log', 'fastapi_app:app'],
  uvicornWorkers: [python, '-m', 'uvicorn', '--fd', '3', '--workers', '2', '--app-dir', appDir, ...quiet, '--no-access-log', 'fastapi_app:app'],
  gunicornUvicornWorkers: [gunicorn, '-k', 'uvicorn.workers.UvicornWorker', '-w', '2', '--bind', 'fd://3', '--chdir', appDir, ...quiet, 'fastapi_app:app'],
} as const;

/** uvicorn binding `port` itself (no --fd 3): what a server not set up for the handoff does. */
export function uvicornOnItsOwnPort(port: number): string[] {
  return [python, '-m', 'uvicorn', '--port', String(port), '--app-dir', appDir, ...quiet, '--no-access-log', 'fastapi_app:app'];
}

/** Throws, saying what to install, unless Debian's uvicorn, FastAPI and gunicorn are there. */
export function requireAsgiServers(): void {
  try {
    execFileSync(python, ['-c', 'import uvicorn, fastapi, gunicorn'], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`${python} cannot import uvicorn, fastapi and gunicorn: apt-get install python3-uvicorn python3-fastapi gunicorn (${(error as Error).message})`);
  }
}
