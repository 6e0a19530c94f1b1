import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { LaunchStatus, Tier } from '#launch';
import { LAUNCHES, type FindQuery, type LaunchView, type ReadModelStore, type Where } from '#read-models';
import { CLOCK, READ_MODEL_STORE, type Clock } from '../../infrastructure/injection-tokens.js';
import { findPage, type Page, type PageRequest } from '../../http/paging/index.js';
import { presentSummary } from '../shared/launch-presenter.js';

export type LaunchSummary = ReturnType<typeof presentSummary>;

export const LAUNCH_SORTS = ['targetDate', '-targetDate', 'name', '-name', 'readiness', '-readiness'] as const;
export type LaunchSort = (typeof LAUNCH_SORTS)[number];

/** Each sort's order in the store; the id breaks the remaining ties (see FindQuery). */
const ORDER: Record<LaunchSort, NonNullable<FindQuery['orderBy']>> = {
  targetDate: [{ field: 'targetDate' }, { field: 'name' }],
  '-targetDate': [{ field: 'targetDate', direction: 'desc' }, { field: 'name' }],
  name: [{ field: 'name' }],
  '-name': [{ field: 'name', direction: 'desc' }],
  // least ready first; among equals, the soonest
  readiness: [{ field: 'readinessPercent' }, { field: 'targetDate' }],
  '-readiness': [{ field: 'readinessPercent', direction: 'desc' }, { field: 'targetDate' }],
};

export interface LaunchListFilter {
  statuses?: LaunchStatus[];
  tier?: Tier;
  /** Case-insensitive substring of the name or the product. */
  q?: string;
}

export class ListLaunchesQuery extends Query<Page<LaunchSummary>> {
  constructor(
    readonly filter: LaunchListFilter,
    readonly sort: LaunchSort = 'targetDate',
    readonly page: PageRequest = {},
  ) {
    super();
  }
}

@QueryHandler(ListLaunchesQuery)
export class ListLaunchesHandler implements IQueryHandler<ListLaunchesQuery, Page<LaunchSummary>> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly views: ReadModelStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ filter, sort, page }: ListLaunchesQuery): Promise<Page<LaunchSummary>> {
    const where: Where = {};
    if (filter.statuses !== undefined) where.status = filter.statuses.length === 1 ? filter.statuses[0]! : { in: filter.statuses };
    if (filter.tier !== undefined) where.tier = filter.tier;
    const query: FindQuery = { where, orderBy: ORDER[sort] };
    if (filter.q !== undefined) query.contains = { fields: ['name', 'product'], text: filter.q };
    const scope = { list: 'launches', sort, filters: { status: filter.statuses && [...filter.statuses].sort(), tier: filter.tier, q: filter.q } };
    const found = await findPage<LaunchView>(this.views, LAUNCHES, query, page, scope);
    const now = this.clock.now();
    return { items: found.items.map((view) => presentSummary(view, now)), ...(found.next !== undefined && { next: found.next }) };
  }
}
