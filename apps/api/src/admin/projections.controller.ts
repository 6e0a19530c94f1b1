import { Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RebuildStatus } from '#read-models';
import { Roles } from '../auth/auth.decorators.js';
import { problem, ProblemException } from '../http/problem.js';
import { RebuildRunningError } from '../infrastructure/projector-thread/leased-rebuild.js';
import { PROJECTOR, type RunningProjections } from '../infrastructure/store-tokens.js';
import { DetachedRebuild } from './detached-rebuild.js';
import { RebuildStatusDto } from './rebuild-status.dto.js';
import { ApiJsonAnswer, ApiProblems, ApiRead } from '../http/openapi/api-contract.decorators.js';

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
  @ApiRead(RebuildStatusDto, { extra: [403] })
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
  @ApiJsonAnswer(202, RebuildStatusDto, 'Started: follow it with GET /v1/admin/projections')
  @ApiProblems(400, 401, 403, 409, 429, 503)
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
