import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Department, TaskOwner, TaskStatus } from '#launch';
import { DEPARTMENT_TASKS, type DepartmentTaskView, type ReadModelStore, type Where } from '#read-models';
import { READ_MODEL_STORE } from '../infrastructure/injection-tokens.js';

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

export class DepartmentInboxQuery extends Query<InboxItem[]> {
  constructor(
    readonly department: Department,
    readonly status?: TaskStatus,
  ) {
    super();
  }
}

/** What one department owes across live launches (cancelled launches owe nothing), earliest due first. */
@QueryHandler(DepartmentInboxQuery)
export class DepartmentInboxHandler implements IQueryHandler<DepartmentInboxQuery, InboxItem[]> {
  constructor(@Inject(READ_MODEL_STORE) private readonly views: ReadModelStore) {}

  async execute({ department, status }: DepartmentInboxQuery): Promise<InboxItem[]> {
    const where: Where = { department };
    if (status !== undefined) where.status = status;
    const tasks = await this.views.find<DepartmentTaskView>(DEPARTMENT_TASKS, {
      where,
      orderBy: [{ field: 'dueDate' }, { field: 'targetDate' }, { field: 'launchName' }, { field: 'title' }],
    });
    return tasks
      .filter((t) => t.launchStatus !== 'cancelled')
      .map((t) => ({
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
      }));
  }
}
