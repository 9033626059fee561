import { fileURLToPath } from 'node:url';

/** argv of the bundled demo server: this Node running src/demo/demo-server.mjs (or its copy in dist/). */
export function demoCommand(): string[] {
  // Through ../demo/ so the path also holds from the daemon bundle in dist/src/cli/.
  return [process.execPath, fileURLToPath(new URL('../demo/demo-server.mjs', import.meta.url))];
}
