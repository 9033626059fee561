import { parse } from 'yaml';
import { editConfigText } from '../../../src/config/config-edit.js';
import { SupervisorError } from '../../../src/errors.js';

const handWritten = [
  '# Parachute config — edited by hand',
  '',
  'port: 3333      # main server port',
  'default_model: "sonnet"   # what the server uses',
  "api_key: 'sk-ant-api03-secret'",
  '',
  'log_level: info',
  'cors_origins: [ "http://a", \'http://b\' ]',
  'list:',
  '- a',
  '- b',
  'supervisor:',
  '    server:',
  '        command: [node, server.js]',
  'hex: 0x1F',
  'block: |',
  '  line one',
  '  line two',
  '# trailing comment',
  '',
].join('\n');

function lines(text: string): string[] {
  return text.split('\n');
}

describe('editConfigText', () => {
  it('changes only the edited value token and keeps its quoting and comment', () => {
    const { text } = editConfigText(handWritten, { default_model: 'opus' });
    const expected = lines(handWritten).map((line) => (line.startsWith('default_model:') ? 'default_model: "opus"   # what the server uses' : line));
    expect(lines(text)).toEqual(expected);
  });

  it('appends a new key after everything else and keeps the rest byte for byte', () => {
    const { text, data } = editConfigText(handWritten, { debug: true, max_message_length: 4096 });
    expect(text).toBe(`${handWritten}debug: true\nmax_message_length: 4096\n`);
    expect(data).toMatchObject({ debug: true, max_message_length: 4096, default_model: 'sonnet' });
  });

  it('edits several keys at once, existing and new', () => {
    const { text } = editConfigText(handWritten, { log_level: 'debug', default_model: 'claude-opus-4-6[1m]', log_format: 'json' });
    expect(parse(text)).toEqual({ ...parse(handWritten), log_level: 'debug', default_model: 'claude-opus-4-6[1m]', log_format: 'json' });
    expect(text).toContain('log_level: debug\n');
    expect(text).toContain('# Parachute config — edited by hand\n\nport: 3333      # main server port\n');
  });

  it('turns a quoted "true" into a real boolean', () => {
    const { data } = editConfigText('debug: "false"\n', { debug: true });
    expect(data).toEqual({ debug: true });
  });

  it('keeps CRLF line endings, also for an added key', () => {
    const { text } = editConfigText('a: 1\r\nlog_level: info\r\n', { log_level: 'error', debug: false });
    expect(text).toBe('a: 1\r\nlog_level: error\r\ndebug: false\r\n');
  });

  it('adds a newline before an added key when the file lacks a final one', () => {
    expect(editConfigText('a: 1', { debug: true }).text).toBe('a: 1\ndebug: true\n');
  });

  it('writes into an empty or comment-only file', () => {
    expect(editConfigText('', { debug: true }).text).toBe('debug: true\n');
    expect(editConfigText('# nothing yet\n', { debug: true }).text).toBe('# nothing yet\ndebug: true\n');
  });

  it('falls back to the Document round trip for shapes a splice cannot handle, still exact in data', () => {
    for (const source of ['{a: 1, log_level: info}\n', 'log_level: |\n  info\nb: 2\n', 'log_level:\nb: 2\n', 'x: &v info\nlog_level: *v\n']) {
      const { data } = editConfigText(source, { log_level: 'warning' });
      expect(data).toEqual({ ...(parse(source) as object), log_level: 'warning' });
    }
  });

  it('keeps the comment on a value it rewrites through the Document path', () => {
    const { text } = editConfigText('log_level: |\n  info\n# keep me\nb: 2 # and me\n', { log_level: 'error' });
    expect(text).toContain('# keep me');
    expect(text).toContain('# and me');
  });

  it('refuses text that does not parse, naming line and column', () => {
    const broken = 'port: 1\ndefault_model: [unclosed\n';
    let caught: unknown;
    try {
      editConfigText(broken, { debug: true });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SupervisorError);
    expect(caught).toMatchObject({ code: 'ERR_CONFIG_INVALID', extra: { line: expect.any(Number), column: expect.any(Number) } });
    expect((caught as Error).message).toMatch(/line \d+, column \d+/);
  });

  it('refuses a top level that is a list', () => {
    expect(() => editConfigText('- a\n', { debug: true })).toThrow(expect.objectContaining({ code: 'ERR_CONFIG_INVALID' }));
  });
});
