// One connection to an event stream of the supervisor, parsed from the bytes on the wire (a real client, as
// test/support/sse-client.ts is for the tests), with the controls the soak needs: pause reading, resume, drop.
import { request } from 'node:http';

/** @typedef {{ id: string | undefined, data: string }} StreamEvent */

/**
 * @typedef {object} StreamConnection
 * @property {() => void} pause stop reading (the supervisor's writes back up until it drops the client)
 * @property {() => void} resume
 * @property {() => void} drop cut the connection from this side
 * @property {() => boolean} ended
 */

/**
 * Opens GET `url` as an event stream. `onText` sees every chunk received (for the leak scan); `onEvent` each event;
 * `onOpen` when the answer's head arrived (with its status), `onEnd` once, when the connection is over for any reason
 * (`why`: who ended it).
 * @param {{ url: string, lastEventId: string | null, onOpen: (status: number) => void, onText: (text: string) => void, onEvent: (event: StreamEvent) => void, onEnd: (why: string) => void }} options
 * @returns {StreamConnection}
 */
export function openStream({ url, lastEventId, onOpen, onText, onEvent, onEnd }) {
  /** @type {Record<string, string>} */
  const headers = { accept: 'text/event-stream' };
  if (lastEventId !== null) headers['last-event-id'] = lastEventId;
  let ended = false;
  let droppedHere = false;
  /** @type {import('node:http').IncomingMessage | null} */
  let response = null;
  const end = (/** @type {string} */ why) => {
    if (ended) return;
    ended = true;
    onEnd(droppedHere ? 'dropped by the soak' : why);
  };
  const req = request(url, { headers, agent: false });
  req.once('error', (error) => end(`error ${/** @type {NodeJS.ErrnoException} */ (error).code ?? error.message}`));
  req.once('response', (res) => {
    response = res;
    res.setEncoding('utf8');
    const isStream = res.statusCode === 200 && /^text\/event-stream\b/.test(res.headers['content-type'] ?? '');
    onOpen(res.statusCode ?? 0);
    let pending = '';
    res.on('data', (/** @type {string} */ text) => {
      onText(text);
      if (!isStream) return;
      pending += text;
      for (;;) {
        const at = pending.indexOf('\n\n');
        if (at < 0) break;
        const block = pending.slice(0, at);
        pending = pending.slice(at + 2);
        /** @type {string | undefined} */
        let id;
        /** @type {string[]} */
        const data = [];
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const name = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (name === 'id') id = value;
          else if (name === 'data') data.push(value);
        }
        if (data.length > 0) onEvent({ id, data: data.join('\n') });
      }
    });
    res.once('end', () => end(isStream ? 'ended by the supervisor' : `HTTP ${res.statusCode}`));
    res.once('close', () => end(isStream ? 'closed' : `HTTP ${res.statusCode}`));
    res.once('error', () => end('response error'));
  });
  req.end();
  return {
    pause: () => response?.pause(),
    resume: () => response?.resume(),
    drop: () => {
      droppedHere = true;
      req.destroy();
      end('dropped by the soak');
    },
    ended: () => ended,
  };
}
