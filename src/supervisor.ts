import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Router } from 'express';
import { SupervisorError } from './errors.js';
import { createApp } from './http/app.js';
import { isIPv4 } from './http/host-header.js';
import { createSseHub } from './http/sse.js';
import { serverFiles } from './logs/server-files.js';
import { createLogRotator } from './logs/log-rotator.js';
import { topState } from './actors/state-value.js';
import { MetricsHistory } from './metrics/metrics-history.js';
import { MetricsSampler } from './metrics/metrics-sampler.js';
import { createSupervisorSystem, type SupervisorSystem, type SystemOptions } from './system.js';
import { createTokenFile, planToken } from './token-file.js';
import { supervisorVersion } from './version.js';

export interface SupervisorOptions extends SystemOptions {
  host?: string;
  /** 0 picks a free port (tests). */
  port?: number;
  /** Token for non-loopback peers; required (env, else a 0600 file, see token-file.ts) when host is not loopback. */
  token?: string | null;
  /** Extra routers mounted behind the guard, built from the system (logs, config, models, UI). */
  routers?: (system: SupervisorSystem) => Router[];
  /** Called on every close, before the server is stopped. */
  onClose?: () => void;
  /** How often server.log's size is checked for rotation. */
  rotationIntervalMs?: number;
  /** How often the server's CPU and memory are sampled for the metrics history (default 5 s). */
  metricsIntervalMs?: number;
}

/** A running supervisor: the actor system behind a listening HTTP server. */
export interface RunningSupervisor {
  system: SupervisorSystem;
  url: string;
  port: number;
  host: string;
  token: string | null;
  /** Shutdown in reverse start order: stop accepting, close streams, stop the server (unless keepServer). */
  close(): Promise<void>;
}

/** True for an address only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIPv4(host) && host.startsWith('127.'));
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      const why =
        error.code === 'EADDRINUSE'
          ? `port ${port} on ${host} is already in use (is another supervisor running?)`
          : `cannot listen on ${host}:${port}: ${error.message}`;
      reject(new SupervisorError('ERR_PORT_IN_USE', why, { cause: error }));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

// The pid of the server while it runs (not while it starts, stops or is adopted but not yet healthy).
function runningPid(system: SupervisorSystem): number | null {
  const server = system.actors.server();
  return topState(server.value) === 'running' ? server.context.process?.pid ?? null : null;
}

/** Starts the actor system and the HTTP API; rejects (having stopped everything) if the port cannot be bound. */
export async function startSupervisor(options: SupervisorOptions): Promise<RunningSupervisor> {
  const host = options.host ?? '127.0.0.1';
  const env = options.env ?? process.env;
  // Decided before the bind (an unsafe token file refuses the start), written only after it: a failed bind leaves no file.
  const loopback = isLoopbackHost(host);
  const tokenPlan = options.token === undefined && !loopback ? planToken(options.configPath, env) : null;
  const givenToken = options.token !== undefined ? options.token : loopback ? env.SUPERVISOR_TOKEN ?? null : null;
  if (!loopback && !(tokenPlan?.token ?? givenToken)) throw new SupervisorError('ERR_UNAUTHORIZED', `binding ${host} requires a token`);

  const startedAt = Date.now();
  const metrics = new MetricsSampler();
  const httpServer = createServer();
  // Bind first: a second supervisor on a taken port must fail before it touches the server process.
  await listen(httpServer, options.port ?? 3334, host);
  let tokenFile: ReturnType<typeof createTokenFile> | null = null;
  let system: SupervisorSystem;
  try {
    tokenFile = tokenPlan ? createTokenFile(tokenPlan) : null;
    const bearer = tokenFile?.token ?? givenToken;
    system = createSupervisorSystem({ ...options, env, secrets: bearer ? [bearer] : [] });
  } catch (error) {
    // Nothing left behind by a start that fails here: the port is let go and a token file made for it removed.
    tokenFile?.undo();
    await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    throw error;
  }
  const token = tokenFile?.token ?? givenToken;
  const streams = createSseHub();
  const metricsHistory = new MetricsHistory(metrics, () => runningPid(system), options.metricsIntervalMs);
  const stopSampling = metricsHistory.start();
  const app = createApp({ system, startedAt, version: supervisorVersion, metrics, metricsHistory, token, streams, routers: options.routers?.(system) });
  // Size rotation of server.log (copy-then-truncate, see docs/logs.md), checked on a timer that never keeps us alive.
  const rotator = createLogRotator(() => {
    const s = system.supervisorSettings();
    return { logPath: serverFiles(s.logDir).logPath, maxBytes: s.logMaxBytes, backups: s.logBackups };
  });
  const stopRotation = rotator.start(options.rotationIntervalMs ?? 2_000);
  httpServer.on('request', app);

  const port = (httpServer.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      streams.closeAll();
      stopRotation();
      stopSampling();
      options.onClose?.();
      httpServer.closeIdleConnections();
      await system.shutdown();
      metrics.clear();
      httpServer.closeAllConnections();
      await closed;
    })());
  return { system, url: `http://${urlHost}:${port}`, port, host, token, close };
}
