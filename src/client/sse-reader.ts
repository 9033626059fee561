// A server-sent-events parser over a fetch body, per the WHATWG event-stream rules. Browser-safe (no node imports).

/** One dispatched event: its name (`message` by default), data lines joined by `\n`, and the last event id seen. */
export interface SseMessage {
  event: string;
  data: string;
  /** The stream's last event id at dispatch time (it carries over events that set none), or null. */
  id: string | null;
  /** A `retry:` reconnection delay sent before this event, in ms. */
  retry: number | null;
}

/** Reads `body` as an event stream and yields each event; comments (`: ping`) are skipped. Cancels the body on exit. */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      // Split off complete lines; a trailing '\r' may be the first half of '\r\n', so it waits for more input.
      let start = 0;
      for (;;) {
        const cr = buffer.indexOf('\r', start);
        const lf = buffer.indexOf('\n', start);
        const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
        if (end === -1) break;
        if (end === cr && end === buffer.length - 1 && !done) break;
        const message = parser.line(buffer.slice(start, end));
        start = end + (end === cr && buffer[end + 1] === '\n' ? 2 : 1);
        if (message) yield message;
      }
      buffer = buffer.slice(start);
      // An event not ended by a blank line is discarded at end of stream, as the spec says.
      if (done) return;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

// The field state machine of the spec: fields accumulate until a blank line dispatches them.
class SseParser {
  private event = '';
  private data: string[] = [];
  private hasData = false;
  private lastId: string | null = null;
  private retry: number | null = null;

  line(line: string): SseMessage | null {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.event = value;
        break;
      case 'data':
        this.data.push(value);
        this.hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retry = Number(value);
        break;
    }
    return null;
  }

  private dispatch(): SseMessage | null {
    const message: SseMessage | null = this.hasData
      ? { event: this.event || 'message', data: this.data.join('\n'), id: this.lastId, retry: this.retry }
      : null;
    this.event = '';
    this.data = [];
    this.hasData = false;
    return message;
  }
}
