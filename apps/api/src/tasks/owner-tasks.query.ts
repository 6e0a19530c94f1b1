import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Department } from '#launch';
import type { ReadModelStore } from '#read-models';
import { findTaskPage, presentItem, type InboxFilter, type InboxItem, type InboxSort } from '../departments/department-inbox.query.js';
import type { Page, PageRequest } from '../http/paging/index.js';
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
    const selection = { list: 'owner-tasks', where: { ownerEmail: owner }, filters: { owner } };
    return findTaskPage(this.views, selection, { filter, sort, page }, (task) => ({ ...presentItem(task), department: task.department }));
  }
}
