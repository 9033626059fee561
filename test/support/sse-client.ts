import { request, type IncomingMessage, type ClientRequest } from 'node:http';
import { checkAnswer, checkEvent } from './contract.js';

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

/**
 * Opens GET `url` with the given headers and resolves once the response head has arrived. The answer and every event
 * of a `/supervisor/…` stream are checked against docs/openapi.yaml (a mismatch fails the test, see contract-setup.ts).
 */
export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream', ...headers }, agent: false });
    req.on('error', reject);
    req.on('response', (res) => {
      const client = parse(url, req, res);
      resolve(client);
    });
    req.end();
  });
}

function parse(url: string, req: ClientRequest, res: IncomingMessage): SseClient {
  const stream = /^text\/event-stream\b/i.test(res.headers['content-type'] ?? '');
  // An event stream's head is checked at once (its body is checked event by event); any other answer once it ended.
  if (stream) checkAnswer({ method: 'GET', url, status: res.statusCode ?? 0, headers: res.headers, text: '' });
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
      if (isEvent) {
        const event = { id: fields.id, event: fields.event, data: fields.data.join('\n') };
        if (stream) checkEvent(url, event.event, event.data);
        events.push(event);
      }
    }
  });
  const end = (): void => {
    if (!ended && !stream && res.complete) checkAnswer({ method: 'GET', url, status: client.status, headers: res.headers, text: client.raw });
    ended = true;
  };
  res.on('end', end);
  res.on('close', end);
  res.on('error', end);
  req.on('error', end);
  return client;
}
