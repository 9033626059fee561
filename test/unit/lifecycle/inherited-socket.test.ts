import { mkdtempSync, rmSync, truncateSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveServerSettings, type SettingsEnvironment } from '../../../src/config/settings.js';
import { bindAddress, notInheritedMessage, outputSince, probeHost, saysAddressInUse, startFailureOf } from '../../../src/lifecycle/inherited-socket.js';
import { policyOf } from '../../../src/lifecycle/lifecycle-policy.js';

const where: SettingsEnvironment = { env: {}, platform: 'linux', home: '/home/someone', demoCommand: ['node', 'demo-server.mjs'] };

describe('what a server prints when it binds a taken port itself', () => {
  it.each([
    ['Node', 'Error: listen EADDRINUSE: address already in use 127.0.0.1:3333'],
    ['uvicorn', 'ERROR:    [Errno 98] Address already in use'],
    ['uvicorn on a bind that fails late', "ERROR:    [Errno 98] error while attempting to bind on address ('127.0.0.1', 3333): address already in use"],
    ['gunicorn', "[2026-01-01 00:00:00 +0000] [7] [ERROR] Connection in use: ('127.0.0.1', 3333)"],
    ['hypercorn', 'OSError: [Errno 98] Address already in use'],
    ['macOS', 'OSError: [Errno 48] Address already in use'],
    ['Go', 'listen tcp 127.0.0.1:3333: bind: address already in use'],
    ['Rust', 'Error: Os { code: 98, kind: AddrInUse, message: "Address in use" }'],
  ])('is recognised (%s)', (_who, line) => {
    expect(saysAddressInUse(`starting\n${line}\n`)).toBe(true);
  });

  it.each([
    'INFO:     Uvicorn running on socket 3 (Press CTRL+C to quit)',
    'Error: Cannot find module /srv/app.js',
    'connection refused by upstream database',
    'the address book is in use',
  ])('is not confused with other output: %s', (line) => {
    expect(saysAddressInUse(line)).toBe(false);
  });

  it('names the address and every way to listen on fd 3', () => {
    const message = notInheritedMessage('::1', 8080);
    expect(message).toContain('bind ::1:8080 itself');
    for (const recipe of ['uvicorn --fd 3', 'gunicorn or hypercorn --bind fd://3', 'server.listen({ fd: 3 })', 'supervisor.server.socket: none']) {
      expect(message).toContain(recipe);
    }
  });
});

describe('the server output read at its exit', () => {
  let dir: string;
  let log: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'psup-output-'));
    log = join(dir, 'server.log');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is what was written from the offset on, not what an earlier server wrote', () => {
    writeFileSync(log, 'old server: listen EADDRINUSE\n');
    const from = 'old server: listen EADDRINUSE\n'.length;
    appendFileSync(log, 'new server: started\n');
    expect(outputSince(log, from)).toBe('new server: started\n');
    expect(startFailureOf({ host: '127.0.0.1', port: 3333 }, log, from)()).toBeNull();
    appendFileSync(log, 'Error: listen EADDRINUSE: address already in use 127.0.0.1:3333\n');
    expect(startFailureOf({ host: '127.0.0.1', port: 3333 }, log, from)()).toEqual({ code: 'ERR_SOCKET_NOT_INHERITED', message: notInheritedMessage('127.0.0.1', 3333) });
  });

  it('is the whole file when a rotation truncated it meanwhile, at most its last 64 KiB, and empty when there is no file', () => {
    writeFileSync(log, 'x'.repeat(1000));
    truncateSync(log, 0);
    appendFileSync(log, 'after rotation\n');
    expect(outputSince(log, 1000)).toBe('after rotation\n');
    writeFileSync(log, `${'y'.repeat(100 * 1024)}tail\n`);
    expect(outputSince(log, 0)).toHaveLength(64 * 1024);
    expect(outputSince(join(dir, 'missing.log'), 0)).toBe('');
  });
});

describe('the addresses of the socket', () => {
  it('binds IP addresses as written (brackets dropped), localhost as 127.0.0.1, and looks names up', async () => {
    expect(await bindAddress('127.0.0.1')).toBe('127.0.0.1');
    expect(await bindAddress('[::1]')).toBe('::1');
    expect(await bindAddress('0.0.0.0')).toBe('0.0.0.0');
    expect(await bindAddress('LOCALHOST')).toBe('127.0.0.1');
    // ENOTFOUND, or EAI_AGAIN where no resolver answers at all.
    await expect(bindAddress('no-such-host.invalid')).rejects.toMatchObject({ code: expect.stringMatching(/^(ENOTFOUND|EAI_AGAIN)$/) });
  });

  it('probes health on loopback for the wildcard addresses, else on the address itself', () => {
    expect(probeHost('0.0.0.0')).toBe('127.0.0.1');
    expect(probeHost('::')).toBe('::1');
    expect(probeHost('[::]')).toBe('::1');
    expect(probeHost('localhost')).toBe('127.0.0.1');
    expect(probeHost('192.168.1.20')).toBe('192.168.1.20');
  });

  it('probes 127.0.0.1 when the server binds its own port (host is only read with socket: inherit)', () => {
    const own = resolveServerSettings({ host: '::1' }, where).settings;
    expect(policyOf(own)).toMatchObject({ socket: 'none', healthHost: '127.0.0.1' });
    const held = resolveServerSettings({ host: '::', supervisor: { server: { socket: 'inherit' } } }, where).settings;
    expect(policyOf(held)).toMatchObject({ socket: 'inherit', healthHost: '::1' });
  });
});

describe('supervisor.server.socket and host in config.yaml', () => {
  it('default to none and 127.0.0.1', () => {
    expect(resolveServerSettings({}, where)).toMatchObject({ settings: { socket: 'none', host: '127.0.0.1' }, problems: [] });
  });

  it('name the option, the value and what is expected when wrong, and fall back to the defaults', () => {
    const { settings, problems } = resolveServerSettings({ host: '', supervisor: { server: { socket: 'systemd' } } }, where);
    expect(settings).toMatchObject({ socket: 'none', host: '127.0.0.1' });
    expect(problems).toEqual(['host must be a non-empty string, got ""', 'supervisor.server.socket must be one of none|inherit, got "systemd"']);
  });
});
