// Writes the git-ignored demo config that `npm start` runs against, once; later runs keep your edits.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dir = join(root, '.demo');
const configPath = join(dir, 'config.yaml');
if (existsSync(configPath)) {
  console.log(`demo config: ${configPath} (kept)`);
} else {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(
    configPath,
    `# Demo config for \`npm start\` (written by scripts/prepare-demo.mjs; git-ignored, edit freely).
# The supervisor runs the bundled demo server because supervisor.server.command is absent.
port: 3333
default_model: claude-sonnet-4-5
log_level: info

supervisor:
  log_dir: ${JSON.stringify(join(dir, 'logs'))}
  server:
    autostart: true
    start_timeout_ms: 10000
    stop_timeout_ms: 5000
`,
    { mode: 0o600 },
  );
  console.log(`demo config: ${configPath} (created)`);
}
