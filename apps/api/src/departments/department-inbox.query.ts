import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Department, Launch, TaskOwner, TaskStatus } from '#launch';
import { DEPARTMENT_TASKS, type DepartmentTaskView, type FindQuery, type ReadModelStore, type Where } from '#read-models';
import { READ_MODEL_STORE } from '../infrastructure/injection-tokens.js';
import { findPage, type Page, type PageRequest } from '../http/paging/index.js';

export interface InboxItem {
  launchId: string;
  launchName: string;
  targetDate: string;
  taskId: string;
  title: string;
  kind: string;
  required: boolean;
  dueDate: string;
  status: TaskStatus;
  owner: TaskOwner | null;
}

export const INBOX_SORTS = ['dueDate', '-dueDate', 'targetDate', '-targetDate', 'name', '-name'] as const;
export type InboxSort = (typeof INBOX_SORTS)[number];

/** Each sort's order in the store (`name` is the launch's); the id breaks the remaining ties. */
export const INBOX_ORDER: Record<InboxSort, NonNullable<FindQuery['orderBy']>> = {
  dueDate: [{ field: 'dueDate' }, { field: 'targetDate' }, { field: 'launchName' }, { field: 'title' }],
  '-dueDate': [{ field: 'dueDate', direction: 'desc' }, { field: 'targetDate' }, { field: 'launchName' }, { field: 'title' }],
  targetDate: [{ field: 'targetDate' }, { field: 'dueDate' }, { field: 'launchName' }, { field: 'title' }],
  '-targetDate': [{ field: 'targetDate', direction: 'desc' }, { field: 'dueDate' }, { field: 'launchName' }, { field: 'title' }],
  name: [{ field: 'launchName' }, { field: 'dueDate' }, { field: 'title' }],
  '-name': [{ field: 'launchName', direction: 'desc' }, { field: 'dueDate' }, { field: 'title' }],
};

/** Cancelled launches owe nothing. */
export const LIVE_LAUNCH_STATUSES: Launch['status'][] = ['planning', 'go', 'no-go', 'launched'];

export interface InboxFilter {
  statuses?: TaskStatus[];
  /** Case-insensitive substring of the task title or the launch name. */
  q?: string;
}

export class DepartmentInboxQuery extends Query<Page<InboxItem>> {
  constructor(
    readonly department: Department,
    readonly filter: InboxFilter = {},
    readonly sort: InboxSort = 'dueDate',
    readonly page: PageRequest = {},
  ) {
    super();
  }
}

/** What one department owes across live launches, earliest due first unless sorted otherwise. */
@QueryHandler(DepartmentInboxQuery)
export class DepartmentInboxHandler implements IQueryHandler<DepartmentInboxQuery, Page<InboxItem>> {
  constructor(@Inject(READ_MODEL_STORE) private readonly views: ReadModelStore) {}

  async execute({ department, filter, sort, page }: DepartmentInboxQuery): Promise<Page<InboxItem>> {
    return findTaskPage(this.views, { list: `inbox:${department}`, where: { department } }, { filter, sort, page }, presentItem);
  }
}

/**
 * A page of the department tasks of live launches that `where` selects, with the inbox's filters
 * and sorts; `list` (and `filters`, the selection's own) scope its cursors.
 */
export async function findTaskPage<T>(
  views: ReadModelStore,
  selection: { list: string; where: Where; filters?: Record<string, unknown> },
  { filter, sort, page }: { filter: InboxFilter; sort: InboxSort; page: PageRequest },
  present: (task: DepartmentTaskView) => T,
): Promise<Page<T>> {
  const where: Where = { ...selection.where, launchStatus: { in: LIVE_LAUNCH_STATUSES } };
  if (filter.statuses !== undefined) where.status = filter.statuses.length === 1 ? filter.statuses[0]! : { in: filter.statuses };
  const query: FindQuery = { where, orderBy: INBOX_ORDER[sort] };
  if (filter.q !== undefined) query.contains = { fields: ['title', 'launchName'], text: filter.q };
  const filters = { ...selection.filters, status: filter.statuses && [...filter.statuses].sort(), q: filter.q };
  const found = await findPage<DepartmentTaskView>(views, DEPARTMENT_TASKS, query, page, { list: selection.list, sort, filters });
  return { items: found.items.map(present), ...(found.next !== undefined && { next: found.next }) };
}

export function presentItem(t: DepartmentTaskView): InboxItem {
  return {
    launchId: t.launchId,
    launchName: t.launchName,
    targetDate: t.targetDate,
    taskId: t.taskId,
    title: t.title,
    kind: t.kind,
    required: t.required,
    dueDate: t.dueDate,
    status: t.status,
    owner: t.owner ?? null,
  };
}
