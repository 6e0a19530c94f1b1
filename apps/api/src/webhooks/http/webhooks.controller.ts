import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../../auth/auth.decorators.js';
import { UuidPipe } from '../../http/uuid.pipe.js';
import { WebhooksService } from '../webhooks.service.js';
import { CreateWebhookDto } from './create-webhook.dto.js';
import { DeliveriesQuery } from './deliveries-query.dto.js';
import { ReplayWebhookDto } from './replay-webhook.dto.js';

@ApiTags('webhooks')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Register a receiver: one signed POST per launch event, in order, at least once' })
  async create(@Body() body: CreateWebhookDto, @Res({ passthrough: true }) reply: FastifyReply) {
    const webhook = await this.webhooks.create(body);
    reply.header('Location', `/v1/webhooks/${webhook.id}`);
    return webhook;
  }

  @Get()
  @ApiOperation({ summary: 'Every webhook, with its checkpoint and delivery state (never the secret)' })
  list() {
    return this.webhooks.list();
  }

  @Get(':webhookId')
  @ApiOperation({ summary: 'One webhook: its checkpoint (position), state (idle, delivering, retrying) and last error' })
  get(@Param('webhookId', UuidPipe) id: string) {
    return this.webhooks.get(id);
  }

  @Delete(':webhookId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook: deliveries stop at once' })
  async remove(@Param('webhookId', UuidPipe) id: string): Promise<void> {
    await this.webhooks.remove(id);
  }

  @Post(':webhookId/replay')
  @HttpCode(202)
  @ApiOperation({ summary: 'Deliver again, in order, every event from a global position on' })
  replay(@Param('webhookId', UuidPipe) id: string, @Body() body: ReplayWebhookDto) {
    return this.webhooks.replay(id, body.fromPosition);
  }

  @Get(':webhookId/deliveries')
  @ApiOperation({ summary: 'Recent delivery attempts, newest first, failures with their HTTP status or error' })
  deliveries(@Param('webhookId', UuidPipe) id: string, @Query() query: DeliveriesQuery) {
    return this.webhooks.deliveries(id, query.limit ?? 50);
  }
}
