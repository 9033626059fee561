import { Router, type Response } from 'express';
import { errorBody, toSupervisorError } from '../errors.js';
import { methodNotAllowed } from './errors.js';
import { openLogSource } from '../logs/log-source.js';
import { createSecretScanner, type SecretScanner } from '../redact/secret-patterns.js';
import { parseLastEventId, parseLogsQuery, type LogsQuery } from './logs.params.js';
import { openRouteStream, type SseHub, type SseStream, type SseStreamOptions } from './sse.js';

/** What the logs route needs from the rest of the supervisor. */
export interface LogsRouterDeps {
  /** Path of server.log, read per request (config is never latched). */
  logPath(): string;
  /** Configured credential values to redact verbatim (API key, OAuth token, supervisor token …). */
  secrets(): readonly string[];
  /** The hub every SSE stream registers with (closed at shutdown). */
  streams: SseHub;
  /** `: ping` interval (default 15 s). */
  heartbeatMs?: number;
  /** Poll interval backing up fs.watch (default 500 ms). */
  pollMs?: number;
  /** Slow-client limits (see SseStreamOptions). */
  maxBufferedBytes?: number;
  drainTimeoutMs?: number;
}

/** GET /supervisor/logs?lines=N&follow=true|false as an SSE stream (docs/api.md, Logs); mount with app.use(router). */
export function createLogsRouter(deps: LogsRouterDeps): Router {
  const router = Router();
  const options: SseStreamOptions = {
    heartbeatMs: deps.heartbeatMs,
    maxBufferedBytes: deps.maxBufferedBytes,
    drainTimeoutMs: deps.drainTimeoutMs,
  };

  router.get('/supervisor/logs', async (req, res, next) => {
    let query: LogsQuery;
    try {
      query = parseLogsQuery(req.query as Record<string, unknown>);
    } catch (error) {
      sendError(res, error);
      return;
    }
    const stream = await openRouteStream(deps.streams, req, res, next, options);
    if (!stream) return;
    await streamLogLines(stream, query, deps);
  });
  router.all('/supervisor/logs', methodNotAllowed(['GET']));
  return router;
}

// One event per line, one write per chunk read, paced by the client: the next chunk is read only once the
// previous one has been taken. The follower hands out lines already redacted (whole-line safe, docs/logs.md).
async function streamLogLines(stream: SseStream, query: LogsQuery, deps: LogsRouterDeps): Promise<void> {
  const logPath = deps.logPath();
  try {
    const source = openLogSource({
      logPath,
      lines: query.lines,
      follow: query.follow,
      resumeAfter: parseLastEventId(stream.lastEventId),
      pollMs: deps.pollMs,
      scanner: currentScanner(deps),
    });
    const stopFollowing = stream.onClose(() => source.follower.close());
    if (source.missing) stream.send({ data: { error: `Log file not found: ${logPath} (the server has not written to it yet)` } });
    if (source.missing && !query.follow) return;
    try {
      for await (const batch of source.follower.batches()) {
        const events = batch.map((line) => ({ id: String(line.end), data: { line: line.text } }));
        if (!stream.sendMany(events)) await stream.drained();
        if (stream.closed) return;
      }
    } finally {
      stopFollowing();
      source.follower.close();
    }
  } catch (error) {
    if (!stream.closed) stream.send({ data: { error: `Cannot read ${logPath}: ${toSupervisorError(error).message}` } });
  } finally {
    stream.close('server');
  }
}

// The credential list is asked for again per batch (it may change with config.yaml); recompiled only when it did.
// If it cannot be read, the last known list stays in force (the token-shape patterns always apply).
function currentScanner(deps: LogsRouterDeps): () => SecretScanner {
  let key: string | null = null;
  let scanner: SecretScanner = createSecretScanner([]);
  return () => {
    let secrets: readonly string[];
    try {
      secrets = deps.secrets();
    } catch {
      return scanner;
    }
    const next = secrets.join('\0');
    if (next !== key) {
      key = next;
      scanner = createSecretScanner(secrets);
    }
    return scanner;
  };
}

function sendError(res: Response, error: unknown): void {
  const failure = toSupervisorError(error);
  res.status(failure.status).json(errorBody(failure));
}
