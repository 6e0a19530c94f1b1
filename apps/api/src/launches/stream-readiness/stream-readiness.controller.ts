import { Controller, Get, Header, Param, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../../auth/auth.decorators.js';
import type { Principal } from '../../auth/principal.js';
import { UuidPipe } from '../../http/uuid.pipe.js';
import { ReadinessStreams } from './readiness-streams.js';
import { ApiReadinessStream } from './readiness-event.dto.js';

@ApiTags('readiness')
@ApiBearerAuth()
@Controller('v1/launches/:launchId/stream')
export class StreamReadinessController {
  constructor(private readonly streams: ReadinessStreams) {}

  @Get()
  @ApiReadinessStream()
  @ApiOperation({
    summary: 'Live readiness as server-sent events',
    description:
      'text/event-stream. First event: the current readiness; then one whenever it changes. Each event is ' +
      '`event: readiness`, `id: <revision>`, `data: <the GET /readiness answer plus revision>`. A comment line every 15 s keeps the ' +
      'connection open. Authorization is the usual Bearer header (read it with fetch(); never put a token in the URL). ' +
      'The stream ends within a second of its principal being revoked, its sign-in session ending or its access token expiring.',
  })
  @Header('Cache-Control', 'no-store')
  @Header('X-Accel-Buffering', 'no')
  async handle(@Param('launchId', UuidPipe) launchId: string, @CurrentPrincipal() principal: Principal): Promise<StreamableFile> {
    const stream = await this.streams.open(launchId, { principal });
    return new StreamableFile(stream, { type: 'text/event-stream; charset=utf-8' });
  }
}
