// Jest setup of the "no procfs" projects: every supervisor a test starts asks about processes the way it does on macOS
// (signal 0, ps, lsof), never through /proc; see test/support/facts-under-test.ts and docs/testing.md.
import { factsEnv } from './facts-under-test.js';

process.env[factsEnv] = 'ps';
