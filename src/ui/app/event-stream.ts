// EventSource with a reconnect policy the page controls.

export interface EventStreamOptions {
  url: string;
  /** Handlers by SSE event name ('message' for unnamed events), given the raw `data`. */
  listeners: Record<string, (data: string, event: MessageEvent<string>) => void>;
  onOpen?(): void;
  /** The connection dropped; a reconnect is under way. */
  onDown?(): void;
  /** A new connection (not a resume) is about to open: state derived from the old one should be reset. */
  onFresh?(): void;
  /**
   * Let the browser reconnect by itself after a network error: it resends `Last-Event-ID`, so the server
   * resumes without gaps or duplicates (the log stream). Otherwise every drop is a fresh connection.
   */
  resume?: boolean;
  initialDelayMs?: number;
  maxDelayMs?: number;
}

export interface EventStreamHandle {
  close(): void;
}

/** Opens an SSE stream that keeps reconnecting, with exponential backoff, until closed. */
export function openEventStream(options: EventStreamOptions): EventStreamHandle {
  const initial = options.initialDelayMs ?? 500;
  const max = options.maxDelayMs ?? 5000;
  let delay = initial;
  let source: EventSource | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  const connect = (): void => {
    const es = new EventSource(options.url);
    source = es;
    for (const [name, handler] of Object.entries(options.listeners)) {
      es.addEventListener(name, (event) => handler((event as MessageEvent<string>).data, event as MessageEvent<string>));
    }
    es.onopen = () => {
      delay = initial;
      options.onOpen?.();
    };
    es.onerror = () => {
      if (closed || source !== es) return;
      options.onDown?.();
      // A network error leaves the source CONNECTING: the browser retries and resumes by itself.
      if (options.resume && es.readyState === EventSource.CONNECTING) return;
      es.close();
      timer = setTimeout(() => {
        timer = null;
        if (closed) return;
        options.onFresh?.();
        connect();
      }, delay);
      delay = Math.min(delay * 2, max);
    };
  };

  connect();
  return {
    close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      source?.close();
    },
  };
}
