import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { SupervisorError } from '../errors.js';

/** Largest request body accepted (docs/api.md, Security). */
export const maxBodyBytes = 64 * 1024;

export interface SecurityOptions {
  /** Extra Host names accepted besides loopback (config `supervisor.allowed_hosts`, read fresh). */
  allowedHosts: () => string[];
  /** Bearer token that non-loopback peers must present; null when only loopback is served. */
  token: string | null;
}

const loopbackNames = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The host name of a Host header, lowercased, without its port ("[::1]:3334" → "[::1]"). */
export function hostName(host: string): string {
  const lower = host.trim().toLowerCase();
  if (lower.startsWith('[')) {
    const end = lower.indexOf(']');
    return end < 0 ? lower : lower.slice(0, end + 1);
  }
  const colon = lower.lastIndexOf(':');
  return colon < 0 ? lower : lower.slice(0, colon);
}

/**
 * True when the Host header names loopback or an allowed host (a DNS-rebinding page sends its own name). `allowed`
 * may be a getter: it is then asked only for a name that is not loopback (it reads config.yaml).
 */
export function hostAllowed(host: string | undefined, allowed: readonly string[] | (() => readonly string[])): boolean {
  if (!host) return false;
  const name = hostName(host);
  if (loopbackNames.has(name) || /^127(\.\d{1,3}){3}$/.test(name)) return true;
  return (typeof allowed === 'function' ? allowed() : allowed).some((entry) => entry.toLowerCase() === name || entry.toLowerCase() === host.trim().toLowerCase());
}

/** True for a peer address on this machine. */
export function isLoopbackPeer(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || /^(::ffff:)?127\./.test(address);
}

// A cross-site navigation to a page is harmless (the page cannot read us); any other cross-site fetch is refused.
function crossSiteFetch(req: Request): boolean {
  const site = req.get('sec-fetch-site');
  if (!site || site === 'same-origin' || site === 'none') return false;
  const navigation = req.get('sec-fetch-mode') === 'navigate' && (req.method === 'GET' || req.method === 'HEAD');
  return !navigation;
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1].trim());
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function hasBody(req: Request): boolean {
  const length = req.get('content-length');
  return (length !== undefined && length !== '0') || req.get('transfer-encoding') !== undefined;
}

/** The §4.7 guard in front of every route: Host allow-list, Origin check, token, JSON-only bounded bodies. */
export function securityGuard(options: SecurityOptions): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const host = req.get('host');
    if (!hostAllowed(host, options.allowedHosts)) {
      return next(new SupervisorError('ERR_FORBIDDEN_HOST', `Host ${JSON.stringify(host ?? '')} is not allowed; use 127.0.0.1 or localhost, or add it to supervisor.allowed_hosts`));
    }
    const origin = req.get('origin');
    if (origin !== undefined && origin.toLowerCase() !== `http://${(host ?? '').toLowerCase()}`) {
      return next(new SupervisorError('ERR_FORBIDDEN_ORIGIN', `cross-origin request from ${JSON.stringify(origin)} refused`));
    }
    if (crossSiteFetch(req)) {
      return next(new SupervisorError('ERR_FORBIDDEN_ORIGIN', 'cross-site request refused'));
    }
    if (options.token !== null && !isLoopbackPeer(req.socket.remoteAddress) && !tokenMatches(req.get('authorization'), options.token)) {
      return next(new SupervisorError('ERR_UNAUTHORIZED', 'a bearer token is required from a non-loopback peer (Authorization: Bearer <SUPERVISOR_TOKEN>)'));
    }
    if (hasBody(req)) {
      if (!req.is('application/json')) {
        return next(new SupervisorError('ERR_UNSUPPORTED_MEDIA_TYPE', `request body must be application/json, got ${JSON.stringify(req.get('content-type') ?? 'none')}`));
      }
      const length = Number(req.get('content-length'));
      if (Number.isFinite(length) && length > maxBodyBytes) {
        return next(new SupervisorError('ERR_PAYLOAD_TOO_LARGE', `request body of ${length} bytes is over the ${maxBodyBytes}-byte limit`));
      }
    }
    next();
  };
}

/** Headers on every answer: no sniffing, no framing by other sites, no caching of API answers. */
export function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.set('X-Content-Type-Options', 'nosniff');
  res.set('X-Frame-Options', 'DENY');
  res.set('Referrer-Policy', 'no-referrer');
  res.set('Cross-Origin-Resource-Policy', 'same-origin');
  // Set first so refusals and errors carry it too; the UI's pages and assets set their own.
  res.set('Cache-Control', 'no-store');
  next();
}
