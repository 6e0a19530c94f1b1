import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiProperty, ApiResponse, ApiSchema, getSchemaPath, type MediaTypeObject } from '@nestjs/swagger';
import { ApiProblems, ApiUuidParams } from '../../http/openapi/api-contract.decorators.js';
import { integer } from '../../http/openapi/schema-fields.js';
import { ReadinessDto } from '../shared/launch-views.dto.js';

@ApiSchema({ name: 'ReadinessEvent', description: 'The `data:` of each `event: readiness` of the live stream' })
export class ReadinessEventDto extends ReadinessDto {
  @ApiProperty(integer(0, 'The launch revision this readiness is at (also the event `id:`)'))
  revision!: number;
}

/** The live readiness stream: server-sent events whose `data:` is a ReadinessEvent. */
export function ApiReadinessStream() {
  return applyDecorators(
    ApiExtraModels(ReadinessEventDto),
    ApiResponse({
      status: 200,
      description:
        'Server-sent events: `event: readiness`, `id: <revision>`, `data: <ReadinessEvent JSON>`, first the current state then one per change; `: heartbeat` every 15 s',
      content: {
        'text/event-stream': <MediaTypeObject & Record<`x-${string}`, unknown>>{
          schema: { type: 'string', description: "Each event's `data:` is a ReadinessEvent (`x-event-data`)" },
          // OpenAPI 3.0 cannot type the events of a stream: the extension names the schema of their data.
          'x-event-data': { $ref: getSchemaPath(ReadinessEventDto) },
          example: 'event: readiness\nid: 4\ndata: {"launchId":"…","overall":{"percent":25,"status":"on-track"},"departments":[…],"revision":4}\n\n',
        },
      },
    }),
    ApiUuidParams('launchId'),
    ApiProblems(400, 401, 403, 404, 429, 503),
  );
}
