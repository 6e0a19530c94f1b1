import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { randomUUID } from 'node:crypto';
import { NotFound, ValidationFailed } from '#launch';
import { CurrentPrincipal, Roles } from '../auth/auth.decorators.js';
import { describePrincipal, PRINCIPAL_STORE, type Principal, type PrincipalStore } from '../auth/principal.js';
import { generateToken, hashToken } from '../auth/tokens.js';
import { UuidPipe } from '../http/uuid.pipe.js';
import { CreatePrincipalDto, DEPARTMENT_ONLY_FOR_DEPARTMENTS } from './create-principal.dto.js';
import { CreatedPrincipalDto, MeDto, PrincipalDto } from './principal-views.dto.js';
import { ApiJsonAnswer, ApiJsonBody, ApiProblems, ApiRead, ApiUuidParams, arrayOf, LOCATION_HEADER } from '../http/openapi/api-contract.decorators.js';

@ApiTags('principals')
@ApiBearerAuth()
@Controller('v1')
export class PrincipalsController {
  constructor(@Inject(PRINCIPAL_STORE) private readonly principals: PrincipalStore) {}

  @Post('principals')
  @ApiJsonBody(CreatePrincipalDto, { name: 'Sales ops integration', role: 'department', department: 'sales' }, DEPARTMENT_ONLY_FOR_DEPARTMENTS)
  @ApiJsonAnswer(201, CreatedPrincipalDto, 'Created; the token is shown only here', { Location: LOCATION_HEADER })
  @ApiProblems(400, 401, 403, 413, 415, 429, 503)
  @HttpCode(201)
  @Roles('admin')
  @ApiOperation({ summary: 'Create a principal; its token is shown only in this answer' })
  async create(@Body() body: CreatePrincipalDto, @Res({ passthrough: true }) reply: FastifyReply) {
    if (body.role === 'department' && !body.department) {
      throw new ValidationFailed('a department principal needs its department', [{ field: 'department', message: 'is required for the department role' }]);
    }
    if (body.role !== 'department' && body.department) {
      throw new ValidationFailed('only department principals have a department', [{ field: 'department', message: 'is only for the department role' }]);
    }
    const token = generateToken();
    const principal: Principal = {
      id: randomUUID(),
      name: body.name,
      role: body.role,
      ...(body.department && { department: body.department }),
      createdAt: new Date().toISOString(),
    };
    await this.principals.add({ ...principal, tokenHash: hashToken(token) });
    reply.header('Location', `/v1/principals/${principal.id}`);
    return { ...describePrincipal(principal), token };
  }

  @Get('principals')
  @ApiRead(arrayOf(PrincipalDto), { extra: [403] })
  @Roles('admin')
  @ApiOperation({ summary: 'Every principal, without tokens' })
  async list() {
    return (await this.principals.list()).map(describePrincipal);
  }

  @Get('principals/:principalId')
  @ApiRead(PrincipalDto, { ids: ['principalId'], extra: [403] })
  @Roles('admin')
  @ApiOperation({ summary: 'One principal, without its token' })
  async get(@Param('principalId', UuidPipe) id: string) {
    const principal = await this.principals.get(id);
    if (!principal) throw new NotFound('no such principal');
    return describePrincipal(principal);
  }

  @Delete('principals/:principalId')
  @ApiResponse({ status: 204, description: 'Revoked: its next request is 401' })
  @ApiUuidParams('principalId')
  @ApiProblems(400, 401, 403, 404, 429, 503)
  @HttpCode(204)
  @Roles('admin')
  @ApiOperation({ summary: "Revoke a principal's token, at once" })
  async revoke(@Param('principalId', UuidPipe) id: string): Promise<void> {
    if (!(await this.principals.revoke(id, new Date().toISOString()))) throw new NotFound('no such principal');
  }

  @Get('me')
  @ApiRead(MeDto)
  @ApiOperation({ summary: 'The calling principal' })
  me(@CurrentPrincipal() principal: Principal) {
    return describePrincipal(principal);
  }
}
