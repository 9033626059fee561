import { jest } from '@jest/globals';
import { isLoopbackName, parseHost } from '../../../src/http/host-header.js';
import { hostAllowed, hostRefusal } from '../../../src/http/security.js';
import { malformedHosts } from '../../support/http-fuzz.js';

// Reasons by class: each malformed Host is refused for the right reason, not by accident.
const malformed: [string, string, RegExp][] = [
  ['"]" followed by text', '[::1]evil.example', /only ":" and a port may follow "\]"/],
  ['"]" followed by text after a port', '[::1]:3334x', /port must be a number/],
  ['brackets without IPv6', '[127.0.0.1]:3334', /do not hold an IPv6 address/],
  ['IPvFuture', '[v1.fe]', /do not hold an IPv6 address/],
  ['unclosed bracket', '[::1', /never closed/],
  ['bracket in the middle', '127.0.0.1]:3334', /brackets may only enclose/],
  ['userinfo', 'user@127.0.0.1:3334', /userinfo/],
  ['userinfo after a port', '127.0.0.1:3334@evil.example', /userinfo/],
  ['non-numeric port', '127.0.0.1:abc', /port must be a number from 1 to 65535/],
  ['port over 65535', 'localhost:65536', /port must be a number from 1 to 65535/],
  ['port 0', 'localhost:0', /port must be a number from 1 to 65535/],
  ['signed port', 'localhost:+3334', /the character "\+" cannot appear/],
  ['hex port', 'localhost:0xd06', /port must be a number/],
  ['empty port', 'localhost:', /port must be a number/],
  ['octet over 255', '127.0.0.256:3334', /not a valid IPv4 address/],
  ['three octets', '127.0.0', /not a valid IPv4 address/],
  ['five octets', '127.0.0.1.5', /not a valid IPv4 address/],
  ['leading zero', '0177.0.0.1', /not a valid IPv4 address/],
  ['trailing dot on an IPv4', '127.0.0.1.', /not a valid IPv4 address/],
  ['empty', '', /empty/],
  ['empty host with a port', ':3334', /host name is empty/],
  ['inner whitespace', 'local host', /whitespace/],
  ['tab', 'localhost\t:3334', /whitespace/],
  ['percent-encoding', '%6cocalhost', /percent-encoding/],
  ['IPv6 zone id', '[::1%25lo]', /percent-encoding/],
  ['comma', 'localhost,evil.example', /the character "," cannot appear/],
  ['slash', 'localhost/evil', /the character "\/" cannot appear/],
  ['empty label', 'local..host', /not a valid host name/],
  ['label starting with a hyphen', '-localhost', /not a valid host name/],
  ['label over 63 characters', `${'a'.repeat(64)}.localhost`, /not a valid host name/],
  ['unbracketed IPv6', '::1', /more than one ":"/],
  ['two ports', 'localhost:3334:3334', /more than one ":"/],
];

describe('parseHost: a Host header as an RFC 3986 authority without userinfo', () => {
  it.each(malformed)('refuses %s (%j)', (_what, host, reason) => {
    const parsed = parseHost(host);
    expect(parsed).toEqual({ ok: false, reason: expect.stringMatching(reason) });
  });

  it('refuses every malformed Host of the fuzz suite', () => {
    const accepted = malformedHosts(3334).filter((host) => parseHost(host).ok);
    expect(accepted).toEqual([]);
  });

  it('reads names, IPv4 and bracketed IPv6 with an optional port, lowercased', () => {
    expect(parseHost('LocalHost:3334')).toEqual({ ok: true, name: 'localhost', port: 3334, authority: 'localhost:3334' });
    expect(parseHost('[::1]:3334')).toEqual({ ok: true, name: '[::1]', port: 3334, authority: '[::1]:3334' });
    expect(parseHost('[FE80::1]')).toEqual({ ok: true, name: '[fe80::1]', port: null, authority: '[fe80::1]' });
    expect(parseHost('127.0.0.1')).toEqual({ ok: true, name: '127.0.0.1', port: null, authority: '127.0.0.1' });
    expect(parseHost('parachute.local:80')).toEqual({ ok: true, name: 'parachute.local', port: 80, authority: 'parachute.local:80' });
    expect(parseHost('my_host-1.lan:65535')).toMatchObject({ ok: true, port: 65535 });
  });

  it('names loopback: localhost, 127.x.y.z with valid octets, [::1]', () => {
    const loopback = (host: string) => {
      const parsed = parseHost(host);
      return parsed.ok && isLoopbackName(parsed);
    };
    for (const host of ['localhost', 'localhost:3334', '127.0.0.1:3334', '127.255.255.254', '127.1.2.3:1', '[::1]', '[::1]:3334']) expect({ host, loopback: loopback(host) }).toEqual({ host, loopback: true });
    for (const host of ['localhost.evil.example', '127.0.0.1.nip.io', '128.0.0.1', '0.0.0.0', '[::2]', '[::ffff:127.0.0.1]', 'localhost.', 'evil.example']) {
      expect({ host, loopback: loopback(host) }).toEqual({ host, loopback: false });
    }
  });
});

describe('hostAllowed and hostRefusal', () => {
  const req = (rawHeaders: string[], url = '/supervisor/status') => ({
    rawHeaders,
    url,
    headers: { host: rawHeaders[rawHeaders.findIndex((h, i) => i % 2 === 0 && h.toLowerCase() === 'host') + 1] },
  });

  it('accepts loopback and allowed_hosts entries (by name, or name and port), nothing malformed', () => {
    expect(hostAllowed('127.0.0.1:80', [])).toBe(true);
    expect(hostAllowed('parachute.local:3334', ['Parachute.Local'])).toBe(true);
    expect(hostAllowed('parachute.local:3334', ['parachute.local:3334'])).toBe(true);
    expect(hostAllowed('parachute.local:9999', ['parachute.local:3334'])).toBe(false);
    expect(hostAllowed('user@parachute.local', ['parachute.local'])).toBe(false);
    expect(hostAllowed('127.0.0.1.evil.com', [])).toBe(false);
    expect(hostAllowed(undefined, [])).toBe(false);
  });

  it('asks for allowed_hosts (a config read) only for a well-formed name that is not loopback', () => {
    const allowed = jest.fn(() => ['parachute.local']);
    expect(hostAllowed('localhost:3334', allowed)).toBe(true);
    expect(hostAllowed('[::1]x', allowed)).toBe(false);
    expect(allowed).not.toHaveBeenCalled();
    expect(hostAllowed('parachute.local', allowed)).toBe(true);
    expect(allowed).toHaveBeenCalledTimes(1);
  });

  it('refuses a request with two Host headers, and an absolute-form target naming another host', () => {
    expect(hostRefusal(req(['Host', 'localhost', 'host', 'evil.example']), [])).toBe('the request has more than one Host header');
    expect(hostRefusal(req(['Host', 'localhost'], 'http://evil.example/supervisor/status'), [])).toMatch(/^request target "evil.example" is not allowed/);
    expect(hostRefusal(req(['Host', 'localhost'], 'http://user@127.0.0.1/supervisor/status'), [])).toMatch(/userinfo/);
    expect(hostRefusal(req(['Host', 'localhost'], 'http://127.0.0.1:3334/supervisor/status'), [])).toBeNull();
    expect(hostRefusal(req(['Host', 'localhost:3334']), [])).toBeNull();
  });

  it('quotes at most 100 characters of the refused value', () => {
    const refusal = hostRefusal(req(['Host', `${'a'.repeat(5_000)}.example`]), []) ?? '';
    expect(refusal.length).toBeLessThan(300);
  });
});
