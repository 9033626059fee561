import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  fillTemplate,
  renderLaunchAgent,
  renderSystemdUnit,
  systemdEnvironment,
  systemdExecArg,
  xmlEscape,
  type ServiceValues,
} from '../../../src/service/render-service.js';

const root = join(import.meta.dirname, '..', '..', '..');
const plistTemplate = readFileSync(join(root, 'service', 'io.openparachute.supervisor.plist'), 'utf8');
const unitTemplate = readFileSync(join(root, 'service', 'parachute-supervisor.service'), 'utf8');

const values: ServiceValues = {
  nodePath: '/opt/node 20/bin/node',
  mainPath: '/Users/ann & bob/app/dist/src/cli/main.js',
  configPath: '/Users/ann/.parachute/"quoted" <config>.yaml',
  home: '/Users/ann',
  logDir: '/Users/ann/Library/Logs/Parachute/',
  pathEnv: '/opt/node 20/bin:/usr/bin:/bin',
};

describe('fillTemplate', () => {
  it('replaces every placeholder', () => {
    expect(fillTemplate('a={{a}} b={{ b }} a={{a}}', { a: '1', b: '2' })).toBe('a=1 b=2 a=1');
  });

  it('refuses a placeholder without a value', () => {
    expect(() => fillTemplate('{{a}} {{missing}}', { a: '1' })).toThrow('{{missing}}');
  });

  it('refuses a value that fills no placeholder', () => {
    expect(() => fillTemplate('{{a}}', { a: '1', extra: '2' })).toThrow('{{extra}}');
  });
});

describe('escaping', () => {
  it('XML-escapes the five special characters', () => {
    expect(xmlEscape(`a&b<c>d"e'f`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;f');
  });

  it('quotes ExecStart arguments so systemd neither splits, expands specifiers nor substitutes variables', () => {
    expect(systemdExecArg('/a b/node')).toBe('"/a b/node"');
    expect(systemdExecArg('say "hi" \\ 100% $HOME')).toBe('"say \\"hi\\" \\\\ 100%% $$HOME"');
  });

  it('quotes a whole Environment= assignment, escaping specifiers', () => {
    expect(systemdEnvironment('PARACHUTE_CONFIG', '/a b/50% "c".yaml')).toBe('"PARACHUTE_CONFIG=/a b/50%% \\"c\\".yaml"');
    expect(() => systemdEnvironment('BAD NAME', 'x')).toThrow('invalid environment variable name');
  });

  it('refuses line breaks and control characters, which would inject unit lines or break the XML', () => {
    expect(() => systemdExecArg('/a\nExecStartPre=/bin/evil')).toThrow('control characters');
    expect(() => systemdEnvironment('PATH', '/a\r/b')).toThrow('control characters');
    expect(() => xmlEscape('a\u0001b')).toThrow('control characters');
  });
});

describe('renderLaunchAgent', () => {
  const plist = renderLaunchAgent(plistTemplate, values);

  it('fills absolute ProgramArguments, XML-escaped', () => {
    expect(plist).toContain('<string>/opt/node 20/bin/node</string>');
    expect(plist).toContain('<string>/Users/ann &amp; bob/app/dist/src/cli/main.js</string>');
    expect(plist).toMatch(/<string>serve<\/string>\s*<\/array>/);
  });

  it('escapes the config path and puts the logs under the log folder', () => {
    expect(plist).toContain('<string>/Users/ann/.parachute/&quot;quoted&quot; &lt;config&gt;.yaml</string>');
    expect(plist).toContain('<string>/Users/ann/Library/Logs/Parachute/supervisor.log</string>');
    expect(plist).not.toContain('{{');
  });

  it('refuses relative paths', () => {
    expect(() => renderLaunchAgent(plistTemplate, { ...values, nodePath: 'node' })).toThrow('nodePath must be an absolute path');
    expect(() => renderLaunchAgent(plistTemplate, { ...values, pathEnv: 'bin:/usr/bin' })).toThrow('pathEnv');
  });
});

describe('renderSystemdUnit', () => {
  const unit = renderSystemdUnit(unitTemplate, values);

  it('quotes each ExecStart argument', () => {
    expect(unit).toContain('\nExecStart="/opt/node 20/bin/node" "/Users/ann & bob/app/dist/src/cli/main.js" "serve"\n');
  });

  it('sets PARACHUTE_CONFIG and PATH', () => {
    expect(unit).toContain('\nEnvironment="PARACHUTE_CONFIG=/Users/ann/.parachute/\\"quoted\\" <config>.yaml"\n');
    expect(unit).toContain('\nEnvironment="PATH=/opt/node 20/bin:/usr/bin:/bin"\n');
  });

  it('lets only the supervisor be signalled and waits longer than the server stop timeout', () => {
    expect(unit).toMatch(/^KillMode=process$/m);
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).toMatch(/^TimeoutStopSec=30$/m);
    expect(unit).toMatch(/^WantedBy=default\.target$/m);
    expect(unit).not.toContain('{{');
  });
});
