import { isIPv6 } from 'node:net';

/** A Host header that is a well-formed `host[:port]`: the host lowercased (IPv6 in brackets), the port if given. */
export interface ParsedHost {
  ok: true;
  /** `localhost`, `127.0.0.1`, `[::1]`, `parachute.local`, … */
  name: string;
  port: number | null;
  /** `name` or `name:port`, as compared with supervisor.allowed_hosts entries. */
  authority: string;
}

/** Why a Host header is not a well-formed `host[:port]`, in words for the error message. */
export interface MalformedHost {
  ok: false;
  reason: string;
}

// DNS-style names: letters, digits, "-" and "_" in dot-separated labels of at most 63 characters.
const label = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;
// RFC 3986 dec-octet: 0-255 without leading zeros (an "0177" is octal to some parsers, decimal to others).
const decOctet = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/**
 * Parses a Host header as an RFC 3986 authority without userinfo: `reg-name`, an IPv4 address or a bracketed IPv6
 * address, then optionally `:` and a port of digits from 1 to 65535. Anything else is malformed, with the reason.
 */
export function parseHost(header: string | undefined): ParsedHost | MalformedHost {
  if (header === undefined || header === '') return bad('it is empty');
  const value = header.toLowerCase();
  const odd = /[^a-z0-9.\-_:[\]]/.exec(value)?.[0];
  if (odd !== undefined) return bad(oddCharacter(odd));

  let name: string;
  let portText: string | undefined;
  if (value.startsWith('[')) {
    const close = value.indexOf(']');
    if (close < 0) return bad('"[" is never closed by "]"');
    name = value.slice(0, close + 1);
    const rest = value.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) return bad('only ":" and a port may follow "]"');
    if (rest !== '') portText = rest.slice(1);
    if (!isIPv6(name.slice(1, -1))) return bad('the brackets do not hold an IPv6 address');
  } else {
    if (/[[\]]/.test(value)) return bad('brackets may only enclose an IPv6 address at the start');
    const parts = value.split(':');
    if (parts.length > 2) return bad('it has more than one ":" outside brackets (an IPv6 address must be in brackets)');
    name = parts[0] ?? '';
    portText = parts[1];
    const problem = hostNameProblem(name);
    if (problem) return bad(problem);
  }

  let port: number | null = null;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) return bad('the port must be a number from 1 to 65535');
    port = Number(portText);
  }
  return { ok: true, name, port, authority: port === null ? name : `${name}:${port}` };
}

/** True for the loopback names: `localhost`, `127.x.y.z`, `[::1]`. */
export function isLoopbackName(host: ParsedHost): boolean {
  return host.name === 'localhost' || host.name === '[::1]' || (isIPv4(host.name) && host.name.startsWith('127.'));
}

/** True for a dotted-quad IPv4 address with four decimal octets from 0 to 255. */
export function isIPv4(name: string): boolean {
  const octets = name.split('.');
  return octets.length === 4 && octets.every((o) => decOctet.test(o));
}

function hostNameProblem(name: string): string | null {
  if (name === '') return 'the host name is empty';
  // All digits and dots reads as an IPv4 address to browsers and resolvers alike: it must be a valid one.
  if (/^[\d.]+$/.test(name)) return isIPv4(name) ? null : 'it is not a valid IPv4 address (four numbers from 0 to 255)';
  if (name.length > 253 || !name.split('.').every((part) => label.test(part))) return 'it is not a valid host name';
  return null;
}

function oddCharacter(c: string): string {
  if (c === '@') return 'userinfo ("user@") is not allowed';
  if (c === '%') return 'percent-encoding is not allowed';
  if (/\s/.test(c)) return 'it contains whitespace';
  return `the character ${JSON.stringify(c)} cannot appear in a host`;
}

function bad(reason: string): MalformedHost {
  return { ok: false, reason };
}
