import { lookUpCommand, type CommandFs } from '../../../src/lifecycle/command-path.js';

// A file system of paths: 'x' an executable file, 'f' a plain file, 'd' a directory.
function fsOf(entries: Record<string, 'x' | 'f' | 'd'>): CommandFs {
  return {
    kind: (path) => (entries[path] === undefined ? null : entries[path] === 'd' ? 'dir' : 'file'),
    executable: (path) => entries[path] === 'x' || entries[path] === 'd',
  };
}

const config = '/home/me/.parachute/config.yaml';

describe('lookUpCommand (execvp rules)', () => {
  it('finds a bare name in the first PATH folder that holds an executable file, skipping a non-executable one', () => {
    const fs = fsOf({ '/opt/bin/server': 'f', '/usr/bin/server': 'x' });
    expect(lookUpCommand('server', { PATH: '/opt/bin:/usr/bin' }, '/srv', config, fs)).toEqual({ ok: true, path: '/usr/bin/server' });
  });

  it('says a bare name is not found, naming the PATH it searched and how to fix it', () => {
    const got = lookUpCommand('uvicorn', { PATH: '/usr/bin:/bin' }, '/srv', config, fsOf({}));
    expect(got).toEqual({ ok: false, code: 'ERR_COMMAND_NOT_FOUND', message: expect.stringContaining(`command "uvicorn" not found in the server's PATH (/usr/bin:/bin)`) });
    expect(!got.ok && got.message).toContain(config);
  });

  it('says a name found only as a non-executable file is not executable, naming the path and chmod', () => {
    const got = lookUpCommand('server', { PATH: '/opt/bin' }, '/srv', config, fsOf({ '/opt/bin/server': 'f' }));
    expect(got).toEqual({ ok: false, code: 'ERR_NOT_EXECUTABLE', message: `/opt/bin/server is not executable; run chmod +x /opt/bin/server, or set supervisor.server.command in ${config}` });
  });

  it('resolves a relative path against the working directory, and an empty PATH entry as the working directory', () => {
    expect(lookUpCommand('./run.sh', {}, '/srv/app', config, fsOf({ '/srv/app/run.sh': 'x' }))).toEqual({ ok: true, path: '/srv/app/run.sh' });
    expect(lookUpCommand('run.sh', { PATH: ':/usr/bin' }, '/srv/app', config, fsOf({ '/srv/app/run.sh': 'x' }))).toEqual({ ok: true, path: '/srv/app/run.sh' });
  });

  it('says a path that does not exist is not found, and a directory is not a program', () => {
    expect(lookUpCommand('/opt/nope/server', {}, '/', config, fsOf({}))).toMatchObject({ ok: false, code: 'ERR_COMMAND_NOT_FOUND', message: expect.stringContaining('/opt/nope/server does not exist') });
    expect(lookUpCommand('/opt/app', {}, '/', config, fsOf({ '/opt/app': 'd' }))).toMatchObject({ ok: false, code: 'ERR_NOT_EXECUTABLE', message: expect.stringContaining('/opt/app is a directory, not a program') });
  });

  it('finds a real program on the real PATH', () => {
    expect(lookUpCommand('sh', { PATH: process.env.PATH }, '/', config)).toMatchObject({ ok: true, path: expect.stringMatching(/\/sh$/) });
  });
});
