import type { FastifyInstance } from 'fastify';

/** For JSON, problem documents, streams and downloads: nothing may be loaded, framed or run. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** For HTML (the dashboard, Swagger UI): only self-hosted scripts, styles and images; never framed. */
export const HTML_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
  "connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

const CORS_ALLOWED_HEADERS = 'Authorization, Content-Type, If-Match, Idempotency-Key, X-Correlation-Id';
const CORS_EXPOSED_HEADERS = 'ETag, Location, Retry-After, Idempotent-Replayed';
const CORS_METHODS = 'GET, POST, PATCH, DELETE';

/**
 * Headers every answer carries (nosniff, no framing, no referrer, a strict CSP, no caching of API
 * answers), and CORS: off unless CORS_ORIGINS lists the origins that may call the API from a browser.
 */
export function configureSecurityHeaders(fastify: FastifyInstance, options: { corsOrigins: readonly string[] }): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    const contentType = String(reply.getHeader('content-type') ?? '');
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    reply.header('Cross-Origin-Resource-Policy', options.corsOrigins.length > 0 ? 'cross-origin' : 'same-origin');
    reply.header('Content-Security-Policy', contentType.startsWith('text/html') ? HTML_CSP : API_CSP);
    if (isApiPath(request.url)) reply.header('Cache-Control', 'no-store');
    return payload;
  });

  if (options.corsOrigins.length === 0) return;
  const allowed = new Set(options.corsOrigins);
  fastify.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    reply.header('Vary', 'Origin');
    if (!origin || !allowed.has(origin)) return;
    reply.header('Access-Control-Allow-Origin', origin);
    reply.header('Access-Control-Expose-Headers', CORS_EXPOSED_HEADERS);
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method']) {
      reply.header('Access-Control-Allow-Methods', CORS_METHODS);
      reply.header('Access-Control-Allow-Headers', CORS_ALLOWED_HEADERS);
      reply.header('Access-Control-Max-Age', '600');
      return reply.code(204).send();
    }
  });
}

function isApiPath(url: string): boolean {
  return url.startsWith('/v1/') || url === '/v1' || url.startsWith('/health');
}

/** `CORS_ORIGINS`: a comma-separated list of exact origins (`https://app.example.com`); unset: CORS is off. */
export function parseCorsOrigins(value: string | undefined): string[] {
  if (!value?.trim()) return [];
  return value.split(',').map((origin) => {
    const trimmed = origin.trim();
    let parsed: URL;
    try {
      parsed = new URL(trimmed);
    } catch {
      throw new Error(`CORS_ORIGINS: ${JSON.stringify(trimmed)} is not an origin such as https://app.example.com`);
    }
    if (trimmed === '*' || parsed.origin !== trimmed)
      throw new Error(`CORS_ORIGINS: ${JSON.stringify(trimmed)} is not an exact origin such as https://app.example.com`);
    return trimmed;
  });
}
