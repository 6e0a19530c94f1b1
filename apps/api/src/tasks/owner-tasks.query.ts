import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { Department, TaskStatus } from '#launch';
import { DEPARTMENT_TASKS, type DepartmentTaskView, type ReadModelStore, type Where } from '#read-models';
import type { InboxItem } from '../departments/department-inbox.query.js';
import { READ_MODEL_STORE } from '../infrastructure/injection-tokens.js';

/** An inbox item, with the department the task belongs to. */
export interface OwnerTaskItem extends InboxItem {
  department: Department;
}

export class OwnerTasksQuery extends Query<OwnerTaskItem[]> {
  constructor(
    /** Any case: addresses are matched case-insensitively. */
    readonly ownerEmail: string,
    readonly statuses?: readonly TaskStatus[],
  ) {
    super();
  }
}

/** One person's tasks across launches and departments (cancelled launches owe nothing), earliest due first. */
@QueryHandler(OwnerTasksQuery)
export class OwnerTasksHandler implements IQueryHandler<OwnerTasksQuery, OwnerTaskItem[]> {
  constructor(@Inject(READ_MODEL_STORE) private readonly views: ReadModelStore) {}

  async execute({ ownerEmail, statuses }: OwnerTasksQuery): Promise<OwnerTaskItem[]> {
    const where: Where = { ownerEmail: ownerEmail.toLowerCase() };
    if (statuses !== undefined) where.status = { in: [...statuses] };
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
        department: t.department,
        required: t.required,
        dueDate: t.dueDate,
        status: t.status,
        owner: t.owner ?? null,
      }));
  }
}
