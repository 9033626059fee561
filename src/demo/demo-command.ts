import { fileURLToPath } from 'node:url';

/** argv of the bundled demo server: this Node running src/demo/demo-server.mjs (or its copy in dist/). */
export function demoCommand(): string[] {
  return [process.execPath, fileURLToPath(new URL('./demo-server.mjs', import.meta.url))];
}
