import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators.js';
import { StoresLifecycle } from '../infrastructure/stores.lifecycle.js';
import { HealthReadinessDto, LivenessDto } from './health-views.dto.js';
import { ApiJsonAnswer, ApiProblems } from '../http/openapi/api-contract.decorators.js';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly stores: StoresLifecycle) {}

  @Get('live')
  @ApiJsonAnswer(200, LivenessDto, 'The process is up')
  @ApiProblems(429)
  @ApiOperation({ summary: 'The process is up' })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiJsonAnswer(200, HealthReadinessDto, 'Ready: every check is ok')
  @ApiJsonAnswer(503, HealthReadinessDto, 'Not ready: the failing checks say why')
  @ApiProblems(429)
  @ApiOperation({ summary: 'The stores answer and the projections are running (503 otherwise, with the reason)' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply) {
    const readiness = await this.stores.readiness();
    if (!readiness.ready) reply.status(503);
    return { status: readiness.ready ? 'ready' : 'not-ready', checks: readiness.checks };
  }
}
