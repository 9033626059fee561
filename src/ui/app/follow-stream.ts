// Follows an event stream of the supervisor for as long as the page wants it: reconnects with backoff after a drop
// and resumes after the last event id seen (Last-Event-ID), so nothing is lost or repeated across a reconnection.
import { abortableDelay } from '../../client/supervisor-client.js';
import type { StreamOptions } from './api.js';

export interface FollowOptions<T> {
  /** Opens one connection; the iterable ends (or throws) when the connection does. */
  open(options: StreamOptions): AsyncIterable<T>;
  /** The event id of an event (what a reconnection resumes after), or null when it has none. */
  idOf(event: T): string | null;
  onEvent(event: T): void;
  /** The stream is open (also after a reconnection). */
  onOpen?(): void;
  /** The stream dropped; a reconnection is under way. */
  onDown?(): void;
  /** Resume after this id instead of starting fresh. */
  lastEventId?: string | null;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export interface FollowHandle {
  /** Stops following; the last event id seen stays readable. */
  close(): void;
  /** The id of the last event received (null before the first). */
  readonly lastEventId: string | null;
  /** Resolves once following has stopped for good (after close()). */
  readonly done: Promise<void>;
}

/** Follows a stream until closed, reconnecting with exponential backoff (reset whenever a connection opens). */
export function followStream<T>(options: FollowOptions<T>): FollowHandle {
  const initial = options.initialDelayMs ?? 500;
  const max = options.maxDelayMs ?? 5000;
  const controller = new AbortController();
  let lastEventId = options.lastEventId ?? null;
  let delay = initial;

  const done = (async () => {
    while (!controller.signal.aborted) {
      try {
        const events = options.open({
          lastEventId,
          signal: controller.signal,
          onOpen: () => {
            delay = initial;
            if (!controller.signal.aborted) options.onOpen?.();
          },
        });
        for await (const event of events) {
          if (controller.signal.aborted) return;
          lastEventId = options.idOf(event) ?? lastEventId;
          options.onEvent(event);
        }
      } catch {
        // A refused or broken connection: retried below like a clean end.
      }
      if (controller.signal.aborted) return;
      options.onDown?.();
      // A close() during the wait ends it early; the loop then stops.
      await abortableDelay(delay, controller.signal).catch(() => undefined);
      delay = Math.min(delay * 2, max);
    }
  })();

  return {
    done,
    close: () => controller.abort(),
    get lastEventId() {
      return lastEventId;
    },
  };
}
