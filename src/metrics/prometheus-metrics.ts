import type * as PromClient from 'prom-client';
import { lazyRequire } from '../lazy-require.js';

// prom-client is loaded by the first GET /supervisor/metrics, never at boot (the idle daemon's memory is a goal).
const loadPromClient = lazyRequire<typeof PromClient>('prom-client');

/** What the exposition shows, read at the moment of the scrape. */
export interface MetricsReading {
  /** The server's top-level state (stopped, starting, running, stopping, crashed). */
  state: string;
  healthy: boolean;
  restarts: number;
  crashes: number;
  uptimeSeconds: number | null;
  cpuPercent: number | null;
  memoryBytes: number | null;
  supervisorUptimeSeconds: number;
}

const states = ['stopped', 'starting', 'running', 'stopping', 'crashed'] as const;

/** The Prometheus text exposition (format 0.0.4) of the supervisor's metrics (docs/api.md, Metrics). */
export interface PrometheusMetrics {
  contentType: string;
  render(reading: MetricsReading): Promise<string>;
}

/** Builds the registry once, on first use; each render sets every metric from the reading and serializes it. */
export function createPrometheusMetrics(): PrometheusMetrics {
  let built: ReturnType<typeof build> | null = null;
  return {
    get contentType() {
      return loadPromClient().Registry.PROMETHEUS_CONTENT_TYPE;
    },
    async render(reading) {
      built ??= build(loadPromClient());
      built.set(reading);
      return built.registry.metrics();
    },
  };
}

function build(prom: typeof PromClient) {
  const registry = new prom.Registry();
  const registers = [registry];
  const gauge = (name: string, help: string, labelNames: string[] = []) => new prom.Gauge({ name, help, labelNames, registers });
  const counter = (name: string, help: string) => new prom.Counter({ name, help, registers });
  const up = gauge('parachute_server_up', 'Whether the main server is running (1) or not (0).');
  const state = gauge('parachute_server_state', 'The main server lifecycle state: 1 for the current one.', ['state']);
  const healthy = gauge('parachute_server_healthy', 'Whether the main server is running and its latest health probe answered 2xx.');
  const restarts = counter('parachute_server_restarts_total', 'Automatic restarts after crashes since the supervisor started.');
  const crashes = counter('parachute_server_crashes_total', 'Crashes of the main server since the supervisor started.');
  const cpu = gauge('parachute_server_cpu_percent', 'CPU use of the main server process, percent of one core.');
  const memory = gauge('parachute_server_memory_bytes', 'Resident memory of the main server process.');
  const uptime = gauge('parachute_server_uptime_seconds', 'Seconds since the main server became healthy (0 when not running).');
  const supervisorMemory = gauge('parachute_supervisor_memory_bytes', "Resident memory of the supervisor's own process.");
  const supervisorUptime = gauge('parachute_supervisor_uptime_seconds', 'Seconds since the supervisor started.');
  // Counters only go up; the values come from the lifecycle, so each scrape adds what happened since the last one.
  const setCounter = (metric: PromClient.Counter, value: number, last: { value: number }) => {
    if (value > last.value) metric.inc(value - last.value);
    last.value = Math.max(last.value, value);
  };
  const lastRestarts = { value: 0 };
  const lastCrashes = { value: 0 };
  for (const c of [restarts, crashes]) c.inc(0);
  return {
    registry,
    set(reading: MetricsReading) {
      up.set(reading.state === 'running' ? 1 : 0);
      for (const name of states) state.set({ state: name }, reading.state === name ? 1 : 0);
      healthy.set(reading.healthy ? 1 : 0);
      setCounter(restarts, reading.restarts, lastRestarts);
      setCounter(crashes, reading.crashes, lastCrashes);
      // A value not known now (no server, no sample yet) is left out rather than shown as 0.
      for (const [metric, value] of [
        [cpu, reading.cpuPercent],
        [memory, reading.memoryBytes],
      ] as const) {
        if (value === null) metric.reset();
        else metric.set(value);
      }
      uptime.set(reading.uptimeSeconds ?? 0);
      supervisorMemory.set(process.memoryUsage.rss());
      supervisorUptime.set(reading.supervisorUptimeSeconds);
    },
  };
}
