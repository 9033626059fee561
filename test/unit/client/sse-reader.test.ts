import { readSse, type SseMessage } from '../../../src/client/sse-reader.js';

// A body delivered in the given chunks, so frames can be split at awkward places.
function body(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function collect(stream: ReadableStream<Uint8Array>): Promise<SseMessage[]> {
  const messages: SseMessage[] = [];
  for await (const message of readSse(stream)) messages.push(message);
  return messages;
}

describe('readSse', () => {
  it('yields id and data of each event and skips comments', async () => {
    const messages = await collect(body(': ping\n\n', 'id: 12\ndata: {"line":"a"}\n\n', 'id: 20\ndata: {"line":"b"}\n\n'));
    expect(messages).toEqual([
      { event: 'message', id: '12', data: '{"line":"a"}', retry: null },
      { event: 'message', id: '20', data: '{"line":"b"}', retry: null },
    ]);
  });

  it('reassembles frames split across chunks, even inside a CRLF', async () => {
    const messages = await collect(body('id: 1\r', '\ndata: {"li', 'ne":"x"}\r\n\r', '\n', 'data: y\r\rdata: z\n\n'));
    expect(messages.map((m) => m.data)).toEqual(['{"line":"x"}', 'y', 'z']);
  });

  it('decodes multi-byte characters split between chunks', async () => {
    const bytes = new TextEncoder().encode('data: caf\u00e9 \u{1F680}\n\n');
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const byte of bytes) controller.enqueue(new Uint8Array([byte]));
        controller.close();
      },
    });
    expect((await collect(stream))[0]?.data).toBe('caf\u00e9 \u{1F680}');
  });

  it('joins data lines, keeps the last id for events without one, reads event and retry fields', async () => {
    const messages = await collect(body('retry: 250\nevent: snapshot\nid: 7\ndata: a\ndata: b\n\n', 'data:c\n\n'));
    expect(messages).toEqual([
      { event: 'snapshot', id: '7', data: 'a\nb', retry: 250 },
      { event: 'message', id: '7', data: 'c', retry: 250 },
    ]);
  });

  it('drops an event the stream ended before its blank line', async () => {
    expect(await collect(body('data: complete\n\n', 'data: cut off'))).toHaveLength(1);
  });
});
