import { groupMembers, isAlive } from '../../src/lifecycle/process-group.js';
import { request, type HttpAnswer } from './http.js';
import type { ReadOnlyFolder } from './read-only-folder.js';
import type { Harness } from './supervisor-harness.js';

/** Every server process (pid and process group) the lifecycle has reported, collected from its snapshots. */
export interface ProcessTracker {
  pids: Set<number>;
  pgids: Set<number>;
  stop(): void;
}

/** Starts collecting the server processes the lifecycle reports, from now on (and the current one). */
export function trackServerProcesses(h: Harness): ProcessTracker {
  const pids = new Set<number>();
  const pgids = new Set<number>();
  const subscription = h.sup.system.refs.server.subscribe((snapshot) => {
    const p = snapshot.context.process;
    if (p) {
      pids.add(p.pid);
      pgids.add(p.pgid);
    }
  });
  const current = h.sup.system.refs.server.getSnapshot().context.process;
  if (current) {
    pids.add(current.pid);
    pgids.add(current.pgid);
  }
  return { pids, pgids, stop: () => subscription.unsubscribe() };
}

/**
 * The end of every fault test: makes the folder writable again, stops tracking, closes the supervisor, and checks
 * that no process of any server it ran outlives it.
 */
export async function endFaultTest(h: Harness | undefined, tracker: ProcessTracker | undefined, readOnly: ReadOnlyFolder | null = null): Promise<void> {
  readOnly?.undo();
  tracker?.stop();
  await h?.close();
  if (tracker) expect(orphansOf(tracker.pgids)).toEqual([]);
}

/** Live members of these process groups, leaving out the group `except` (the server that should be running). */
export function orphansOf(pgids: Iterable<number>, except: number | null = null): number[] {
  return [...pgids].filter((g) => g !== except).flatMap((g) => groupMembers(g));
}

/** GET /supervisor/status, checked against reality: a running server's pid is alive and its health answers; else nothing listens. */
export async function truthfulStatus(h: Harness): Promise<HttpAnswer['json']> {
  const answer = await request(`${h.url}/supervisor/status`);
  if (answer.status !== 200) throw new Error(`status answered ${answer.status}: ${answer.text}`);
  const status = answer.json;
  const health = await request(`http://127.0.0.1:${h.serverPort}/api/health`).catch((error: Error) => ({ status: 0, json: null, text: error.message }));
  if (status.main_server_status === 'running') {
    if (typeof status.main_server_pid !== 'number' || !isAlive(status.main_server_pid)) {
      throw new Error(`status says running on pid ${status.main_server_pid}, which is not alive`);
    }
    if (health.status !== 200) throw new Error(`status says running but health answered ${health.status} (${health.text})`);
    // Fixtures that report their pid in the health body must be the process status names.
    if (health.json && typeof health.json.pid === 'number' && health.json.pid !== status.main_server_pid) {
      throw new Error(`status names pid ${status.main_server_pid} but pid ${health.json.pid} answers health`);
    }
  } else if (status.main_server_status === 'stopped' || status.main_server_status === 'crashed') {
    if (status.main_server_pid !== null) throw new Error(`status says ${status.main_server_status} but names pid ${status.main_server_pid}`);
    if (health.status !== 0) throw new Error(`status says ${status.main_server_status} but something answers health (${health.status})`);
  }
  return status;
}
