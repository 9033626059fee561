import { procfsFacts, psFacts, type ProcessFacts } from '../../src/lifecycle/process-facts.js';

/** Set by the "no procfs" jest projects (test/support/no-procfs.setup.ts): the supervisor under test takes macOS's branch. */
export const factsEnv = 'PSUP_PROCESS_FACTS';

/**
 * The ProcessFacts the supervisor under test is given: /proc (this machine's own), or `ps`, signal 0 and `lsof` as on
 * macOS when PSUP_PROCESS_FACTS=ps. Tests keep observing the truth through /proc (src/lifecycle/process-group.ts).
 */
export function factsUnderTest(): ProcessFacts {
  return process.env[factsEnv] === 'ps' ? psFacts() : procfsFacts;
}
