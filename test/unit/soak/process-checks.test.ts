import { checkServerGroups } from '../../soak/process-checks.mjs';

const running = { pid: 100, state: 'running' };
const stopped = { pid: null, state: 'stopped' };

describe('soak process checks (recorded traces)', () => {
  it('finds nothing wrong when the one live group is the one status names, or nothing lives and status names none', () => {
    expect(checkServerGroups({ before: running, after: running, processes: [{ pid: 100, pgid: 100, state: 'S' }, { pid: 101, pgid: 100, state: 'T' }] })).toEqual([]);
    expect(checkServerGroups({ before: stopped, after: stopped, processes: [] })).toEqual([]);
  });

  it('reports an orphan: a server process alive while status names none', () => {
    const findings = checkServerGroups({ before: stopped, after: stopped, processes: [{ pid: 4242, pgid: 4200, state: 'S' }] });
    expect(findings).toEqual([expect.objectContaining({ kind: 'violation', what: expect.stringMatching(/orphans/), key: 'groups 4200', detail: { 'group 4200': [4242] } })]);
  });

  it('reports two groups alive, keyed by the one status does not name', () => {
    const findings = checkServerGroups({ before: running, after: running, processes: [{ pid: 100, pgid: 100, state: 'S' }, { pid: 4242, pgid: 4200, state: 'S' }] });
    expect(findings).toEqual([expect.objectContaining({ kind: 'violation', what: 'more than one server process group alive', key: 'groups 4200' })]);
  });

  it('reports a live group that is not the one status names', () => {
    const findings = checkServerGroups({ before: running, after: running, processes: [{ pid: 200, pgid: 200, state: 'S' }] });
    expect(findings).toEqual([expect.objectContaining({ kind: 'violation', what: 'the live server process group is not the one status names' })]);
  });

  it('judges status only when the two reads around the scan agree (a spawn or exit in between is no orphan)', () => {
    const starting = { pid: 300, state: 'starting' };
    expect(checkServerGroups({ before: stopped, after: starting, processes: [{ pid: 300, pgid: 300, state: 'R' }] })).toEqual([]);
    expect(checkServerGroups({ before: null, after: null, processes: [{ pid: 300, pgid: 300, state: 'R' }] })).toEqual([]);
  });

  it('says when status names a server of which nothing is alive (a violation only if it lasts)', () => {
    expect(checkServerGroups({ before: running, after: running, processes: [] })).toEqual([{ kind: 'gone', pid: 100 }]);
  });
});
