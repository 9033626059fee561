import type { StreamOptions } from '../../../../src/ui/app/api.js';
import { followStream } from '../../../../src/ui/app/follow-stream.js';
import { waitFor } from '../../../support/wait-for.js';

interface Message {
  id: string;
  text: string;
}

describe('followStream', () => {
  it('reconnects after a drop, resuming after the last id seen, and says when it is down and open again', async () => {
    const asked: (string | null)[] = [];
    const seen: string[] = [];
    const states: string[] = [];
    const script: Message[][] = [[{ id: '1', text: 'a' }, { id: '2', text: 'b' }], [], [{ id: '3', text: 'c' }]];
    let connection = 0;
    const handle = followStream<Message>({
      open: (options: StreamOptions) => {
        asked.push(options.lastEventId);
        const batch = script[connection] ?? [];
        const fail = connection === 1;
        connection += 1;
        return (async function* () {
          if (fail) throw new Error('connection refused');
          options.onOpen();
          yield* batch;
          if (connection === script.length) await new Promise((resolve) => options.signal.addEventListener('abort', resolve));
        })();
      },
      idOf: (m) => m.id,
      onEvent: (m) => seen.push(m.text),
      onOpen: () => states.push('open'),
      onDown: () => states.push('down'),
      initialDelayMs: 1,
      maxDelayMs: 4,
    });
    await waitFor('the third message', () => seen.length === 3);
    expect(seen).toEqual(['a', 'b', 'c']);
    expect(asked).toEqual([null, '2', '2']);
    expect(states).toEqual(['open', 'down', 'down', 'open']);
    handle.close();
    await handle.done;
    expect(handle.lastEventId).toBe('3');
    expect(asked).toHaveLength(3);
  });

  it('starts after the given id and stops for good when closed', async () => {
    const asked: (string | null)[] = [];
    const handle = followStream<Message>({
      open: (options) => {
        asked.push(options.lastEventId);
        return {
          [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('refused')) }),
        };
      },
      idOf: (m) => m.id,
      onEvent: () => undefined,
      lastEventId: '41',
      initialDelayMs: 1,
    });
    await waitFor('a retry', () => asked.length >= 2);
    handle.close();
    const count = asked.length;
    await handle.done;
    expect(asked).toHaveLength(count);
    expect(asked[0]).toBe('41');
  });
});
