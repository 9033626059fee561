import { serverLifecycleMachine } from '../../machines/server-lifecycle.machine.js';
import { factsUnderTest } from '../support/facts-under-test.js';
import { MachineCoverage } from '../support/machine-coverage.js';
import { generatePaths } from './lifecycle.model.js';
import { replayLifecyclePath } from './lifecycle.replay.js';

// Transitions no step from outside the daemon can cause, and why (docs/testing.md).
const notCausable = {
  '(root): process.launching → (stays)':
    'the process actor reports process.launching as it starts, within the transition that entered starting, so it always lands in starting; the root handler is a safety net inside the daemon',
  'stopping: process.spawned → (stays)':
    'a stop would have to land between the fork and its spawn event, one event-loop turn inside the daemon (a stop during the port check, before the fork, is replayed: the spawn is then never made)',
};

const paths = generatePaths();
const coverage = new MachineCoverage('server lifecycle', serverLifecycleMachine, notCausable);

describe(`the server lifecycle statechart, replayed against the daemon (processes through ${factsUnderTest().kind})`, () => {
  for (const path of paths) {
    it(`${path.variant.name}: ${path.description}`, async () => {
      await replayLifecyclePath(path, { coverage });
    });
  }

  it('has taken every state and every transition that can be caused from outside', () => {
    console.log(`${coverage.summary()}\n  (${paths.length} paths, ${paths.reduce((n, p) => n + p.steps.length, 0)} steps)`);
    expect(coverage.missingStates()).toEqual([]);
    expect(coverage.missing()).toEqual([]);
  });
});
