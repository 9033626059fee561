import { configApplyMachine } from '../../machines/config-apply.machine.js';
import { factsUnderTest } from '../support/facts-under-test.js';
import { MachineCoverage } from '../support/machine-coverage.js';
import { generateConfigPaths } from './config-apply.model.js';
import { replayConfigPath } from './config-apply.replay.js';

const paths = generateConfigPaths();
const coverage = new MachineCoverage('config applier', configApplyMachine);

describe(`the config applier statechart, replayed against the daemon (processes through ${factsUnderTest().kind})`, () => {
  for (const path of paths) {
    it(path.description, async () => {
      await replayConfigPath(path, { coverage });
    });
  }

  it('has taken every state and every transition', () => {
    console.log(`${coverage.summary()}\n  (${paths.length} paths, ${paths.reduce((n, p) => n + p.steps.length, 0)} steps)`);
    expect(coverage.missingStates()).toEqual([]);
    expect(coverage.missing()).toEqual([]);
  });
});
