import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Readable } from 'node:stream';
import type { RecordedEvent } from '#event-store';
import { NotFound } from '#launch';
import { LaunchHistoryReader } from '../shared/launch-history.reader.js';
import { LedgerService } from '../../ledger/ledger.service.js';
import { exportStream, type ExportFormat } from './history-export.js';
import { type HistoryEvent, presentEvent } from '#platform';

export class GetHistoryQuery extends Query<{ events: HistoryEvent[] }> {
  constructor(
    readonly launchId: string,
    readonly fromRevision: number,
    readonly limit: number,
  ) {
    super();
  }
}

@QueryHandler(GetHistoryQuery)
export class GetHistoryHandler implements IQueryHandler<GetHistoryQuery, { events: HistoryEvent[] }> {
  constructor(
    private readonly history: LaunchHistoryReader,
    private readonly ledger: LedgerService,
  ) {}

  async execute({ launchId, fromRevision, limit }: GetHistoryQuery): Promise<{ events: HistoryEvent[] }> {
    const recorded: RecordedEvent[] = [];
    for await (const event of this.history.events(launchId, fromRevision, limit)) recorded.push(event);
    if (recorded.length === 0 && !(await launchExists(this.history, launchId))) throw new NotFound('no such launch');
    const leaves = await this.ledger.leafIndexes(recorded);
    return { events: recorded.map((event) => presentEvent(event, { leafIndex: leaves.get(event.position) ?? null })) };
  }
}

export class ExportHistoryQuery extends Query<Readable> {
  constructor(
    readonly launchId: string,
    readonly format: ExportFormat,
    readonly fromRevision: number,
    readonly limit?: number,
  ) {
    super();
  }
}

/** The whole history as an ndjson or csv byte stream, read from the store as the client downloads it. */
@QueryHandler(ExportHistoryQuery)
export class ExportHistoryHandler implements IQueryHandler<ExportHistoryQuery, Readable> {
  constructor(private readonly history: LaunchHistoryReader) {}

  async execute({ launchId, format, fromRevision, limit }: ExportHistoryQuery): Promise<Readable> {
    if (!(await launchExists(this.history, launchId))) throw new NotFound('no such launch');
    return exportStream(this.history.events(launchId, fromRevision, limit), format);
  }
}

async function launchExists(history: LaunchHistoryReader, launchId: string): Promise<boolean> {
  for await (const _ of history.events(launchId, 0, 1) as AsyncIterable<RecordedEvent>) return true;
  return false;
}
