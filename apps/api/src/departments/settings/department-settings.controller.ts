import { Body, Controller, Get, Inject, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { DEPARTMENT_KEYS, isDepartment, NotFound, type Department } from '#launch';
import { Roles } from '../../auth/auth.decorators.js';
import { ApiJsonBody, ApiProblems, ApiRead, ApiJsonAnswer } from '../../http/openapi/api-contract.decorators.js';
import { CLOCK, type Clock } from '../../infrastructure/injection-tokens.js';
import { DepartmentSettingsDto, PutDepartmentSettingsDto } from './department-settings.dto.js';
import { DEPARTMENT_SETTINGS_STORE, type DepartmentSettingsStore } from './department-settings-store.js';

const department = (value: string): Department => {
  if (!isDepartment(value)) throw new NotFound(`no department ${JSON.stringify(value.slice(0, 64))}`);
  return value;
};

@ApiTags('departments')
@ApiBearerAuth()
@Roles('admin')
@Controller('v1/departments')
export class DepartmentSettingsController {
  constructor(
    @Inject(DEPARTMENT_SETTINGS_STORE) private readonly settings: DepartmentSettingsStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get(':department/settings')
  @ApiRead(DepartmentSettingsDto, { extra: [404] })
  @ApiParam({ name: 'department', enum: DEPARTMENT_KEYS, description: 'A department key (anything else is 404)' })
  @ApiOperation({ summary: "A department's settings: the address its daily digest is e-mailed to" })
  get(@Param('department') key: string) {
    return this.settings.get(department(key));
  }

  @Put(':department/settings')
  @ApiJsonBody(PutDepartmentSettingsDto, { email: 'legal-team@example.com' })
  @ApiJsonAnswer(200, DepartmentSettingsDto, 'Set')
  @ApiParam({ name: 'department', enum: DEPARTMENT_KEYS, description: 'A department key (anything else is 404)' })
  @ApiProblems(400, 401, 403, 404, 413, 415, 429, 503)
  @ApiOperation({ summary: "Set a department's settings: where its daily digest is e-mailed (null: nowhere)" })
  async put(@Param('department') key: string, @Body() body: PutDepartmentSettingsDto) {
    const settings = { department: department(key), email: body.email, updatedAt: this.clock.now().toISOString() };
    await this.settings.put(settings);
    return settings;
  }
}
