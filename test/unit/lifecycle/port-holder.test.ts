import { findPortHolder, portInUseMessage, type PortHolderHost } from '../../../src/lifecycle/port-holder.js';

// A machine described by its files and its programs' answers.
function host(platform: NodeJS.Platform, files: Record<string, string>, links: Record<string, string> = {}, programs: Record<string, string> = {}): PortHolderHost & { ran: string[] } {
  const ran: string[] = [];
  return {
    platform,
    ran,
    readFile: (path) => {
      if (path in files) return files[path] as string;
      throw Object.assign(new Error(`ENOENT ${path}`), { code: 'ENOENT' });
    },
    readdir: (path) => {
      const prefix = `${path}/`;
      const names = new Set([...Object.keys(files), ...Object.keys(links)].filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length).split('/')[0] as string));
      if (names.size === 0) throw new Error(`EACCES ${path}`);
      return [...names];
    },
    readlink: (path) => {
      if (path in links) return links[path] as string;
      throw new Error(`EINVAL ${path}`);
    },
    run: (file, args) => {
      const line = [file, ...args].join(' ');
      ran.push(line);
      if (line in programs) return programs[line] as string;
      throw new Error(`${file} failed`);
    },
  };
}

const header = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';
// 0D05 = 3333; state 0A = LISTEN, 01 = ESTABLISHED.
const tcp = header + '   0: 0100007F:0D05 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 55501 1 0000000000000000 100 0 0 10 0\n' + '   1: 0100007F:0D05 0100007F:9C40 01 00000000:00000000 00:00000000 00000000  1000        0 55502 1 0000000000000000 20 4 30 10 -1\n';

describe('findPortHolder', () => {
  it('finds the listener on Linux through /proc/net/tcp, the socket inode and /proc/<pid>/fd, with its command line', () => {
    const machine = host(
      'linux',
      { '/proc/net/tcp': tcp, '/proc/net/tcp6': header, '/proc/4242/cmdline': 'python3\0-m\0http.server\x003333\0', '/proc/77/cmdline': 'bash\0' },
      { '/proc/77/fd/0': '/dev/pts/0', '/proc/4242/fd/3': 'socket:[55502]', '/proc/4242/fd/4': 'socket:[55501]', '/proc/self/fd/0': 'x' },
    );
    const holder = findPortHolder(3333, machine);
    expect(holder).toEqual({ pid: 4242, command: 'python3 -m http.server 3333' });
    expect(portInUseMessage(3333, holder)).toBe('port 3333 is in use by pid 4242 (python3 -m http.server 3333)');
  });

  it('finds an IPv6 listener in /proc/net/tcp6', () => {
    const tcp6 = header + '   0: 00000000000000000000000000000000:0D05 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 777 1\n';
    const machine = host('linux', { '/proc/net/tcp': header, '/proc/net/tcp6': tcp6, '/proc/9/cmdline': 'node\0server.js\0' }, { '/proc/9/fd/5': 'socket:[777]' });
    expect(findPortHolder(3333, machine)).toEqual({ pid: 9, command: 'node server.js' });
  });

  it('is null on Linux when the socket belongs to a process it cannot see (another user)', () => {
    const machine = host('linux', { '/proc/net/tcp': tcp, '/proc/1/cmdline': 'init\0' });
    expect(findPortHolder(3333, machine)).toBeNull();
    expect(portInUseMessage(3333, null)).toBe('port 3333 is already in use by another process');
  });

  it('asks lsof for the listener on macOS and ps for its command line', () => {
    const machine = host('darwin', {}, {}, {
      'lsof -nP -iTCP:3333 -sTCP:LISTEN -Fp': 'p4242\n',
      'ps -ww -o command= -p 4242': '/usr/bin/python3 -m http.server 3333\n',
    });
    expect(findPortHolder(3333, machine)).toEqual({ pid: 4242, command: '/usr/bin/python3 -m http.server 3333' });
    expect(machine.ran).toEqual(['lsof -nP -iTCP:3333 -sTCP:LISTEN -Fp', 'ps -ww -o command= -p 4242']);
  });

  it('is null on macOS without lsof, and on other platforms', () => {
    expect(findPortHolder(3333, host('darwin', {}))).toBeNull();
    expect(findPortHolder(3333, host('win32', {}))).toBeNull();
  });

  it('redacts a credential on the command line and shortens a long one', () => {
    const key = 'sk-ant-api03-' + 'K'.repeat(40);
    const machine = host('darwin', {}, {}, {
      'lsof -nP -iTCP:3333 -sTCP:LISTEN -Fp': 'p1\n',
      'ps -ww -o command= -p 1': `server --api-key ${key} ${'x'.repeat(400)}\n`,
    });
    const holder = findPortHolder(3333, machine);
    expect(holder?.command).not.toContain(key.slice(13, 30));
    expect(holder?.command).toContain('[REDACTED]');
    expect(holder?.command.length).toBeLessThanOrEqual(200);
  });
});
