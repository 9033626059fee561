// The client must run in the web UI's browser bundle: no node built-ins, no node globals.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const clientDir = join(import.meta.dirname, '..', '..', '..', 'src', 'client');

describe('the typed client in a browser bundle', () => {
  it('bundles for the browser platform without errors', async () => {
    const result = await build({
      entryPoints: [join(clientDir, 'supervisor-client.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    expect(result.errors).toEqual([]);
    expect(result.outputFiles[0]?.text).toMatch(/SupervisorClient = class/);
  });

  it('refuses a node built-in, so the check above can fail', async () => {
    const failed = await build({
      stdin: { contents: "import { readFileSync } from 'node:fs'; console.log(readFileSync);", loader: 'ts' },
      bundle: true,
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    }).catch((error: Error) => error);
    expect(failed).toBeInstanceOf(Error);
  });

  it.each(['supervisor-client.ts', 'sse-reader.ts', 'supervisor-types.ts'])('%s uses no node globals', (file) => {
    const source = readFileSync(join(clientDir, file), 'utf8').replace(/\/\/.*$/gm, '');
    expect(source).not.toMatch(/\b(process|Buffer|require|__dirname)\b/);
  });
});
