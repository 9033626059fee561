import { Router } from 'express';
import type { InspectionHub, InspectionRecord } from '../inspect/inspection-hub.js';
import { methodNotAllowed } from './errors.js';
import type { SseEvent, SseHub } from './sse.js';

/** One inspection record as an SSE event: `snapshot` or `event`, the record (less its kind) as JSON data. */
export function inspectionEvent(record: InspectionRecord): SseEvent {
  const { kind, ...data } = record;
  return { event: kind, data };
}

/** GET /supervisor/inspect: a snapshot of every actor on connect, then events and snapshots as they happen. */
export function createInspectRouter(deps: { inspection: InspectionHub; streams: SseHub }): Router {
  const router = Router();
  router.get('/supervisor/inspect', async (req, res) => {
    const stream = await deps.streams.open(req, res);
    if (stream.closed) return;
    stream.sendMany(deps.inspection.snapshots().map(inspectionEvent));
    // A client that falls behind is dropped by the stream's bounded buffer, which ends this subscription too.
    const unsubscribe = deps.inspection.subscribe((record) => stream.send(inspectionEvent(record)));
    stream.onClose(unsubscribe);
  });
  router.all('/supervisor/inspect', methodNotAllowed(['GET']));
  return router;
}
