import { Controller, Get, Inject } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { detailFields, type TierTemplate } from '#launch';
import { TEMPLATES } from '../infrastructure/injection-tokens.js';
import { TierTemplateDto } from './catalog-views.dto.js';
import { ApiRead, arrayOf } from '../http/openapi/api-contract.decorators.js';

@ApiTags('templates')
@ApiBearerAuth()
@Controller('v1/templates')
export class TemplatesController {
  constructor(@Inject(TEMPLATES) private readonly templates: readonly TierTemplate[]) {}

  @Get()
  @ApiRead(arrayOf(TierTemplateDto))
  @ApiOperation({ summary: "Each tier's template: the checklist a new launch of that tier starts with" })
  list() {
    return this.templates.map((template) => ({
      ...template,
      tasks: template.tasks.map((task) => ({ ...task, detailFields: detailFields(task.kind) })),
    }));
  }
}
