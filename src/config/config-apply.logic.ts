import { fromPromise } from 'xstate';
import type { ConfigBackupHandle, ConfigWritten } from '../../machines/config-apply.machine.js';
import { SupervisorError, toSupervisorError } from '../errors.js';
import { redactConfig } from '../redact/redact-config.js';
import { ConfigBackup, createConfigWriter, type ConfigWriter } from './config-writer.js';
import { validateConfigValues } from './editable-keys.js';

/** What the config actor needs from the rest of the supervisor. */
export interface ConfigApplyDeps {
  /** Where config.yaml is; asked on every request. */
  configPath(): string;
  /** Restarts the main server; resolves once it is healthy, rejects with an Error saying why it is not. */
  restartServer(): Promise<void>;
  /** The one writer of config.yaml; give the same one to anything else that writes the file. */
  writer?: ConfigWriter;
}

/** The configApplyMachine slots filled with the real writer and the lifecycle's restart. */
export function configApplyActors(deps: ConfigApplyDeps) {
  const writer = deps.writer ?? createConfigWriter();
  return {
    writeConfig: fromPromise<ConfigWritten, { values: Record<string, unknown> }>(async ({ input }) => {
      try {
        // Checked again here so nothing unvalidated can reach the file, whoever sends the event.
        const values = validateConfigValues(input.values);
        const result = await writer.write(deps.configPath(), values);
        return { backup: result.backup, updatedKeys: result.updatedKeys, config: redactConfig(result.data) };
      } catch (error) {
        throw toSupervisorError(error, 'ERR_CONFIG_WRITE');
      }
    }),
    restartServer: fromPromise<void, void>(() => deps.restartServer()),
    restoreConfig: fromPromise<void, { backup: ConfigBackupHandle }>(async ({ input }) => {
      if (!(input.backup instanceof ConfigBackup)) throw new SupervisorError('ERR_INTERNAL', 'no backup of the previous config to restore');
      await writer.restore(input.backup);
    }),
  };
}
