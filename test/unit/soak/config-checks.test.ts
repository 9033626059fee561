import { createConfigModel } from '../../soak/config-checks.mjs';

const initial = { port: 3333, default_model: 'claude-a', log_level: 'info', supervisor: { log_dir: '/tmp/x' } };
const model = () => createConfigModel(initial, ['default_model', 'log_level']);

describe('soak config checks (recorded traces)', () => {
  it('accepts the old value and the new one while a PUT is under way, and only the new one once it was answered 200', () => {
    const m = model();
    m.begin({ key: 'default_model', value: 'claude-b', expect: 'ok' });
    expect(m.observe({ ...initial })).toEqual([]);
    expect(m.observe({ ...initial, default_model: 'claude-b' })).toEqual([]);
    expect(m.answered({ status: 200, rolledBack: false })).toEqual([]);
    expect(m.observe({ ...initial, default_model: 'claude-b' })).toEqual([]);
    expect(m.observe({ ...initial })).toEqual([expect.objectContaining({ what: 'config.yaml holds a value of default_model that no PUT was answered 200 for' })]);
  });

  it('reports a rolled-back value still in the file after its answer, and an invalid value ever in it', () => {
    const m = model();
    m.begin({ key: 'default_model', value: 'claude-broken-1', expect: 'rollback' });
    expect(m.observe({ ...initial, default_model: 'claude-broken-1' })).toEqual([]);
    m.answered({ status: 409, rolledBack: true });
    expect(m.observe({ ...initial, default_model: 'claude-broken-1' })).toHaveLength(1);
    m.begin({ key: 'log_level', value: 'loud-2', expect: 'invalid' });
    expect(m.observe({ ...initial, log_level: 'loud-2' })).toHaveLength(1);
  });

  it('reports a change outside the editable keys, and a file that does not parse', () => {
    const m = model();
    expect(m.observe({ ...initial, port: 1 })).toEqual([expect.objectContaining({ what: 'config.yaml changed outside the editable keys' })]);
    expect(m.observe({ error: 'bad indentation at line 3' })).toEqual([expect.objectContaining({ what: 'config.yaml does not parse' })]);
  });

  it('reports an unwritable change answered 200 (a server that cannot start with it said healthy)', () => {
    const m = model();
    m.begin({ key: 'default_model', value: 'claude-broken-2', expect: 'rollback' });
    expect(m.answered({ status: 200, rolledBack: false })).toEqual([expect.objectContaining({ kind: 'violation' })]);
  });

  it('allows the value of a PUT that got no answer either way, and takes it as the file\'s value once seen', () => {
    const m = model();
    m.begin({ key: 'default_model', value: 'claude-c', expect: 'ok' });
    m.answered(null);
    expect(m.observe({ ...initial })).toEqual([]);
    expect(m.observe({ ...initial, default_model: 'claude-c' })).toEqual([]);
    expect(m.expected('default_model')).toBe('claude-c');
    expect(m.counts()).toMatchObject({ interrupted: 1, interruptedLeftInFile: 1 });
    expect(m.observe({ ...initial })).toHaveLength(1);
  });
});
