import { stringify } from 'yaml';
import type { ConfigValue } from '../../client/supervisor-types.js';
import { UsageError, exitCodes, type CliCommand } from '../command.js';
import { clientFor, defineCommand, parseCommandLine, programName, urlHelp, urlOption, type CommandDeps } from '../cli-support.js';

/** `config get [KEY]` and `config set KEY VALUE [--no-restart]` over HTTP. */
export function configCommand(deps: CommandDeps): CliCommand {
  return defineCommand({
    name: 'config',
    summary: 'Read or change config.yaml (get [KEY] | set KEY VALUE)',
    help: [
      `Usage: ${programName} config get [KEY] [--json] [--url URL]`,
      `       ${programName} config set KEY VALUE [--no-restart] [--url URL]`,
      '',
      'get prints the whole config (secrets redacted) or one key; KEY may be a dotted path (supervisor.server.port).',
      'set changes one editable key (default_model, log_level, debug, log_format, max_message_length,',
      'transcription_enabled) and restarts the main server on the new config; if it does not come back healthy,',
      'the supervisor restores the previous config and set exits 1.',
      'VALUE: true/false become booleans, integers become numbers, anything else is a string.',
      '',
      '  --json        (get) print JSON instead of YAML',
      '  --no-restart  (set) write the config without restarting the main server',
      urlHelp,
    ].join('\n'),
    async run(argv, io) {
      const { values, positionals } = parseCommandLine(
        argv,
        { ...urlOption, json: { type: 'boolean' }, 'no-restart': { type: 'boolean' } },
        { min: 1, max: 3 },
      );
      const [action, key, raw] = positionals;
      if (action === 'get') {
        if (positionals.length > 2) throw new UsageError(`config get takes at most one KEY, got ${positionals.length - 1}`);
        if (values['no-restart']) throw new UsageError('--no-restart only applies to config set');
        const { config } = await clientFor(values.url, io, deps).getConfig();
        if (key === undefined) {
          io.out(render(config, values.json ?? false));
          return exitCodes.ok;
        }
        const found = lookup(config, key);
        if (!found.present) {
          io.err(`${programName} config: ${key} is not set`);
          return exitCodes.failed;
        }
        io.out(typeof found.value === 'object' && found.value !== null ? render(found.value, values.json ?? false) : String(found.value));
        return exitCodes.ok;
      }
      if (action === 'set') {
        if (key === undefined || raw === undefined) throw new UsageError('config set needs KEY and VALUE');
        if (values.json) throw new UsageError('--json only applies to config get');
        const value = parseConfigValue(raw);
        const restart = !values['no-restart'];
        const result = await clientFor(values.url, io, deps).updateConfig({ [key]: value }, { restart });
        io.out(`Set ${key} = ${JSON.stringify(value)}${result.server_restarted ? '; the main server restarted on the new config' : restart ? '' : ' (main server not restarted)'}`);
        return exitCodes.ok;
      }
      throw new UsageError(`unknown action ${JSON.stringify(action)}: expected get or set`);
    },
  });
}

/** A VALUE from the command line: `true`/`false` → boolean, an integer → number, anything else → string. */
export function parseConfigValue(raw: string): ConfigValue {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (/^-?\d+$/.test(raw) && Number.isSafeInteger(Number(raw))) return Number(raw);
  return raw;
}

// Follows a dotted path through nested mappings; an exact top-level key wins over the dotted reading.
function lookup(config: Record<string, unknown>, key: string): { present: boolean; value?: unknown } {
  if (Object.hasOwn(config, key)) return { present: true, value: config[key] };
  let node: unknown = config;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null || Array.isArray(node) || !Object.hasOwn(node, part)) return { present: false };
    node = (node as Record<string, unknown>)[part];
  }
  return { present: true, value: node };
}

function render(value: unknown, json: boolean): string {
  return json ? JSON.stringify(value, null, 2) : stringify(value).replace(/\n$/, '');
}
