import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { buildOpenApiDocument } from '../../apps/api/src/http/openapi/openapi-document.js';
import type { OpenApiConformance, RecordedAnswer } from './openapi-conformance.js';

/**
 * Records every answer a test app sends (a Fastify onSend hook) so that `takeNonconforming`, run
 * after each test (test/support/conformance-setup.ts), can check them against the document the
 * same app serves at /docs-json. Streams are checked by status, media type and headers.
 */

const recorded: Array<{ contract: Promise<OpenApiConformance>; answer: RecordedAnswer | Promise<RecordedAnswer | undefined> }> = [];

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
  for (const { contract, answer } of answers) {
    const settled = await answer;
    if (settled) problems.push(...(await contract).check(settled));
  }
  return problems;
}

const COMMITTED = new URL('../../clients/openapi.json', import.meta.url);
const API_PATH = /^\/(v1|health)(\/|$)/;

/** `/v1/launches/{launchId}` → a matcher, fewest parameters first (as the router prefers static segments). */
function routeMatchers(document: { paths: Record<string, unknown> }): Array<{ route: string; pattern: RegExp }> {
  return Object.keys(document.paths)
    .map((route) => ({ route, params: (route.match(/\{/g) ?? []).length, pattern: new RegExp(`^${route.replace(/\{[^}]+\}/g, '[^/]+')}$`) }))
    .sort((a, b) => a.params - b.params);
}

/**
 * Records the answers tests fetch() from API servers running as processes of their own (`npm
 * start`'s server in several-instances, singletons, http-edge…), checked against the committed
 * document, which CI keeps equal to the served one. Bodies are read from a clone, JSON ones only
 * (a stream is checked by status, media type and headers).
 */
export function recordFetchedAnswers(): void {
  const original = globalThis.fetch;
  if ((original as { conformance?: true }).conformance) return;
  let document: Promise<{ contract: OpenApiConformance; matchers: ReturnType<typeof routeMatchers> }> | undefined;
  const load = async () => {
    const { readFile } = await import('node:fs/promises');
    const json = JSON.parse(await readFile(COMMITTED, 'utf8'));
    return { contract: await conformanceTo(json), matchers: routeMatchers(json) };
  };
  const recording = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]): Promise<Response> => {
    const response = await original(input, init);
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) || !API_PATH.test(url.pathname)) return response;
    document ??= load();
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const type = response.headers.get('content-type') ?? '';
    const body = /json/.test(type) ? response.clone().text() : Promise.resolve(response.status === 204 ? '' : undefined);
    const answer = (async (): Promise<RecordedAnswer | undefined> => {
      const { matchers } = await document!;
      let text: string | undefined;
      try {
        text = await body;
      } catch {
        return undefined; // the test aborted the request: nothing was received to check
      }
      return {
        method,
        route: matchers.find(({ pattern }) => pattern.test(url.pathname))?.route,
        url: url.pathname.slice(0, 200),
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: text,
      };
    })();
    recorded.push({ contract: document.then(({ contract }) => contract), answer });
    return response;
  };
  globalThis.fetch = Object.assign(recording, { conformance: true as const });
}
