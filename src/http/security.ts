import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { SupervisorError } from '../errors.js';
import { isLoopbackName, parseHost } from './host-header.js';

/** Largest request body accepted (docs/api.md, Security). */
export const maxBodyBytes = 64 * 1024;

export interface SecurityOptions {
  /** Extra Host names accepted besides loopback (config `supervisor.allowed_hosts`, read fresh). */
  allowedHosts: () => string[];
  /** Bearer token that non-loopback peers must present; null when only loopback is served. */
  token: string | null;
}

/**
 * Why a request's Host (and the authority of an absolute-form target, if any) is refused, or null when it is a
 * well-formed `host[:port]` naming loopback or an allowed host (a DNS-rebinding page sends its own name). `allowed`
 * may be a getter: it is then asked only for a name that is not loopback (it reads config.yaml).
 */
export function hostRefusal(req: Pick<Request, 'rawHeaders' | 'headers' | 'url'>, allowed: readonly string[] | (() => readonly string[])): string | null {
  let hosts = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) if (req.rawHeaders[i]?.toLowerCase() === 'host') hosts++;
  // Node keeps the first of several Host headers; a proxy in front might keep the last. RFC 9112 says refuse.
  if (hosts > 1) return 'the request has more than one Host header';
  const refusal = authorityRefusal('Host', req.headers.host, allowed);
  if (refusal) return refusal;
  // An absolute-form target (`GET http://other/… HTTP/1.1`) names the host that counts (RFC 9112 §3.2.2).
  const absolute = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(req.url)?.[1];
  return absolute === undefined ? null : authorityRefusal('request target', absolute, allowed);
}

/** True when a Host header names loopback or an allowed host; false for anything malformed (see hostRefusal). */
export function hostAllowed(host: string | undefined, allowed: readonly string[] | (() => readonly string[])): boolean {
  return authorityRefusal('Host', host, allowed) === null;
}

function authorityRefusal(what: string, value: string | undefined, allowed: readonly string[] | (() => readonly string[])): string | null {
  const shown = JSON.stringify((value ?? '').slice(0, 100));
  const parsed = parseHost(value);
  if (!parsed.ok) return `${what} ${shown} is not a valid host[:port]: ${parsed.reason}`;
  if (isLoopbackName(parsed)) return null;
  const entries = (typeof allowed === 'function' ? allowed() : allowed).map((entry) => entry.toLowerCase());
  if (entries.includes(parsed.name) || entries.includes(parsed.authority)) return null;
  return `${what} ${shown} is not allowed; use 127.0.0.1 or localhost, or add it to supervisor.allowed_hosts`;
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

/** The security guard (docs/api.md, Security) in front of every route: Host allow-list, Origin check, token, JSON-only bounded bodies. */
export function securityGuard(options: SecurityOptions): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const refusal = hostRefusal(req, options.allowedHosts);
    if (refusal) return next(new SupervisorError('ERR_FORBIDDEN_HOST', refusal));
    const host = req.get('host');
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
