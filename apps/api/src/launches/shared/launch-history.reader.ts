import { Inject, Injectable } from '@nestjs/common';
import type { EventStore, RecordedEvent } from '#event-store';
import { eventContext, evolve, initialState, type Launch, type LaunchState, launchStreamId, toLaunchEvent } from '#launch';
import { EVENT_STORE } from '../../infrastructure/injection-tokens.js';
import { FoldSnapshots } from './fold-snapshots.js';

export interface PointInTime {
  /** Fold the events that had occurred by this instant. */
  asOf?: string;
  /** Fold the events up to this revision. */
  atRevision?: number;
}

/** Reads a launch's stream for auditors: its events, and its state at any past point, folded by the domain's own evolve. */
@Injectable()
export class LaunchHistoryReader {
  private readonly snapshots = new FoldSnapshots();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  events(launchId: string, fromRevision = 0, maxCount?: number): AsyncIterable<RecordedEvent> {
    return this.store.readStream(launchStreamId(launchId), { fromRevision, ...(maxCount !== undefined && { maxCount }) });
  }

  /** The launch as it was at that point, or null when it did not exist yet. */
  async at(launchId: string, point: PointInTime): Promise<{ launch: Launch; revision: number; lastOccurredAt: string } | null> {
    const streamId = launchStreamId(launchId);
    const until = point.asOf !== undefined ? Date.parse(point.asOf) : Infinity;
    const start = this.snapshots.nearest(streamId, point.atRevision ?? Infinity, until);
    let state: LaunchState = start?.state ?? initialState;
    let revision = start?.revision ?? -1;
    let lastOccurredAt = start?.lastOccurredAt ?? '';
    let latestOccurredAtMs = start?.latestOccurredAtMs ?? -Infinity;
    const stream = this.store.readStream(streamId, { fromRevision: revision + 1, ...(point.atRevision !== undefined && { toRevision: point.atRevision }) });
    for await (const recorded of stream) {
      const context = eventContext(recorded);
      const occurredAtMs = Date.parse(context.occurredAt);
      if (occurredAtMs > until) break;
      const event = toLaunchEvent(recorded);
      if (event) state = evolve(state, event, context);
      revision = recorded.revision;
      lastOccurredAt = context.occurredAt;
      latestOccurredAtMs = Math.max(latestOccurredAtMs, occurredAtMs);
      this.snapshots.offer(streamId, { revision, state, lastOccurredAt, latestOccurredAtMs });
    }
    if (!state.exists) return null;
    const { exists: _exists, ...launch } = state;
    return { launch, revision, lastOccurredAt };
  }
}
