import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { buildOpenApiDocument } from '../../apps/api/src/http/openapi/openapi-document.js';
import type { OpenApiConformance, RecordedAnswer } from './openapi-conformance.js';

/**
 * Records every answer a test app sends (a Fastify onSend hook) so that `takeNonconforming`, run
 * after each test (test/support/conformance-setup.ts), can check them against the document the
 * same app serves at /docs-json. Streams are checked by status, media type and headers.
 */

const recorded: Array<{ contract: Promise<OpenApiConformance>; answer: RecordedAnswer }> = [];

async function conformanceTo(document: Record<string, unknown>): Promise<OpenApiConformance> {
  const { OpenApiConformance } = await import('./openapi-conformance.js');
  return new OpenApiConformance(document);
}

export function recordAnswers(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  let contract: Promise<OpenApiConformance> | undefined;
  // The document /docs-json serves, built by the same function from this app's modules (Fastify's
  // inject cannot load under jest, and a request of our own would count against the rate limit).
  const served = () => conformanceTo(JSON.parse(JSON.stringify(buildOpenApiDocument(app))));
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (request.url.startsWith('/docs')) return payload;
    contract ??= served();
    const body = typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : payload == null ? '' : undefined;
    recorded.push({
      contract,
      answer: {
        method: request.method,
        route: request.routeOptions.url,
        url: request.url.slice(0, 200),
        status: reply.statusCode,
        headers: { ...reply.getHeaders() },
        body,
      },
    });
    return payload;
  });
}

/** The answers recorded since the last call that do not conform, each with what is wrong. */
export async function takeNonconforming(): Promise<string[]> {
  const answers = recorded.splice(0, recorded.length);
  const problems: string[] = [];
  for (const { contract, answer } of answers) problems.push(...(await contract).check(answer));
  return problems;
}
