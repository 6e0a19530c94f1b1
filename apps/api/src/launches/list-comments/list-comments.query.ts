import { Inject } from '@nestjs/common';
import { Query, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { NotFound } from '#launch';
import { TASK_COMMENTS, type ReadModelStore, type TaskCommentView, type Where } from '#read-models';
import { READ_MODEL_STORE } from '../../infrastructure/injection-tokens.js';
import { LaunchReader } from '../shared/launch-reader.js';

export interface TaskComment {
  commentId: string;
  launchId: string;
  taskId: string;
  text: string;
  author: TaskCommentView['author'];
  at: string;
  revision: number;
}

/** The comments on a task, oldest first; with `commentId`, that one comment. */
export class ListCommentsQuery extends Query<TaskComment[]> {
  constructor(
    readonly launchId: string,
    readonly taskId: string,
    readonly commentId?: string,
  ) {
    super();
  }
}

@QueryHandler(ListCommentsQuery)
export class ListCommentsHandler implements IQueryHandler<ListCommentsQuery, TaskComment[]> {
  constructor(
    @Inject(READ_MODEL_STORE) private readonly views: ReadModelStore,
    private readonly launches: LaunchReader,
  ) {}

  async execute({ launchId, taskId, commentId }: ListCommentsQuery): Promise<TaskComment[]> {
    const { launch } = await this.launches.get(launchId);
    if (!launch.tasks.some((t) => t.taskId === taskId)) throw new NotFound('no such task in this launch');
    const where: Where = commentId === undefined ? { launchId, taskId } : { launchId, taskId, commentId };
    const comments = await this.views.find<TaskCommentView>(TASK_COMMENTS, { where, orderBy: [{ field: 'revision' }] });
    if (commentId !== undefined && comments.length === 0) throw new NotFound('no such comment on this task');
    return comments.map(({ commentId, launchId, taskId, text, author, at, revision }) => ({ commentId, launchId, taskId, text, author, at, revision }));
  }
}
