import type { LifecyclePolicy } from '../../machines/server-lifecycle.types.js';

/** A lifecycle policy with the documented defaults (src/config/defaults.ts), for machine tests. */
export const defaultPolicy: LifecyclePolicy = {
  port: 3333,
  healthHost: '127.0.0.1',
  socket: 'none',
  healthPath: '/api/health',
  restart: 'transient',
  startTimeoutMs: 30_000,
  stopTimeoutMs: 10_000,
  backoffMs: 1_000,
  backoffMaxMs: 30_000,
  intensity: 5,
  periodMs: 60_000,
  stableMs: 30_000,
  healthFailures: 3,
};
