import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiExtraModels, ApiOperation, ApiTags } from '@nestjs/swagger';
import { NotFound } from '#launch';
import { UuidPipe } from '../../http/uuid.pipe.js';
import { GetLaunchQuery } from '../get-launch/get-launch.query.js';
import { PointInTimeQuery } from '../shared/read-queries.dto.js';
import { ReadYourWrites } from '../shared/read-your-writes.js';
import { DETAIL_MODELS } from '../shared/task-details.dto.js';
import { LAUNCH_TASK_SCHEMA, TASK_MODELS } from '../shared/task-views.dto.js';
import { ApiRead } from '../../http/openapi/api-contract.decorators.js';

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('v1/launches/:launchId/tasks/:taskId')
export class GetTaskController {
  constructor(
    private readonly queryBus: QueryBus,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  @Get()
  @ApiRead(LAUNCH_TASK_SCHEMA, { ids: ['launchId', 'taskId'] })
  @ApiExtraModels(...TASK_MODELS, ...DETAIL_MODELS)
  @ApiOperation({ summary: 'One task of a launch' })
  async handle(@Param('launchId', UuidPipe) launchId: string, @Param('taskId', UuidPipe) taskId: string, @Query() query: PointInTimeQuery) {
    await this.readYourWrites.atLeast(query.minPosition);
    const launch = await this.queryBus.execute(new GetLaunchQuery(launchId, { asOf: query.asOf, atRevision: query.atRevision }));
    const task = launch.tasks.find((t) => t.taskId === taskId);
    if (!task) throw new NotFound('no such task in this launch');
    return { launchId, ...task };
  }
}
