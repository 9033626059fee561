import { Router } from 'express';
import type { InspectionHub, InspectionRecord } from '../inspect/inspection-hub.js';
import type { InspectionReplay } from '../inspect/inspection-replay.js';
import { methodNotAllowed } from './errors.js';
import { openRouteStream, type SseEvent, type SseHub } from './sse.js';

/** One inspection record as an SSE event: `snapshot`, `event` or `started`, the record (less its kind) as JSON data. */
export function inspectionEvent(record: InspectionRecord, replayed = false): SseEvent {
  const { kind, ...data } = record;
  return { event: kind, data: replayed ? { ...data, replayed: true } : data };
}

/**
 * GET /supervisor/inspect: the recent past first (records marked `replayed`, with their original times, supervisor
 * restarts as `started`), then a snapshot of every actor as it is now, then events and snapshots as they happen.
 */
export function createInspectRouter(deps: { inspection: InspectionHub; replay: InspectionReplay; streams: SseHub }): Router {
  const router = Router();
  router.get('/supervisor/inspect', async (req, res, next) => {
    // The records of earlier supervisor runs are read from the file once, soon after start-up.
    await deps.replay.ready;
    const stream = await openRouteStream(deps.streams, req, res, next);
    if (!stream) return;
    // Replay, present and subscription in one tick: no record falls between them or comes twice.
    const past = deps.replay.records().map((record) => inspectionEvent(record, true));
    stream.sendMany([...past, ...deps.inspection.snapshots().map((record) => inspectionEvent(record))]);
    // A client that falls behind is dropped by the stream's bounded buffer, which ends this subscription too.
    const unsubscribe = deps.inspection.subscribe((record) => stream.send(inspectionEvent(record)));
    stream.onClose(unsubscribe);
  });
  router.all('/supervisor/inspect', methodNotAllowed(['GET']));
  return router;
}
