// Run after every integration and e2e test (jest.config.ts, setupFilesAfterEnv): a supervisor answer or stream
// event that does not match docs/openapi.yaml, noted by the test helpers while the test ran, fails that test.
import { takeViolations } from './contract.js';

afterEach(() => {
  const counts = new Map<string, number>();
  for (const violation of takeViolations()) counts.set(violation, (counts.get(violation) ?? 0) + 1);
  if (counts.size > 0) {
    const lines = [...counts].map(([violation, count]) => (count > 1 ? `${violation} (×${count})` : violation));
    throw new Error(`the supervisor API answered off its contract (docs/openapi.yaml):\n- ${lines.join('\n- ')}`);
  }
});
