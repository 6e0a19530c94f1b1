import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { RecordedEvent } from '#event-store';
import { NotFound } from '#launch';
import { LaunchHistoryReader } from '../shared/launch-history.reader.js';

export interface HistoryEvent {
  revision: number;
  position: number;
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  hash: string;
  prevHash: string;
}

/** An event as auditors read it: the chain hashes beside, not inside, its metadata. */
export function presentEvent(event: RecordedEvent): HistoryEvent {
  const { hash, prevHash, ...metadata } = event.metadata;
  return {
    revision: event.revision,
    position: event.position,
    eventId: event.eventId,
    type: event.type,
    data: event.data,
    metadata,
    hash: String(hash ?? ''),
    prevHash: String(prevHash ?? ''),
  };
}

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
  constructor(private readonly history: LaunchHistoryReader) {}

  async execute({ launchId, fromRevision, limit }: GetHistoryQuery): Promise<{ events: HistoryEvent[] }> {
    const events: HistoryEvent[] = [];
    for await (const event of this.history.events(launchId, fromRevision, limit)) events.push(presentEvent(event));
    if (events.length === 0 && !(await this.exists(launchId))) throw new NotFound('no such launch');
    return { events };
  }

  private async exists(launchId: string): Promise<boolean> {
    for await (const _ of this.history.events(launchId, 0, 1)) return true;
    return false;
  }
}
