import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { HealthCheckDto } from '../../health/health-views.dto.js';
import { DETAIL_MODELS } from '../../launches/shared/task-details.dto.js';
import { TASK_MODELS } from '../../launches/shared/task-views.dto.js';
import { closeObjectSchemas } from './closed-schemas.js';
import { FieldErrorDto, ProblemDto } from './problem.dto.js';

const TAGS: Array<[string, string]> = [
  ['launches', 'Create launches, change them, decide go/no-go; read them now or as they were'],
  ['tasks', "Departments' sign-offs: complete (with the evidence its kind requires), block, waive, reopen, add, reschedule"],
  ['readiness', 'Readiness per department and overall, and its live stream'],
  ['departments', 'The department catalog, each department’s inbox, and its settings (admin)'],
  ['templates', 'The tier templates a launch’s checklist comes from'],
  ['audit', 'The history as stored, exports, and the hash-chain check'],
  ['reports', 'Delivery reports folded from the log: one launch, or every department over a window of days'],
  ['principals', 'Who may call the API (admin)'],
  ['webhooks', 'Signed deliveries of every launch event to receivers (admin)'],
  ['ledger', 'The transparency log: the signing key, signed tree heads, RFC 9162 proofs and the export auditors verify (auditor, admin)'],
  ['calendars', 'Secret iCalendar feeds of target dates, due dates and decisions, for calendar applications (read without a token)'],
  ['admin', 'Read-model rebuilds and daily digest runs (admin)'],
  ['health', 'Liveness and readiness probes (no token)'],
];

/** `CreateLaunchController.handle` → `createLaunch`; `WebhooksController.replay` → `webhooksReplay`. */
function operationId(controllerKey: string, methodKey: string): string {
  const controller = controllerKey.replace(/Controller$/, '');
  const id = methodKey === 'handle' ? controller : `${controller}${methodKey[0]!.toUpperCase()}${methodKey.slice(1)}`;
  return id[0]!.toLowerCase() + id.slice(1);
}

/**
 * The OpenAPI document served at /docs-json, built from the controllers' decorators and the DTOs.
 * What no decorator can say is settled here for every operation alike: objects are closed (the
 * validation pipe refuses unknown fields, and answers carry only what their DTO lists), and an
 * operation that does not ask for the bearer token is public (`security: []`).
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Launch Control')
    .setDescription(
      'Event-sourced launch readiness: launches, department sign-offs with evidence, readiness views and audit history. ' +
        'Errors are RFC 9457 problem documents (`application/problem+json`). The reference is docs/api.md in the repository.',
    )
    .setVersion('1.0')
    .setLicense('Proprietary', 'https://launch-control.dev/license')
    .addServer('/', 'The server that serves this document (`npm start`: http://localhost:3000, see PORT and HOST)')
    .addSecurity('bearer', {
      type: 'http',
      scheme: 'bearer',
      description: 'An opaque token (`lc_` + 43 base64url characters) made by `POST /v1/principals`, or the admin token',
    });
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const document = SwaggerModule.createDocument(app, builder.build(), {
    extraModels: [ProblemDto, FieldErrorDto, HealthCheckDto, ...DETAIL_MODELS, ...TASK_MODELS],
    operationIdFactory: operationId,
  });
  closeObjectSchemas(document);
  for (const item of Object.values(document.paths)) {
    for (const operation of [item.get, item.put, item.post, item.delete, item.patch]) {
      if (operation && !operation.security) operation.security = [];
    }
  }
  return document;
}
