import type { CliIo } from './command.js';
import { dispatch } from './dispatch.js';
import { serveCommand } from './serve.js';

/**
 * The daemon: `serve` alone, without the client and service commands. scripts/build-daemon.mjs bundles this file
 * and everything it imports into dist/src/cli/serve.bundle.mjs, which is what `parachute-supervisor serve` runs.
 */
export function runServe(argv: string[], io: CliIo): Promise<number> {
  return dispatch(argv, io, [serveCommand()]);
}
