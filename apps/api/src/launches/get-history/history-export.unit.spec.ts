import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '#event-store';
import { csvObjects, historyEventFromCsv } from '../../../../../test/support/audit-csv.js';
import { CSV_COLUMNS, csvField, csvRow, exportChunks, exportStream, spreadsheetSafe } from './history-export.js';
import { presentEvent } from '#platform';

const recorded = (revision: number, data: Record<string, unknown> = { taskId: 't', note: 'ok' }): RecordedEvent => ({
  streamId: 'launch-x',
  revision,
  position: revision + 1,
  eventId: `e-${revision}`,
  type: 'TaskCompleted',
  data,
  metadata: {
    actor: { id: 'a1', name: 'Dana, "the" auditor', role: 'department', department: 'sales' },
    occurredAt: '2026-11-01T10:00:00.000Z',
    correlationId: 'c1',
    prevHash: 'p'.repeat(64),
    hash: 'h'.repeat(64),
  },
  recordedAt: '2026-11-01T10:00:00.000Z',
});

/** An event source that counts how many events have been pulled from it. */
function countingSource(total: number) {
  const source = { pulled: 0, events: undefined as unknown as AsyncIterable<RecordedEvent> };
  source.events = (async function* () {
    for (let i = 0; i < total; i++) {
      source.pulled++;
      yield recorded(i);
    }
  })();
  return source;
}

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let all = '';
  for await (const chunk of chunks) all += chunk;
  return all;
}

describe('history exports', () => {
  it('quotes CSV fields with commas, quotes and line breaks (RFC 4180), and only those', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\r\nbreak')).toBe('"line\r\nbreak"');
  });

  it('prefixes cells a spreadsheet would run as a formula with a quote (OWASP), and only those', () => {
    for (const cell of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx']) expect(spreadsheetSafe(cell)).toBe(`'${cell}`);
    for (const cell of ['plain', '{"a":1}', '1-1', ' =1', "'=1", '']) expect(spreadsheetSafe(cell)).toBe(cell);
    const event = presentEvent(recorded(0, { note: '=HYPERLINK("x")' }));
    event.metadata.actor = { id: 'a', name: '-2+3', role: 'auditor' };
    const [record] = csvObjects(`${CSV_COLUMNS.join(',')}\r\n${csvRow(event)}`);
    expect(record!.actorName).toBe("'-2+3");
    expect(JSON.parse(record!.data!)).toEqual({ note: '=HYPERLINK("x")' });
  });

  it('writes CSV that parses back to the same events, whatever their data holds', async () => {
    const tricky = [recorded(0), recorded(1, { taskId: 't', note: 'a, "quoted"\nmulti-line note', details: { x: [1, 'é'] } })];
    const rows = csvObjects(
      await text(
        exportChunks(
          (async function* () {
            yield* tricky;
          })(),
          'csv',
        ),
      ),
    );
    expect(rows.map(historyEventFromCsv)).toEqual(tricky.map((e) => presentEvent(e)));
    expect(rows[1]).toMatchObject({ actorName: 'Dana, "the" auditor', actorDepartment: 'sales', occurredAt: '2026-11-01T10:00:00.000Z' });
  });

  it('writes one JSON history event per ndjson line', async () => {
    const events = [recorded(0), recorded(1)];
    const lines = (
      await text(
        exportChunks(
          (async function* () {
            yield* events;
          })(),
          'ndjson',
        ),
      )
    )
      .trimEnd()
      .split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual(events.map((e) => presentEvent(e)));
  });

  it('pulls events from the store only as the download is read, not the whole history up front', async () => {
    const source = countingSource(100_000);
    const stream = exportStream(source.events, 'ndjson');
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    expect(source.pulled).toBeGreaterThan(0);
    expect(source.pulled).toBeLessThan(5_000);
    stream.destroy();
  });
});
