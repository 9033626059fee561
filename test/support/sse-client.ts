import { request, type IncomingMessage, type ClientRequest } from 'node:http';

/** One parsed event as a browser's EventSource would see it. */
export interface ReceivedEvent {
  id: string | undefined;
  event: string | undefined;
  data: string;
}

/** A real SSE client over node:http that parses the bytes on the wire (no EventSource mock). */
export interface SseClient {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly events: ReceivedEvent[];
  readonly comments: string[];
  /** Every byte received, as text. */
  raw: string;
  /** The id of the last event that carried one (what EventSource sends back as Last-Event-ID). */
  readonly lastEventId: string | undefined;
  /** True once the server ended or cut the response. */
  readonly ended: boolean;
  /** The `data` of each event parsed as JSON. */
  json<T = Record<string, unknown>>(): T[];
  /** Stops reading from the socket (the server's writes back up). */
  pause(): void;
  close(): void;
  readonly response: IncomingMessage;
  readonly request: ClientRequest;
}

/** Opens GET `url` with the given headers and resolves once the response head has arrived. */
export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false });
    req.on('error', reject);
    req.on('response', (res) => {
      const client = parse(req, res);
      resolve(client);
    });
    req.end();
  });
}

function parse(req: ClientRequest, res: IncomingMessage): SseClient {
  const events: ReceivedEvent[] = [];
  const comments: string[] = [];
  let pending = '';
  let lastEventId: string | undefined;
  let ended = false;
  const client: SseClient = {
    status: res.statusCode ?? 0,
    headers: res.headers,
    events,
    comments,
    raw: '',
    get lastEventId() {
      return lastEventId;
    },
    get ended() {
      return ended;
    },
    json<T>() {
      return events.map((e) => JSON.parse(e.data) as T);
    },
    pause() {
      res.pause();
    },
    close() {
      req.destroy();
    },
    response: res,
    request: req,
  };
  res.setEncoding('utf8');
  res.on('data', (text: string) => {
    client.raw += text;
    pending += text;
    // Events end at a blank line (the spec allows CRLF, CR or LF line ends).
    for (;;) {
      const match = /\r\n\r\n|\n\n|\r\r/.exec(pending);
      if (!match) break;
      const block = pending.slice(0, match.index);
      pending = pending.slice(match.index + match[0].length);
      const fields = { id: undefined as string | undefined, event: undefined as string | undefined, data: [] as string[] };
      let isEvent = false;
      for (const line of block.split(/\r\n|\n|\r/)) {
        if (line.startsWith(':')) {
          comments.push(line.slice(1).replace(/^ /, ''));
          continue;
        }
        const colon = line.indexOf(':');
        const name = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (name === 'data') {
          fields.data.push(value);
          isEvent = true;
        } else if (name === 'id') fields.id = value;
        else if (name === 'event') fields.event = value;
      }
      if (fields.id !== undefined) lastEventId = fields.id;
      if (isEvent) events.push({ id: fields.id, event: fields.event, data: fields.data.join('\n') });
    }
  });
  const end = (): void => {
    ended = true;
  };
  res.on('end', end);
  res.on('close', end);
  res.on('error', end);
  req.on('error', end);
  return client;
}
