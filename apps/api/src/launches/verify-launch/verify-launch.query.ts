import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { verifyChain, type EventStore } from '#event-store';
import { launchStreamId, NotFound } from '#launch';
import { EVENT_STORE } from '../../infrastructure/injection-tokens.js';

export interface LaunchVerification {
  launchId: string;
  valid: boolean;
  /** How many events the launch's stream holds. */
  events: number;
  /** The first revision whose stored event does not hash to its place in the chain. */
  firstInvalidRevision?: number;
}

/** Recomputes a launch's hash chain over its events exactly as stored (never upcast). */
export async function verifyLaunch(store: EventStore, launchId: string): Promise<LaunchVerification | null> {
  const result = await verifyChain(store.readStream(launchStreamId(launchId)));
  if (result.events === 0) return null;
  return { launchId, ...result };
}

export class VerifyLaunchQuery extends Query<LaunchVerification> {
  constructor(readonly launchId: string) {
    super();
  }
}

@QueryHandler(VerifyLaunchQuery)
export class VerifyLaunchHandler implements IQueryHandler<VerifyLaunchQuery, LaunchVerification> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ launchId }: VerifyLaunchQuery): Promise<LaunchVerification> {
    const verification = await verifyLaunch(this.store, launchId);
    if (!verification) throw new NotFound('no such launch');
    return verification;
  }
}
