import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { EventStore } from '#event-store';
import { NotFound } from '#launch';
import { verifyLaunch, type LaunchVerification } from '#platform';
import { EVENT_STORE } from '../../infrastructure/injection-tokens.js';

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
