import { Inject, Optional } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { EventStore } from '#event-store';
import { NotFound } from '#launch';
import { type LaunchVerification, type LedgerKey, verifyLaunch } from '#platform';
import { EVENT_STORE } from '../../infrastructure/injection-tokens.js';
import { LEDGER_KEY } from '../../ledger/ledger-tokens.js';

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
