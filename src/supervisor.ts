import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import type { Router } from 'express';
import { SupervisorError } from './errors.js';
import { createApp } from './http/app.js';
import { isIPv4 } from './http/host-header.js';
import { createSseHub } from './http/sse.js';
import { serverFiles } from './lifecycle/server-process.logic.js';
import { createLogRotator } from './logs/log-rotator.js';
import { MetricsSampler } from './lifecycle/metrics-sampler.js';
import { createSupervisorSystem, type SupervisorSystem, type SystemOptions } from './system.js';
import { supervisorVersion } from './version.js';

export interface SupervisorOptions extends SystemOptions {
  host?: string;
  /** 0 picks a free port (tests). */
  port?: number;
  /** Token for non-loopback peers; required (env, else a generated 0600 file) when host is not loopback. */
  token?: string | null;
  /** Extra routers mounted behind the guard, built from the system (logs, config, models, UI). */
  routers?: (system: SupervisorSystem) => Router[];
  /** Called on every close, before the server is stopped. */
  onClose?: () => void;
  /** How often server.log's size is checked for rotation. */
  rotationIntervalMs?: number;
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

/** The token for a non-loopback bind: SUPERVISOR_TOKEN, else one kept in a 0600 file next to config.yaml. */
export function resolveToken(configPath: string, env: NodeJS.ProcessEnv): { token: string; file: string | null } {
  if (env.SUPERVISOR_TOKEN) return { token: env.SUPERVISOR_TOKEN, file: null };
  const file = join(dirname(configPath), 'supervisor.token');
  if (existsSync(file)) return { token: readFileSync(file, 'utf8').trim(), file };
  const token = randomBytes(32).toString('base64url');
  writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  return { token, file };
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

/** Starts the actor system and the HTTP API; rejects (having stopped everything) if the port cannot be bound. */
export async function startSupervisor(options: SupervisorOptions): Promise<RunningSupervisor> {
  const host = options.host ?? '127.0.0.1';
  const env = options.env ?? process.env;
  const token = options.token !== undefined ? options.token : isLoopbackHost(host) ? env.SUPERVISOR_TOKEN ?? null : resolveToken(options.configPath, env).token;
  if (!isLoopbackHost(host) && !token) throw new SupervisorError('ERR_UNAUTHORIZED', `binding ${host} requires a token`);

  const startedAt = Date.now();
  const metrics = new MetricsSampler();
  const httpServer = createServer();
  // Bind first: a second supervisor on a taken port must fail before it touches the server process.
  await listen(httpServer, options.port ?? 3334, host);
  const system = createSupervisorSystem({ ...options, env });
  const streams = createSseHub();
  const app = createApp({ system, startedAt, version: supervisorVersion, metrics, token, streams, routers: options.routers?.(system) });
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
      options.onClose?.();
      httpServer.closeIdleConnections();
      await system.shutdown();
      metrics.clear();
      httpServer.closeAllConnections();
      await closed;
    })());
  return { system, url: `http://${urlHost}:${port}`, port, host, token, close };
}
