import { Module } from '@nestjs/common';
import { CastVoteController } from './cast-vote/cast-vote.controller.js';
import { CastVoteHandler } from './cast-vote/cast-vote.handler.js';
import { GetDecisionRecordController } from './get-decision-record/get-decision-record.controller.js';
import { GetDecisionRecordHandler } from './get-decision-record/get-decision-record.query.js';
import { AddTaskController } from './add-task/add-task.controller.js';
import { AddTaskHandler } from './add-task/add-task.handler.js';
import { BlockTaskController } from './block-task/block-task.controller.js';
import { BlockTaskHandler } from './block-task/block-task.handler.js';
import { CancelLaunchController } from './cancel-launch/cancel-launch.controller.js';
import { CancelLaunchHandler } from './cancel-launch/cancel-launch.handler.js';
import { CommentTaskController } from './comment-task/comment-task.controller.js';
import { CommentTaskHandler } from './comment-task/comment-task.handler.js';
import { EditLaunchController } from './edit-launch/edit-launch.controller.js';
import { EditLaunchHandler } from './edit-launch/edit-launch.handler.js';
import { ListCommentsController } from './list-comments/list-comments.controller.js';
import { ListCommentsHandler } from './list-comments/list-comments.query.js';
import { CompleteTaskController } from './complete-task/complete-task.controller.js';
import { CompleteTaskHandler } from './complete-task/complete-task.handler.js';
import { CreateLaunchController } from './create-launch/create-launch.controller.js';
import { CreateLaunchHandler } from './create-launch/create-launch.handler.js';
import { DecideGoNoGoController } from './decide-go-no-go/decide-go-no-go.controller.js';
import { DecideGoNoGoHandler } from './decide-go-no-go/decide-go-no-go.handler.js';
import { GetHistoryController } from './get-history/get-history.controller.js';
import { ExportHistoryHandler, GetHistoryHandler } from './get-history/get-history.query.js';
import { GetLaunchController } from './get-launch/get-launch.controller.js';
import { GetLaunchHandler } from './get-launch/get-launch.query.js';
import { GetReadinessController } from './get-readiness/get-readiness.controller.js';
import { GetReadinessHandler } from './get-readiness/get-readiness.query.js';
import { GetTaskController } from './get-task/get-task.controller.js';
import { ListLaunchesController } from './list-launches/list-launches.controller.js';
import { ListLaunchesHandler } from './list-launches/list-launches.query.js';
import { MarkLaunchedController } from './mark-launched/mark-launched.controller.js';
import { MarkLaunchedHandler } from './mark-launched/mark-launched.handler.js';
import { ReopenTaskController } from './reopen-task/reopen-task.controller.js';
import { ReopenTaskHandler } from './reopen-task/reopen-task.handler.js';
import { RescheduleLaunchController } from './reschedule-launch/reschedule-launch.controller.js';
import { RescheduleLaunchHandler } from './reschedule-launch/reschedule-launch.handler.js';
import { AcknowledgedPosition } from './shared/acknowledged-position.js';
import { LaunchCommandRunner } from './shared/launch-command.runner.js';
import { LaunchHistoryReader } from './shared/launch-history.reader.js';
import { LaunchReader } from './shared/launch-reader.js';
import { ReadYourWrites } from './shared/read-your-writes.js';
import { ReadinessStreams } from './stream-readiness/readiness-streams.js';
import { StreamReadinessController } from './stream-readiness/stream-readiness.controller.js';
import { UnblockTaskController } from './unblock-task/unblock-task.controller.js';
import { UnblockTaskHandler } from './unblock-task/unblock-task.handler.js';
import { UpdateTaskController } from './update-task/update-task.controller.js';
import { UpdateTaskHandler } from './update-task/update-task.handler.js';
import { VerifyLaunchController } from './verify-launch/verify-launch.controller.js';
import { VerifyLaunchHandler } from './verify-launch/verify-launch.query.js';
import { WaiveTaskController } from './waive-task/waive-task.controller.js';
import { WaiveTaskHandler } from './waive-task/waive-task.handler.js';
import { IdempotencyInterceptor } from '../http/idempotency.interceptor.js';

/** Launch use cases: one folder each (DTO, command or query with its handler, route). */
@Module({
  controllers: [
    ListLaunchesController,
    CreateLaunchController,
    GetLaunchController,
    GetReadinessController,
    StreamReadinessController,
    GetHistoryController,
    VerifyLaunchController,
    GetTaskController,
    AddTaskController,
    CompleteTaskController,
    BlockTaskController,
    UnblockTaskController,
    WaiveTaskController,
    ReopenTaskController,
    UpdateTaskController,
    CommentTaskController,
    ListCommentsController,
    EditLaunchController,
    RescheduleLaunchController,
    DecideGoNoGoController,
    MarkLaunchedController,
    CancelLaunchController,
    CastVoteController,
    GetDecisionRecordController,
  ],
  providers: [
    LaunchCommandRunner,
    AcknowledgedPosition,
    LaunchHistoryReader,
    LaunchReader,
    ReadYourWrites,
    ReadinessStreams,
    IdempotencyInterceptor,
    CreateLaunchHandler,
    AddTaskHandler,
    CompleteTaskHandler,
    BlockTaskHandler,
    UnblockTaskHandler,
    WaiveTaskHandler,
    ReopenTaskHandler,
    UpdateTaskHandler,
    CommentTaskHandler,
    ListCommentsHandler,
    EditLaunchHandler,
    RescheduleLaunchHandler,
    DecideGoNoGoHandler,
    MarkLaunchedHandler,
    CancelLaunchHandler,
    CastVoteHandler,
    GetDecisionRecordHandler,
    GetLaunchHandler,
    ListLaunchesHandler,
    GetReadinessHandler,
    GetHistoryHandler,
    ExportHistoryHandler,
    VerifyLaunchHandler,
  ],
  exports: [LaunchReader, ReadYourWrites, LaunchHistoryReader],
})
export class LaunchesModule {}
