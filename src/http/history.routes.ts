import { Router } from 'express';
import type { HistoryEvent } from '../history/history-event.js';
import type { HistoryRecorder } from '../history/history-recorder.js';
import { methodNotAllowed } from './errors.js';
import { parseEventId, parseHistoryLimit } from './history.params.js';
import { openRouteStream, type SseEvent, type SseHub, type SseStreamOptions } from './sse.js';

/** What the history routes need: the recorder, and the hub every stream registers with. */
export interface HistoryRouterDeps {
  history: Pick<HistoryRecorder, 'newest' | 'after' | 'subscribe'>;
  streams: SseHub;
  /** `: ping` interval (default 15 s). */
  heartbeatMs?: number;
}

/** One history event as an SSE event: `id: <seq>`, the event as JSON data. */
export function historySseEvent(event: HistoryEvent): SseEvent {
  return { id: String(event.seq), data: event };
}

/** GET /supervisor/history?limit=N and GET /supervisor/events (docs/api.md, History). */
export function createHistoryRouter(deps: HistoryRouterDeps): Router {
  const router = Router();
  // A bad limit (a thrown SupervisorError) or a failed read reaches the app's error handler (Express 5 forwards a rejection).
  router.get('/supervisor/history', async (req, res) => {
    const events = await deps.history.newest(parseHistoryLimit(req.query.limit));
    res.json({ events, count: events.length });
  });
  router.all('/supervisor/history', methodNotAllowed(['GET']));

  router.get('/supervisor/events', async (req, res, next) => {
    const options: SseStreamOptions = { heartbeatMs: deps.heartbeatMs };
    const stream = await openRouteStream(deps.streams, req, res, next, options);
    if (!stream) return;
    // Live events are held while the file is read, then sent after the ones it gave: no gap, no duplicate.
    let sent = parseEventId(stream.lastEventId);
    let held: HistoryEvent[] | null = sent === null ? null : [];
    const send = (event: HistoryEvent) => {
      if (sent !== null && event.seq <= sent) return;
      sent = event.seq;
      stream.send(historySseEvent(event));
    };
    const unsubscribe = deps.history.subscribe((event) => (held ? held.push(event) : send(event)));
    stream.onClose(unsubscribe);
    if (held === null) return;
    try {
      const missed = await deps.history.after(sent ?? 0);
      if (!stream.closed) stream.sendMany(missed.filter((event) => sent === null || event.seq > sent).map(historySseEvent));
      if (missed.length > 0) sent = Math.max(sent ?? 0, missed[missed.length - 1]?.seq ?? 0);
    } catch {
      // The file could not be read: the stream goes on with live events (what a reader misses, the history route says).
    }
    const waiting = held;
    held = null;
    for (const event of waiting) send(event);
  });
  router.all('/supervisor/events', methodNotAllowed(['GET']));
  return router;
}
