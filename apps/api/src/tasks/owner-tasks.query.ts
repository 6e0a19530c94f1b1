import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Department } from '#launch';
import { DEPARTMENT_TASKS, type DepartmentTaskView, type FindQuery, type ReadModelStore, type Where } from '#read-models';
import { INBOX_ORDER, LIVE_LAUNCH_STATUSES, presentItem, type InboxFilter, type InboxItem, type InboxSort } from '../departments/department-inbox.query.js';
import { findPage, type Page, type PageRequest } from '../http/paging/index.js';
import { READ_MODEL_STORE } from '../infrastructure/injection-tokens.js';

/** An inbox item, with the department the task belongs to. */
export interface OwnerTaskItem extends InboxItem {
  department: Department;
}

export class OwnerTasksQuery extends Query<Page<OwnerTaskItem>> {
  constructor(
    /** Any case: addresses are matched case-insensitively. */
    readonly ownerEmail: string,
    readonly filter: InboxFilter = {},
    readonly sort: InboxSort = 'dueDate',
    readonly page: PageRequest = {},
  ) {
    super();
  }
}

/**
 * One person's tasks across launches and departments (cancelled launches owe nothing), earliest due
 * first unless sorted otherwise: the department inbox's filters, sorts and paging over one owner.
 */
@QueryHandler(OwnerTasksQuery)
export class OwnerTasksHandler implements IQueryHandler<OwnerTasksQuery, Page<OwnerTaskItem>> {
  constructor(@Inject(READ_MODEL_STORE) private readonly views: ReadModelStore) {}

  async execute({ ownerEmail, filter, sort, page }: OwnerTasksQuery): Promise<Page<OwnerTaskItem>> {
    const owner = ownerEmail.toLowerCase();
    const where: Where = { ownerEmail: owner, launchStatus: { in: LIVE_LAUNCH_STATUSES } };
    if (filter.statuses !== undefined) where.status = filter.statuses.length === 1 ? filter.statuses[0]! : { in: filter.statuses };
    const query: FindQuery = { where, orderBy: INBOX_ORDER[sort] };
    if (filter.q !== undefined) query.contains = { fields: ['title', 'launchName'], text: filter.q };
    const scope = { list: 'owner-tasks', sort, filters: { owner, status: filter.statuses && [...filter.statuses].sort(), q: filter.q } };
    const found = await findPage<DepartmentTaskView>(this.views, DEPARTMENT_TASKS, query, page, scope);
    return {
      items: found.items.map((task) => ({ ...presentItem(task), department: task.department })),
      ...(found.next !== undefined && { next: found.next }),
    };
  }
}
