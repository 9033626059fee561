// The soak's operations: each draws its parameters from the seeded generator when it is chosen (so a seed makes the
// same choices again), then runs against the real supervisor, server and clients, and returns a word for its outcome.
// Operations of one `group` never overlap; all others interleave freely.
import { setTimeout as sleep } from 'node:timers/promises';
import { listedModels } from './fake-models-api.mjs';
import { call } from './http-call.mjs';
import { carriesTag } from './proc-scan.mjs';
import { checkHistoryAnswer } from './event-checks.mjs';
import { openStream } from './sse-connection.mjs';

/** @typedef {import('./soak-context.mjs').SoakContext} SoakContext */
/** @typedef {import('./prng.mjs').Prng} Prng */

/**
 * @typedef {object} Operation
 * @property {string} kind
 * @property {number} weight how often it is chosen, relative to the others
 * @property {string} [group] operations of one group never run at the same time
 * @property {(prng: Prng) => any} plan draws the parameters (synchronously, from the seeded generator)
 * @property {(params: any) => Promise<string>} run
 */

/** The keys a PUT may change (docs/api.md, Config). */
export const editableKeys = ['default_model', 'log_level', 'debug', 'log_format', 'max_message_length', 'transcription_enabled'];

/**
 * Everything the soak can do, bound to one run.
 * @param {SoakContext} ctx
 * @param {{ observeConfig: () => void, replaceDaemon: (withServer: boolean, gapMs: number) => Promise<string>, logClients: import('./stream-clients.mjs').StreamClient[], eventClients: import('./stream-clients.mjs').StreamClient[], newLogClient: () => import('./stream-clients.mjs').StreamClient, newEventsClient: () => import('./stream-clients.mjs').StreamClient, retired: import('./stream-clients.mjs').StreamClient[], flooded: { lines: number } }} run
 * @returns {Operation[]}
 */
export function createOperations(ctx, run) {
  let serial = 0;
  const unique = () => (serial += 1);

  const serverPid = async () => {
    const answer = await ctx.api('GET', '/supervisor/status', { timeoutMs: 10_000 });
    const pid = answer.json?.main_server_pid;
    return typeof pid === 'number' && carriesTag(pid, ctx.tag) ? pid : null;
  };
  const outcome = (/** @type {import('./http-call.mjs').HttpAnswer} */ answer) => {
    // The commands' bound is a safety net behind the machine's own timers: reaching it means a command was lost.
    if (answer.json?.code === 'ERR_COMMAND_TIMEOUT') ctx.violation('answers', 'a command got no outcome within its bound (ERR_COMMAND_TIMEOUT)', { detail: answer.json.detail });
    return answer.status === 0 ? `no answer (${answer.error})` : `HTTP ${answer.status}${answer.json?.code && answer.status !== 200 ? ` ${answer.json.code}` : ''}`;
  };

  /** One PUT, told to the config model before it is sent and with its answer. @param {import('./config-checks.mjs').ConfigPut} put @param {Record<string, unknown>} values @param {boolean} restart */
  const put = async (put, values, restart) => {
    ctx.config.begin(put);
    let answer;
    try {
      answer = await ctx.api('PUT', '/supervisor/config', { body: { values, restart } });
    } finally {
      const told = answer && answer.status !== 0 ? { status: answer.status, rolledBack: answer.json?.rolled_back === true } : null;
      for (const finding of ctx.config.answered(told)) ctx.violation('config', finding.what, finding.detail);
    }
    run.observeConfig();
    return outcome(answer);
  };

  /** A client of `clients` that is reading now, or null. @param {import('./stream-clients.mjs').StreamClient[]} clients */
  const connectedOne = (clients) => {
    const candidates = clients.filter((c) => c.connected());
    return candidates.length > 0 ? ctx.prng.pick(candidates) : null;
  };

  /**
   * Retires the client at `index` (modulo the list) and puts a new one in its place.
   * @param {import('./stream-clients.mjs').StreamClient[]} clients @param {number} index
   * @param {() => import('./stream-clients.mjs').StreamClient} create
   */
  const replaceClient = (clients, index, create) => {
    const old = clients.splice(index % clients.length, 1)[0];
    old?.retire();
    if (old) run.retired.push(old);
    clients.push(create());
    return 'replaced';
  };

  return [
    {
      kind: 'kill -9 server',
      weight: 7,
      plan: () => ({}),
      run: async () => {
        const pid = await serverPid();
        if (pid === null) return 'no server';
        process.kill(pid, 'SIGKILL');
        return 'killed';
      },
    },
    {
      kind: 'SIGSTOP/SIGCONT server',
      weight: 4,
      group: 'signals',
      // Short stops pass unnoticed; long ones outlast the liveness probe (3 failures 500 ms apart) and are a crash.
      plan: (prng) => ({ holdMs: prng.chance(0.5) ? prng.int(100, 1_200) : prng.int(2_500, 6_000) }),
      run: async ({ holdMs }) => {
        const pid = await serverPid();
        if (pid === null) return 'no server';
        try {
          process.kill(-pid, 'SIGSTOP');
        } catch {
          return 'no server';
        }
        ctx.held.add(pid);
        await sleep(holdMs);
        try {
          process.kill(-pid, 'SIGCONT');
        } catch {
          // the group is gone (the supervisor replaced the hung server)
        }
        ctx.held.delete(pid);
        return holdMs < 2_000 ? 'short stop' : 'long stop';
      },
    },
    {
      kind: 'restart (HTTP)',
      weight: 7,
      plan: () => ({}),
      run: async () => outcome(await ctx.api('POST', '/supervisor/server/restart')),
    },
    {
      kind: 'stop, then start (HTTP)',
      weight: 3,
      group: 'stop',
      plan: (prng) => ({ holdMs: prng.int(50, 1_500) }),
      run: async ({ holdMs }) => {
        const stop = await ctx.api('POST', '/supervisor/server/stop');
        // A stop is over only when no process of the server's group is left: check at once.
        if (stop.status === 200) await ctx.checkProcessesNow('right after a stop answered 200');
        await sleep(holdMs);
        const start = await ctx.api('POST', '/supervisor/server/start');
        return `stop ${outcome(stop)}, start ${outcome(start)}`;
      },
    },
    {
      kind: 'PUT config (valid)',
      weight: 7,
      group: 'config',
      plan: (prng) => {
        const key = prng.pick(editableKeys);
        /** @type {Record<string, () => unknown>} */
        const values = {
          default_model: () => (prng.chance(0.5) ? prng.pick(listedModels) : `claude-soak-model-${unique()}`),
          log_level: () => prng.pick(['debug', 'info', 'warning', 'error', 'critical']),
          debug: () => prng.chance(0.5),
          log_format: () => prng.pick(['text', 'json']),
          max_message_length: () => prng.int(1_000, 99_999),
          transcription_enabled: () => prng.chance(0.5),
        };
        return { key, value: /** @type {() => unknown} */ (values[key])(), restart: prng.chance(0.6) };
      },
      run: ({ key, value, restart }) => put({ key, value, expect: 'ok' }, { [key]: value }, restart),
    },
    {
      kind: 'PUT config (invalid)',
      weight: 5,
      group: 'config',
      plan: (prng) => {
        const n = unique();
        /** @type {[string, unknown][]} */
        const choices = [
          [`soak_unknown_${n}`, 1],
          ['port', 1],
          ['api_key', `sk-ant-api03-not-a-key-${n}`],
          ['supervisor', { log_dir: '/tmp' }],
          ['max_message_length', -n],
          ['log_level', `loud-${n}`],
          ['debug', `yes-${n}`],
          ['default_model', `Not A Model ${n}`],
          ['default_model', `claude-nosuch-${n}`],
        ];
        const [key, value] = prng.pick(choices);
        return { key, value };
      },
      run: ({ key, value }) => put({ key, value, expect: 'invalid' }, { [key]: value }, true),
    },
    {
      kind: 'PUT config (rolled back)',
      weight: 3,
      group: 'config',
      plan: () => ({ value: `claude-broken-${unique()}` }),
      run: ({ value }) => put({ key: 'default_model', value, expect: 'rollback' }, { default_model: value }, true),
    },
    {
      kind: 'SIGKILL supervisor, start another',
      weight: 2,
      group: 'supervisor',
      // Now and then the server dies in the gap too (the new supervisor finds a stale pid file).
      plan: (prng) => ({ withServer: prng.chance(0.2), gapMs: prng.int(0, 1_500) }),
      run: ({ withServer, gapMs }) => run.replaceDaemon(withServer, gapMs),
    },
    {
      kind: 'log flood',
      weight: 14,
      plan: (prng) => ({ lines: prng.int(5, 200), long: prng.pick([0, 0.02, 0.1]) }),
      run: async ({ lines, long }) => {
        const answer = await call('GET', `${ctx.serverUrl}/flood?lines=${lines}&long=${long}`, { timeoutMs: 30_000 });
        if (answer.status !== 200) return 'server down';
        run.flooded.lines += answer.json.to - answer.json.from + 1;
        return long > 0 ? 'written (some > 64 KiB)' : 'written';
      },
    },
    {
      kind: 'logs client drops, resumes',
      weight: 6,
      plan: (prng) => ({ afterMs: prng.int(0, 2_000) }),
      run: async ({ afterMs }) => {
        const client = connectedOne(run.logClients);
        if (!client) return 'none connected';
        client.drop(afterMs);
        return 'dropped';
      },
    },
    {
      kind: 'logs client drops inside a long line, resumes',
      weight: 3,
      // With a flood of long lines, so that the drop falls between two pieces and the resume starts inside a line.
      plan: (prng) => ({ afterMs: prng.int(0, 1_000), lines: prng.int(3, 20) }),
      run: async ({ afterMs, lines }) => {
        const client = connectedOne(run.logClients);
        if (!client) return 'none connected';
        const dropped = client.dropInLine(10_000, afterMs);
        const flood = await call('GET', `${ctx.serverUrl}/flood?lines=${lines}&long=1`, { timeoutMs: 30_000 });
        if (flood.status === 200) run.flooded.lines += flood.json.to - flood.json.from + 1;
        return (await dropped) ? 'dropped inside a line' : 'no long line arrived';
      },
    },
    {
      kind: 'logs client stalls',
      weight: 3,
      // Past 10 s stalled the supervisor drops a client (docs/logs.md); it resumes with Last-Event-ID.
      plan: (prng) => ({ ms: prng.chance(0.5) ? prng.int(300, 3_000) : prng.int(10_500, 14_000) }),
      run: async ({ ms }) => {
        const client = connectedOne(run.logClients);
        if (!client) return 'none connected';
        await client.stall(ms);
        return ms > 10_000 ? 'stalled past the drop limit' : 'stalled briefly';
      },
    },
    {
      kind: 'logs client replaced',
      weight: 2,
      plan: (prng) => ({ index: prng.int(0, 99) }),
      run: async ({ index }) => replaceClient(run.logClients, index, run.newLogClient),
    },
    {
      kind: 'events client drops, resumes',
      weight: 3,
      plan: (prng) => ({ afterMs: prng.int(0, 2_000) }),
      run: async ({ afterMs }) => {
        const client = connectedOne(run.eventClients);
        if (!client) return 'none connected';
        client.drop(afterMs);
        return 'dropped';
      },
    },
    {
      kind: 'events client replaced',
      weight: 1,
      plan: (prng) => ({ index: prng.int(0, 99) }),
      run: async ({ index }) => replaceClient(run.eventClients, index, run.newEventsClient),
    },
    {
      kind: 'GET history',
      weight: 4,
      plan: (prng) => ({ limit: prng.chance(0.3) ? 1_000 : prng.int(1, 100) }),
      run: async ({ limit }) => {
        const floor = ctx.ledger.maxSeq();
        const answer = await ctx.api('GET', `/supervisor/history?limit=${limit}`);
        if (answer.status === 200) ctx.checks.history += 1;
        if (answer.status === 200) for (const finding of checkHistoryAnswer(ctx.ledger, answer.json, floor)) ctx.violation('history seq', finding.kind === 'violation' ? finding.what : 'history gap', finding.kind === 'violation' ? finding.detail : { ...finding });
        return outcome(answer);
      },
    },
    {
      kind: 'GET config',
      weight: 2,
      plan: () => ({}),
      run: async () => outcome(await ctx.api('GET', '/supervisor/config')),
    },
    {
      kind: 'GET models',
      weight: 2,
      plan: (prng) => ({ path: prng.pick(['/supervisor/models', '/supervisor/models?show_all=true', '/supervisor/models?refresh=true']) }),
      run: async ({ path }) => outcome(await ctx.api('GET', path)),
    },
    {
      kind: 'GET metrics',
      weight: 1,
      plan: () => ({}),
      run: async () => outcome(await ctx.api('GET', '/supervisor/metrics')),
    },
    {
      kind: 'inspect stream',
      weight: 2,
      plan: (prng) => ({ ms: prng.int(300, 3_000) }),
      run: async ({ ms }) => {
        const scan = ctx.leaks.stream();
        let events = 0;
        /** @type {Promise<string>} */
        const ended = new Promise((resolve) => {
          const connection = openStream({
            url: `${ctx.apiUrl}/supervisor/inspect`,
            lastEventId: null,
            onOpen: () => undefined,
            onText: (text) => {
              ctx.checks.scannedBytes += text.length;
              const leak = scan.push(text);
              if (leak) ctx.violation('secrets', 'a planted secret in /supervisor/inspect', { fragment: leak.fragment, context: leak.context });
            },
            onEvent: () => (events += 1),
            onEnd: (why) => resolve(why),
          });
          void sleep(ms).then(() => connection.drop());
        });
        const why = await ended;
        return why === 'dropped by the soak' && events > 0 ? 'read' : `ended: ${why}`;
      },
    },
  ];
}
