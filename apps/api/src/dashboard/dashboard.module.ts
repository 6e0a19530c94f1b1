import { Logger, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dashboardRoot } from './dashboard-files.js';

/**
 * Serves the launch room (the dashboard built into dist/web) at `/`. Its files are public (the page
 * signs in with a pasted token and calls /v1 with it); every API route stays behind the AuthGuard.
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
    // No ETag/Last-Modified: a 304 carries no Content-Type, so it would get the API's CSP, which the
    // browser then applies to its cached page (and blocks the page's own script and styles).
    void fastify.register(fastifyStatic, {
      root,
      prefix: '/',
      wildcard: false,
      index: ['index.html'],
      decorateReply: false,
      etag: false,
      lastModified: false,
      cacheControl: false,
      setHeaders: (reply) => reply.header('Cache-Control', 'no-cache'),
    });
  }
}
