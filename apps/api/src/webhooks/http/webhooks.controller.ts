import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../auth/auth.decorators.js';
import { UuidPipe } from '../../http/uuid.pipe.js';
import { WebhooksService } from '../webhooks.service.js';
import { CreateWebhookDto } from './create-webhook.dto.js';
import { DeliveriesQuery } from './deliveries-query.dto.js';
import { ReplayWebhookDto } from './replay-webhook.dto.js';
import { DeliveryAttemptDto, WebhookDto, WebhookReplayDto } from './webhook-views.dto.js';
import { ApiJsonAnswer, ApiJsonBody, ApiProblems, ApiRead, ApiUuidParams, arrayOf, LOCATION_HEADER } from '../../http/openapi/api-contract.decorators.js';

@ApiTags('webhooks')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiJsonBody(CreateWebhookDto, {
    url: 'https://hooks.example.com/launch-control',
    secret: 'a-long-shared-secret-0123456789',
    events: ['SalesTrained', 'GoDecided'],
  })
  @ApiJsonAnswer(201, WebhookDto, 'Registered', { Location: LOCATION_HEADER })
  @ApiProblems(400, 401, 403, 413, 415, 429, 503)
  @HttpCode(201)
  @ApiOperation({ summary: 'Register a receiver: one signed POST per launch event, in order, at least once' })
  async create(@Body() body: CreateWebhookDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const webhook = await this.webhooks.create(body);
    reply.header('Location', `/v1/webhooks/${webhook.id}`);
    return webhook;
  }

  @Get()
  @ApiRead(arrayOf(WebhookDto), { extra: [403] })
  @ApiOperation({ summary: 'Every webhook, with its checkpoint and delivery state (never the secret)' })
  list() {
    return this.webhooks.list();
  }

  @Get(':webhookId')
  @ApiRead(WebhookDto, { ids: ['webhookId'], extra: [403] })
  @ApiOperation({ summary: 'One webhook: its checkpoint (position), state (idle, delivering, retrying) and last error' })
  get(@Param('webhookId', UuidPipe) id: string) {
    return this.webhooks.get(id);
  }

  @Delete(':webhookId')
  @ApiResponse({ status: 204, description: 'Deleted; deliveries stop at once' })
  @ApiUuidParams('webhookId')
  @ApiProblems(400, 401, 403, 404, 429, 503)
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook: deliveries stop at once' })
  async remove(@Param('webhookId', UuidPipe) id: string): Promise<void> {
    await this.webhooks.remove(id);
  }

  @Post(':webhookId/replay')
  @ApiJsonBody(ReplayWebhookDto, { fromPosition: 0 })
  @ApiJsonAnswer(202, WebhookReplayDto, 'Accepted: the events are delivered again, in order')
  @ApiUuidParams('webhookId')
  @ApiProblems(400, 401, 403, 404, 413, 415, 429, 503)
  @HttpCode(202)
  @ApiOperation({ summary: 'Deliver again, in order, every event from a global position on' })
  replay(@Param('webhookId', UuidPipe) id: string, @Body() body: ReplayWebhookDto) {
    return this.webhooks.replay(id, body.fromPosition);
  }

  @Get(':webhookId/deliveries')
  @ApiRead(arrayOf(DeliveryAttemptDto), { ids: ['webhookId'], extra: [403] })
  @ApiOperation({ summary: 'Recent delivery attempts, newest first, failures with their HTTP status or error' })
  deliveries(@Param('webhookId', UuidPipe) id: string, @Query() query: DeliveriesQuery) {
    return this.webhooks.deliveries(id, query.limit ?? 50);
  }
}
