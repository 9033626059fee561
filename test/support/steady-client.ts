export { steadyClient, type SteadyClient, type SteadySummary } from './steady-client.mjs';
