import 'reflect-metadata';
import { existsSync } from 'node:fs';
import type { DynamicModule, LogLevel, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module.js';
import { loadConfig, type AppConfig } from './config/app-config.js';
import { protectDataDir, restrictNewFileModes } from './config/file-modes.js';
import { configureBodyParsing } from './http/body-parsing.js';
import { buildOpenApiDocument } from './http/openapi/openapi-document.js';
import { fastifyTrustProxy, httpServerOptions } from './http/edge-limits.js';
import { answerFrameworkError } from './http/problem.filter.js';
import { configureRateLimit } from './http/rate-limit.js';
import { configureSecurityHeaders } from './http/security-headers.js';
import { createValidationPipe } from './http/validation.js';

export interface CreateAppOptions {
  config?: AppConfig;
  /** Extra modules to import next to AppModule (tests use this for throwaway controllers). */
  imports?: Array<Type<unknown> | DynamicModule>;
  /** Nest logger; false silences it (tests). */
  logger?: false | LogLevel[];
}

/** Builds the fully wired application without listening, so main.ts and the tests share the wiring. */
export async function createApp(options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const config = options.config ?? loadConfig();
  // Before any store opens: new files 0600 under a 0700 DATA_DIR, older ones tightened (README, Security).
  restrictNewFileModes();
  if (!config.eventStoreUrl || !config.mongodbUrl || existsSync(config.dataDir)) protectDataDir(config.dataDir);
  const appModule = AppModule.forRoot(config);
  const root: Type<unknown> | DynamicModule = options.imports?.length ? { module: class RootModule {}, imports: [appModule, ...options.imports] } : appModule;

  const { edge } = config;
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimit,
    trustProxy: fastifyTrustProxy(edge.trustProxy),
    frameworkErrors: answerFrameworkError,
    http: httpServerOptions(edge),
    // Fastify copies these onto the server after creating it: they must agree with httpServerOptions.
    requestTimeout: edge.requestTimeoutMs,
    keepAliveTimeout: edge.keepAliveTimeoutMs,
    connectionTimeout: edge.idleTimeoutMs,
  });
  adapter.getInstance().server.maxConnections = edge.maxConnections;
  configureSecurityHeaders(adapter.getInstance(), { corsOrigins: config.corsOrigins ?? [] });
  if (config.rateLimit) configureRateLimit(adapter.getInstance(), config.rateLimit);
  configureBodyParsing(adapter.getInstance());
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, {
    logger: options.logger ?? ['log', 'error', 'warn', 'fatal'],
    bodyParser: false,
  });
  app.useGlobalPipes(createValidationPipe());

  const document = buildOpenApiDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });

  app.enableShutdownHooks();
  return app;
}
