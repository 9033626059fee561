import { exitCodes, type CliCommand } from '../command.js';
import { clientFor, defineCommand, parseCommandLine, programName, urlHelp, urlOption, type CommandDeps } from '../cli-support.js';
import { formatModels } from '../views.js';

/** `models [--all] [--refresh] [--json]`: the Claude models the Settings page offers, grouped by line, with lifecycles. */
export function modelsCommand(deps: CommandDeps): CliCommand {
  return defineCommand({
    name: 'models',
    summary: 'List the available Claude models',
    help: [
      `Usage: ${programName} models [--all] [--refresh] [--json] [--url URL]`,
      '',
      'Lists the Claude models (the latest active one per line by default, and the current one) with release date,',
      'context window and lifecycle (active, or deprecated with its retirement date); * marks the model default_model',
      'names. Warnings say when that model is deprecated, retired or unknown, and what replaces it.',
      '',
      '  --all         every version that is not retired, grouped by line, newest first',
      '  --refresh     ask Anthropic now instead of using the cached list (exit 1 if that fails)',
      '  --json        print the raw answer',
      urlHelp,
    ].join('\n'),
    async run(argv, io) {
      const { values } = parseCommandLine(
        argv,
        { ...urlOption, all: { type: 'boolean' }, refresh: { type: 'boolean' }, json: { type: 'boolean' } },
        { min: 0, max: 0 },
      );
      const client = clientFor(values.url, io, deps);
      const response = await client.models({ showAll: values.all ?? false, refresh: values.refresh ?? false });
      io.out(values.json ? JSON.stringify(response, null, 2) : formatModels(response));
      if (response.error) {
        const served = response.source === 'fallback' ? 'the built-in list' : 'the cached list';
        io.err(`${programName} models: could not fetch the model list (${response.error}); showing ${served}`);
        // An explicit refresh that did not happen is a failed operation; a plain listing still served its list.
        if (values.refresh) return exitCodes.failed;
      }
      return exitCodes.ok;
    },
  });
}
