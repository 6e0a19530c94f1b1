import { Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiConflictResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RebuildStatus } from '#read-models';
import { Roles } from '../auth/auth.decorators.js';
import { problem, ProblemException } from '../http/problem.js';
import { RebuildRunningError } from '../infrastructure/projector-thread/leased-rebuild.js';
import { PROJECTOR, type RunningProjections } from '../infrastructure/store-tokens.js';
import { DetachedRebuild } from './detached-rebuild.js';

const REBUILD_STATUS_SCHEMA = {
  type: 'object',
  required: ['state', 'generation'],
  properties: {
    state: { type: 'string', enum: ['idle', 'rebuilding', 'failed'] },
    generation: { type: 'integer', description: 'the read-model generation readers use' },
    rebuilding: {
      type: 'object',
      description: 'the rebuild in progress',
      properties: {
        generation: { type: 'integer' },
        startedAt: { type: 'string', format: 'date-time' },
        checkpoint: { type: 'integer', description: 'global position the new generation has projected' },
        head: { type: 'integer', description: 'head of the log when the rebuild started' },
      },
    },
    lastRebuild: {
      type: 'object',
      properties: {
        generation: { type: 'integer' },
        startedAt: { type: 'string', format: 'date-time' },
        finishedAt: { type: 'string', format: 'date-time' },
        position: { type: 'integer', description: 'the log position it had caught up with at the switch-over' },
      },
    },
    lastError: { type: 'object', properties: { message: { type: 'string' }, at: { type: 'string', format: 'date-time' } } },
  },
};

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/admin/projections')
export class ProjectionsController {
  constructor(
    @Inject(PROJECTOR) private readonly projector: RunningProjections | null,
    private readonly detached: DetachedRebuild,
  ) {}

  @Get()
  @ApiOperation({ summary: 'The read models: the generation readers use, and the rebuild in progress or last done (admin)' })
  @ApiOkResponse({ schema: REBUILD_STATUS_SCHEMA })
  async status(): Promise<RebuildStatus> {
    if (!this.projectsHere) return this.detached.status();
    const status = this.projector!.rebuildStatus();
    // A rebuild another process runs (an API, the CLI) is seen through its lease.
    return status.state !== 'rebuilding' && (await this.detached.runningElsewhere()) ? { ...status, state: 'rebuilding' } : status;
  }

  @Post('rebuild')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Rebuild every read model from position 0 (admin)',
    description:
      'Projects the whole log into fresh collections beside the current ones; reads keep using the current views until the new ones ' +
      'have caught up, then switch over. Answers 202 at once with the status; ' +
      'follow it with GET /v1/admin/projections. While a rebuild runs in any process (an API instance or `npm run projections:rebuild`) ' +
      'the answer is 409. When the projections run in another process, this process builds the new generation and that one follows the switch.',
  })
  @ApiAcceptedResponse({ schema: REBUILD_STATUS_SCHEMA })
  @ApiConflictResponse({ description: 'a rebuild is already running, in this process or another' })
  async rebuild(): Promise<RebuildStatus> {
    try {
      return await (this.projectsHere ? this.projector!.rebuild() : this.detached.start());
    } catch (error) {
      if (error instanceof RebuildRunningError) throw new ProblemException(problem(409, error.message, undefined, 'rebuild-running'));
      throw error;
    }
  }

  /** This process runs the projections (it holds their lease), so its projector runs rebuilds. */
  private get projectsHere(): boolean {
    return this.projector !== null && this.projector.projectsHere !== false;
  }
}
