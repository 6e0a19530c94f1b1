import { describe, expect, it } from '@jest/globals';
import { readEvents, SseParser, type ServerSentEvent } from '../../apps/web/src/sse.js';

// The dashboard's reader of GET /v1/launches/{id}/stream: network chunks split events anywhere.
describe('the dashboard parses server-sent events however the network splits them', () => {
  const stream =
    'retry: 2000\nevent: readiness\nid: 0\ndata: {"overall":{"percent":0}}\n\n: heartbeat\n\nevent: readiness\r\nid: 1\r\ndata: {"overall":{"percent":50}}\r\n\r\n';

  it('yields each event once it is complete, skipping comments and retry lines', () => {
    for (let size = 1; size <= stream.length; size++) {
      const parser = new SseParser();
      const events: ServerSentEvent[] = [];
      for (let i = 0; i < stream.length; i += size) events.push(...parser.push(stream.slice(i, i + size)));
      expect(events).toEqual([
        { event: 'readiness', id: '0', data: '{"overall":{"percent":0}}' },
        { event: 'readiness', id: '1', data: '{"overall":{"percent":50}}' },
      ]);
    }
  });

  it('joins multi-line data and reads a fetch() body to its end', async () => {
    const bytes = new TextEncoder().encode('data: first\ndata: second\n\n');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 7));
        controller.enqueue(bytes.slice(7));
        controller.close();
      },
    });
    const seen: ServerSentEvent[] = [];
    await readEvents(body, (event) => {
      seen.push(event);
    });
    expect(seen).toEqual([{ event: 'message', data: 'first\nsecond' }]);
  });
});
