import type { Config } from 'jest';

// ESM throughout (`@xstate/store` 4 ships only ESM): ts-jest in ESM mode, run with --experimental-vm-modules.
const transform: Config['transform'] = {
  '^.+\\.m?tsx?$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
};
const moduleNameMapper = { '^(\\.{1,2}/.*)\\.js$': '$1' };
const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform,
  moduleNameMapper,
};

// A supervisor answer that does not match docs/openapi.yaml, seen by the test helpers, fails the test that got it.
const contract = { setupFilesAfterEnv: ['<rootDir>/test/support/contract-setup.ts'] };
// The supervisors these projects start ask about processes as on macOS (signal 0, ps, lsof), never through /proc.
const noProcfs = { setupFiles: ['<rootDir>/test/support/no-procfs.setup.ts'] };
// The lifecycle suites that a second run proves on macOS's branch (docs/testing.md).
const modelSuites = ['<rootDir>/test/model/**/*.test.ts'];
const lifecycleSuites = ['<rootDir>/test/integration/lifecycle/**/*.test.ts', '<rootDir>/test/integration/faults/lifecycle-faults.test.ts'];

const config: Config = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    { ...shared, ...contract, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
    { ...shared, ...contract, ...noProcfs, displayName: 'integration (no procfs)', testMatch: lifecycleSuites },
    // The statecharts replayed against the daemon run only through `npm run test:model` (docs/testing.md).
    ...(process.env.JEST_MODEL === '1'
      ? [
          { ...shared, ...contract, displayName: 'model', testMatch: modelSuites },
          { ...shared, ...contract, ...noProcfs, displayName: 'model (no procfs)', testMatch: modelSuites },
        ]
      : []),
    // Browser and built-CLI tests run only through `npm run test:e2e` (they need a build and Chromium).
    ...(process.env.JEST_E2E === '1' ? [{ ...shared, ...contract, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] }] : []),
  ],
  maxWorkers: 2,
  testTimeout: 30_000,
};

export default config;
