import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators.js';
import { ApiJsonAnswer, ApiProblems } from '../http/openapi/api-contract.decorators.js';
import { DigestRunDto } from './digest-run.dto.js';
import { DigestRunner } from './digest-runner.js';

@ApiTags('admin')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/admin/digests')
export class DigestsController {
  constructor(private readonly runner: DigestRunner) {}

  @Post('run')
  @HttpCode(200)
  @ApiJsonAnswer(200, DigestRunDto, "Today's digests not sent yet were sent; the others are listed as skipped")
  @ApiProblems(400, 401, 403, 429, 503)
  @ApiOperation({ summary: "Send today's daily digests now (each department's and owner's at most once a day, across every instance)" })
  run() {
    return this.runner.run(new Date());
  }
}
