import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { SupervisorError } from '../../../src/errors.js';
import { startSupervisor, type RunningSupervisor } from '../../../src/supervisor.js';
import { freePort } from '../../support/free-port.js';
import { request } from '../../support/http.js';
import { fixture } from '../../support/supervisor-harness.js';

// The real supervisor on a non-loopback address, the case the token file exists for.
describe('the token file of a non-loopback bind', () => {
  let dir: string;
  let configPath: string;
  let tokenPath: string;
  let sup: RunningSupervisor | undefined;
  const env = () => {
    const copy = { ...process.env };
    delete copy.SUPERVISOR_TOKEN;
    return copy;
  };
  const start = (port = 0, extraEnv: NodeJS.ProcessEnv = {}) => startSupervisor({ configPath, host: '0.0.0.0', port, env: { ...env(), ...extraEnv } });
  const refusal = async (port = 0): Promise<SupervisorError> => {
    try {
      sup = await start(port);
    } catch (error) {
      if (error instanceof SupervisorError) return error;
      throw error;
    }
    throw new Error('the supervisor started');
  };
  const modeOf = (path: string) => statSync(path).mode & 0o777;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'psup-token-'));
    configPath = join(dir, 'config.yaml');
    tokenPath = join(dir, 'supervisor.token');
    const server = { command: [process.execPath, fixture('healthy-server.mjs')], autostart: false };
    writeFileSync(configPath, stringify({ port: await freePort(), supervisor: { log_dir: join(dir, 'logs'), server } }));
  });
  afterEach(async () => {
    await sup?.close();
    sup = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('is created with mode 0600 once the port is bound, holding the token in use', async () => {
    sup = await start();
    expect(modeOf(tokenPath)).toBe(0o600);
    expect(readFileSync(tokenPath, 'utf8')).toBe(`${sup.token}\n`);
    expect(sup.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await request(`http://127.0.0.1:${sup.port}/supervisor/health`)).status).toBe(200);
  });

  it('is a secret like the configured ones: the log stream redacts it when the server prints it', async () => {
    sup = await start();
    const logDir = join(dir, 'logs');
    mkdirSync(logDir, { recursive: true });
    writeFileSync(join(logDir, 'server.log'), `debug: the supervisor token is ${sup.token} (printed by mistake)\n`);
    const answer = await request(`http://127.0.0.1:${sup.port}/supervisor/logs?lines=5&follow=false`);
    expect(answer.text).toContain('(printed by mistake)');
    expect(answer.text).not.toContain(String(sup.token).slice(0, 12));
  });

  it('is not created when the bind fails, and the failed start leaves nothing behind', async () => {
    const taken: Server = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '0.0.0.0', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const error = await refusal(port);
      expect(error).toMatchObject({ code: 'ERR_PORT_IN_USE', message: `port ${port} on 0.0.0.0 is already in use (is another supervisor running?)` });
      expect(existsSync(tokenPath)).toBe(false);
      expect(existsSync(join(dir, 'logs'))).toBe(false);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
    // The next start, on a free port, makes the file.
    sup = await start();
    expect(modeOf(tokenPath)).toBe(0o600);
  });

  it.each(['644', '640', '604', '660', '620', '602'])('refuses to start on an existing token file with mode 0%s, naming the file, its mode and the fix', async (octal) => {
    const mode = parseInt(octal, 8);
    writeFileSync(tokenPath, 'old-token\n');
    chmodSync(tokenPath, mode);
    const port = await freePort();
    const error = await refusal(port);
    expect(error.code).toBe('ERR_TOKEN_FILE');
    expect(error.message).toBe(
      `token file ${tokenPath} has mode 0${mode.toString(8)}: group or others can access it, so the token may be known to (or chosen by) other users of this machine. ` +
        `Run \`chmod 600 ${tokenPath}\` (and delete the file first to have a new token generated), or set SUPERVISOR_TOKEN`,
    );
    expect(error.message).not.toContain('old-token');
    // Refused before the bind, and the file left as it was for its owner to decide.
    const probe = createServer();
    await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(port, '0.0.0.0', resolve));
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    expect(modeOf(tokenPath)).toBe(mode);
    expect(readFileSync(tokenPath, 'utf8')).toBe('old-token\n');
  });

  it('starts once the owner has fixed the mode, with the token in the file', async () => {
    writeFileSync(tokenPath, 'kept-token\n');
    chmodSync(tokenPath, 0o644);
    expect((await refusal()).code).toBe('ERR_TOKEN_FILE');
    chmodSync(tokenPath, 0o600);
    sup = await start();
    expect(sup.token).toBe('kept-token');
  });

  it('refuses an empty token file and a symbolic link, saying how to fix each', async () => {
    writeFileSync(tokenPath, '\n', { mode: 0o600 });
    expect(await refusal()).toMatchObject({ code: 'ERR_TOKEN_FILE', message: `token file ${tokenPath} is empty; delete it to have a new token generated, or set SUPERVISOR_TOKEN` });
    rmSync(tokenPath);
    writeFileSync(join(dir, 'elsewhere'), 'linked-token\n', { mode: 0o600 });
    symlinkSync(join(dir, 'elsewhere'), tokenPath);
    expect(await refusal()).toMatchObject({ code: 'ERR_TOKEN_FILE', message: `token file ${tokenPath}: it is a symbolic link; make it a regular file` });
  });

  it('neither reads nor creates the file when SUPERVISOR_TOKEN is set', async () => {
    writeFileSync(tokenPath, 'unsafe\n');
    chmodSync(tokenPath, 0o644);
    sup = await start(0, { SUPERVISOR_TOKEN: 'from-the-environment' });
    expect(sup.token).toBe('from-the-environment');
    await sup.close();
    sup = undefined;
    rmSync(tokenPath);
    sup = await start(0, { SUPERVISOR_TOKEN: 'from-the-environment' });
    expect(existsSync(tokenPath)).toBe(false);
  });
});
