// The process invariants of the soak: at most one server process group alive, and it is the one status names; no
// server process alive while status names none (an orphan). Pure: given two status reads and the /proc scan taken
// between them, returns findings (test/soak/proc-scan.mjs does the scanning).

/**
 * What status said: the server's pid (its process group's id, since it is started as a group leader) and state.
 * @typedef {{ pid: number | null, state: string }} ServerStatus
 */

/**
 * A live (non-zombie) process that carries the soak's tag in its environment: the server or one of its descendants.
 * @typedef {{ pid: number, pgid: number, state: string }} TaggedProcess
 */

/**
 * `gone`: status names a server of which no process is alive; fine for a moment (an exit is being noticed), a
 * violation if it lasts.
 * `key` names the condition (the groups that should not be there), so one lasting condition is reported once.
 * @typedef {{ kind: 'violation', what: string, key: string, detail: Record<string, unknown> } | { kind: 'gone', pid: number }} ProcessFinding
 */

/**
 * Checks one scan. The status rules apply only when both reads agree (the scan lies between them), so a server that
 * was spawned or exited in between is not mistaken for an orphan.
 * @param {{ before: ServerStatus | null, after: ServerStatus | null, processes: readonly TaggedProcess[] }} observed
 *   before/after: null when the supervisor did not answer (e.g. it was killed and not yet replaced)
 * @returns {ProcessFinding[]}
 */
export function checkServerGroups({ before, after, processes }) {
  /** @type {ProcessFinding[]} */
  const findings = [];
  /** @type {Map<number, number[]>} */
  const groups = new Map();
  for (const p of processes) groups.set(p.pgid, [...(groups.get(p.pgid) ?? []), p.pid]);
  const described = Object.fromEntries([...groups].map(([pgid, pids]) => [`group ${pgid}`, pids]));
  const named = before?.pid ?? after?.pid ?? null;
  const key = `groups ${[...groups.keys()].filter((pgid) => pgid !== named).sort((a, b) => a - b).join(',')}`;
  if (groups.size > 1) findings.push({ kind: 'violation', what: 'more than one server process group alive', key, detail: described });
  const stable = before !== null && after !== null && before.pid === after.pid && before.state === after.state;
  if (!stable) return findings;
  if (before.pid === null && groups.size > 0) {
    findings.push({ kind: 'violation', what: `server processes alive while status names none (state ${before.state}): orphans`, key, detail: described });
  } else if (before.pid !== null && groups.size === 1 && !groups.has(before.pid)) {
    findings.push({ kind: 'violation', what: 'the live server process group is not the one status names', key, detail: { status_pid: before.pid, state: before.state, ...described } });
  } else if (before.pid !== null && groups.size === 0) {
    findings.push({ kind: 'gone', pid: before.pid });
  }
  return findings;
}
