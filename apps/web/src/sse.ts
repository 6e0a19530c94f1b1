/** One server-sent event as parsed from a text/event-stream body. */
export interface ServerSentEvent {
  event: string;
  id?: string;
  data: string;
}

/**
 * Parses text/event-stream text fed in arbitrary chunks (EventSource cannot send an Authorization
 * header, so the page reads the stream with fetch()). Comments and `retry:` lines are skipped.
 */
export class SseParser {
  private buffer = '';
  /** A trailing `\r` waits for the next chunk: it may be the first half of a `\r\n`. */
  private pending = '';

  push(chunk: string): ServerSentEvent[] {
    let text = this.pending + chunk;
    this.pending = text.endsWith('\r') ? '\r' : '';
    if (this.pending) text = text.slice(0, -1);
    this.buffer += text.replace(/\r\n?/g, '\n');
    const events: ServerSentEvent[] = [];
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const event: ServerSentEvent = { event: 'message', data: '' };
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line === '' || line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') event.event = value;
        else if (field === 'id') event.id = value;
        else if (field === 'data') data.push(value);
      }
      if (data.length === 0) continue;
      event.data = data.join('\n');
      events.push(event);
    }
    return events;
  }
}

/** Reads a stream body until it ends or is aborted, calling `onEvent` for each event. */
export async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (event: ServerSentEvent) => void | Promise<void>): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return;
    for (const event of parser.push(decoder.decode(value, { stream: true }))) await onEvent(event);
  }
}
