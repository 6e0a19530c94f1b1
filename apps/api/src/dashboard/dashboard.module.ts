import { Logger, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chooseEncoding, loadDashboardAssets, matchesEtag, variantEtag, type DashboardAsset } from './dashboard-assets.js';
import { dashboardRoot } from './dashboard-files.js';

/**
 * Serves the launch room (the dashboard built into dist/web) at `/`. Its files are public (the page
 * signs in and calls /v1 with its token); every API route stays behind the AuthGuard. The hashed
 * bundles are cached for a year; the page is revalidated on every load (ETag, 304), so a new build
 * reaches browsers on their next visit. Brotli or gzip, precompressed by the build, by Accept-Encoding.
 */
@Module({})
export class DashboardModule implements OnModuleInit {
  private readonly logger = new Logger('Dashboard');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const root = dashboardRoot();
    if (!existsSync(join(root, 'index.html'))) {
      this.logger.warn(`no dashboard at ${root}: run npm run build:web`);
      fastify.get('/', (_request, reply) =>
        reply
          .code(503)
          .type('application/problem+json')
          .send({ type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'The dashboard has not been built: run npm run build:web' }),
      );
      return;
    }
    // Only the files that exist at start (no wildcard route), so unknown paths stay the API's 404s.
    for (const asset of loadDashboardAssets(root)) {
      const handler = (request: FastifyRequest, reply: FastifyReply) => send(asset, request, reply);
      fastify.get(asset.path, handler);
      if (asset.path === '/') fastify.get('/index.html', handler);
    }
  }
}

function send(asset: DashboardAsset, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const encoding = chooseEncoding(request.headers['accept-encoding'], asset);
  // The type goes on a 304 too: the security headers pick the CSP by it, and a browser takes a
  // 304's headers into its cached page (the API's policy would block the page's own script).
  reply
    .header('Content-Type', asset.contentType)
    .header('Cache-Control', asset.cacheControl)
    .header('ETag', variantEtag(asset, encoding))
    .header('Vary', [reply.getHeader('vary'), 'Accept-Encoding'].filter(Boolean).join(', '));
  if (matchesEtag(request.headers['if-none-match'], asset)) return reply.code(304).send();
  if (encoding) reply.header('Content-Encoding', encoding);
  return reply.send(encoding === 'br' ? asset.br : encoding === 'gzip' ? asset.gzip : asset.identity);
}
