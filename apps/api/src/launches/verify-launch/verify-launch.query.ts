import { Inject, Optional } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { verifyChain, type EventStore, type RecordedEvent } from '#event-store';
import { launchStreamId, NotFound } from '#launch';
import { EVENT_STORE } from '../../infrastructure/injection-tokens.js';
import { authenticityOf } from '../../ledger/event-authenticity.js';
import type { LedgerKey } from '../../ledger/ledger-key-file.js';
import { LEDGER_KEY } from '../../ledger/ledger-tokens.js';

export interface LaunchVerification {
  launchId: string;
  valid: boolean;
  /** How many events the launch's stream holds. */
  events: number;
  /** The first revision whose stored event does not hash to its place in the chain. */
  firstInvalidRevision?: number;
  /** The first revision the server's ledger key did not authenticate (written by something else). */
  firstUnauthenticatedRevision?: number;
}

/**
 * Recomputes a launch's hash chain over its events exactly as stored (never upcast) and, given the
 * ledger key, checks each event's MAC: an event the server did not append makes it invalid too.
 */
export async function verifyLaunch(store: EventStore, launchId: string, key?: Pick<LedgerKey, 'macKey' | 'adoptedThrough'> | null): Promise<LaunchVerification | null> {
  let firstUnauthenticatedRevision: number | undefined;
  async function* checked(): AsyncGenerator<RecordedEvent> {
    for await (const event of store.readStream(launchStreamId(launchId))) {
      if (key && firstUnauthenticatedRevision === undefined && authenticityOf(event, key) === 'unauthenticated') firstUnauthenticatedRevision = event.revision;
      yield event;
    }
  }
  const result = await verifyChain(checked());
  if (result.events === 0) return null;
  if (firstUnauthenticatedRevision === undefined) return { launchId, ...result };
  return { launchId, ...result, valid: false, firstUnauthenticatedRevision };
}

export class VerifyLaunchQuery extends Query<LaunchVerification> {
  constructor(readonly launchId: string) {
    super();
  }
}

@QueryHandler(VerifyLaunchQuery)
export class VerifyLaunchHandler implements IQueryHandler<VerifyLaunchQuery, LaunchVerification> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(LEDGER_KEY) private readonly key?: LedgerKey | null,
  ) {}

  async execute({ launchId }: VerifyLaunchQuery): Promise<LaunchVerification> {
    const verification = await verifyLaunch(this.store, launchId, this.key);
    if (!verification) throw new NotFound('no such launch');
    return verification;
  }
}
