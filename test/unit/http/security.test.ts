import type { NextFunction, Request, Response } from 'express';
import { isLoopbackPeer, securityGuard } from '../../../src/http/security.js';
import { SupervisorError } from '../../../src/errors.js';

// The smallest request the guard reads: headers, method and the peer address.
function fakeRequest(headers: Record<string, string>, remoteAddress: string, method = 'GET'): Request {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const rawHeaders = Object.entries(headers).flat();
  return { method, url: '/supervisor/status', rawHeaders, headers: lower, socket: { remoteAddress }, get: (name: string) => lower[name.toLowerCase()], is: () => false } as unknown as Request;
}

function run(req: Request, token: string | null): SupervisorError | 'next' {
  let outcome: SupervisorError | 'next' = 'next';
  const next: NextFunction = (error?: unknown) => {
    if (error) outcome = error as SupervisorError;
  };
  securityGuard({ token, allowedHosts: () => [] })(req, {} as Response, next);
  return outcome;
}

describe('security guard', () => {
  it('refuses a malformed or foreign Host with ERR_FORBIDDEN_HOST before anything else', () => {
    expect(run(fakeRequest({ host: '127.0.0.1:3334@evil.example' }, '127.0.0.1', 'POST'), null)).toMatchObject({
      code: 'ERR_FORBIDDEN_HOST',
      message: 'Host "127.0.0.1:3334@evil.example" is not a valid host[:port]: userinfo ("user@") is not allowed',
    });
    expect(run(fakeRequest({ host: 'localhost.evil.com:3334' }, '127.0.0.1'), null)).toMatchObject({ code: 'ERR_FORBIDDEN_HOST' });
    expect(run(fakeRequest({ host: 'localhost:3334' }, '127.0.0.1'), null)).toBe('next');
  });

  it('tells loopback peers from others', () => {
    expect(isLoopbackPeer('127.0.0.1')).toBe(true);
    expect(isLoopbackPeer('::ffff:127.0.0.1')).toBe(true);
    expect(isLoopbackPeer('::1')).toBe(true);
    expect(isLoopbackPeer('192.168.1.20')).toBe(false);
    expect(isLoopbackPeer(undefined)).toBe(false);
  });

  it('requires the bearer token from a non-loopback peer only', () => {
    const headers = { host: 'localhost:3334' };
    expect(run(fakeRequest(headers, '192.168.1.20'), 's3cret')).toMatchObject({ code: 'ERR_UNAUTHORIZED' });
    expect(run(fakeRequest({ ...headers, authorization: 'Bearer wrong' }, '192.168.1.20'), 's3cret')).toMatchObject({ code: 'ERR_UNAUTHORIZED' });
    expect(run(fakeRequest({ ...headers, authorization: 'Bearer s3cret' }, '192.168.1.20'), 's3cret')).toBe('next');
    expect(run(fakeRequest(headers, '127.0.0.1'), 's3cret')).toBe('next');
  });

  it('lets a cross-site top-level navigation load a page but refuses other cross-site requests', () => {
    const nav = { host: 'localhost:3334', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' };
    expect(run(fakeRequest(nav, '127.0.0.1', 'GET'), null)).toBe('next');
    expect(run(fakeRequest(nav, '127.0.0.1', 'POST'), null)).toMatchObject({ code: 'ERR_FORBIDDEN_ORIGIN' });
  });
});
