import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { NotFound } from '#launch';
import { CurrentPrincipal, Public } from '../auth/auth.decorators.js';
import type { Principal } from '../auth/principal.js';
import { ApiJsonAnswer, ApiJsonBody, ApiProblems, ApiRead, ApiUuidParams, arrayOf, LOCATION_HEADER } from '../http/openapi/api-contract.decorators.js';
import { UuidPipe } from '../http/uuid.pipe.js';
import { CalendarFeedDto, CreateCalendarFeedDto, CreatedCalendarFeedDto, ONE_FEED_SCOPE } from './calendar-feed.dto.js';
import { CalendarFeedsService } from './calendar-feeds.service.js';

const ETAG = { description: 'A hash of the calendar: send it back in `If-None-Match` to get 304 while nothing changed', schema: { type: 'string' } };

@ApiTags('calendars')
@Controller('v1/calendar-feeds')
export class CalendarFeedsController {
  constructor(private readonly feeds: CalendarFeedsService) {}

  @Post()
  @ApiBearerAuth()
  @ApiJsonBody(CreateCalendarFeedDto, { department: 'legal' }, ONE_FEED_SCOPE)
  @ApiJsonAnswer(201, CreatedCalendarFeedDto, 'Created: the URL is shown this once', { Location: LOCATION_HEADER })
  @ApiProblems(400, 401, 403, 404, 413, 415, 429, 503)
  @HttpCode(201)
  @ApiOperation({ summary: "A secret iCalendar feed of a department's or a launch's dates, for calendar applications (no token needed to read it)" })
  async create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateCalendarFeedDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const feed = await this.feeds.create(
      principal,
      { ...(body.department !== undefined && { department: body.department }), ...(body.launchId !== undefined && { launchId: body.launchId.toLowerCase() }) },
      `${request.protocol}://${request.host}`,
    );
    reply.header('Location', `/v1/calendar-feeds/${feed.id}`);
    return feed;
  }

  @Get()
  @ApiBearerAuth()
  @ApiRead(arrayOf(CalendarFeedDto))
  @ApiOperation({ summary: "The caller's calendar feeds (an admin sees every feed), oldest first, without their URLs" })
  list(@CurrentPrincipal() principal: Principal) {
    return this.feeds.list(principal);
  }

  @Delete(':feedId')
  @ApiBearerAuth()
  @ApiResponse({ status: 204, description: 'Deleted: its URL answers 404 from now on, on every instance' })
  @ApiUuidParams('feedId')
  @ApiProblems(400, 401, 403, 404, 429, 503)
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a calendar feed (its creator or an admin)' })
  async remove(@CurrentPrincipal() principal: Principal, @Param('feedId', UuidPipe) id: string): Promise<void> {
    await this.feeds.remove(principal, id);
  }

  @Get(':feedId/:file')
  @Public()
  @ApiSecurity({})
  @ApiUuidParams('feedId')
  @ApiParam({ name: 'file', required: true, description: 'The secret followed by `.ics`, as in the URL the feed was created with', schema: { type: 'string' } })
  @ApiResponse({
    status: 200,
    description: 'The feed (RFC 5545): all-day events for target dates, due dates and go/no-go decisions, with stable UIDs',
    content: { 'text/calendar': { schema: { type: 'string' } } },
    headers: { ETag: ETAG },
  })
  @ApiResponse({ status: 304, description: '`If-None-Match` names the current ETag: nothing changed' })
  @ApiProblems(400, 404, 429, 503)
  @ApiOperation({ summary: 'Read a calendar feed: what calendar applications subscribe to; the URL is the credential (unknown, revoked or wrong: 404)' })
  async calendar(
    @Param('feedId', UuidPipe) id: string,
    @Param('file') file: string,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const body = await this.feeds.calendar(id, file);
    if (body === null) throw new NotFound('no such calendar feed');
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    reply.header('ETag', etag);
    if (ifNoneMatch !== undefined && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
      await reply.code(304).send();
      return;
    }
    await reply.code(200).type('text/calendar; charset=utf-8').send(body);
  }
}
