import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { LaunchStatus, Tier } from '#launch';
import { LAUNCHES, type LaunchView, type ReadModelStore, type Where } from '#read-models';
import { CLOCK, READ_MODEL_STORE, type Clock } from '../../infrastructure/injection-tokens.js';
import { presentSummary } from '../shared/launch-presenter.js';

export type LaunchSummary = ReturnType<typeof presentSummary>;

export class ListLaunchesQuery extends Query<LaunchSummary[]> {
  constructor(readonly filter: { status?: LaunchStatus; tier?: Tier }) {
    super();
  }
}

@QueryHandler(ListLaunchesQuery)
export class ListLaunchesHandler implements IQueryHandler<ListLaunchesQuery, LaunchSummary[]> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly views: ReadModelStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ filter }: ListLaunchesQuery): Promise<LaunchSummary[]> {
    const where: Where = {};
    if (filter.status !== undefined) where.status = filter.status;
    if (filter.tier !== undefined) where.tier = filter.tier;
    const views = await this.views.find<LaunchView>(LAUNCHES, { where, orderBy: [{ field: 'targetDate' }, { field: 'name' }] });
    const now = this.clock.now();
    return views.map((view) => presentSummary(view, now));
  }
}
