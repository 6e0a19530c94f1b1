import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { EventStore } from '#event-store';
import { createApp } from '../apps/api/src/app.factory.js';
import { loadConfig } from '../apps/api/src/config/app-config.js';
import { EVENT_STORE } from '../apps/api/src/infrastructure/injection-tokens.js';
import { BenchBareModule } from '../bench/bare.module.js';
import { ADMIN_TOKEN, bearer } from './support/test-app.js';

// The benchmark compares task completion against this baseline: it must be the product's route
// (auth, pipes, validation, idempotency, answer) minus the command.
describe('the benchmark bare endpoint', () => {
  let app: NestFastifyApplication;
  let dataDir: string;
  const bare = (launchId: string, taskId: string) => `/bench/bare/launches/${launchId}/tasks/${taskId}/complete`;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'launch-control-bare-'));
    app = await createApp({ config: loadConfig({ DATA_DIR: dataDir, ADMIN_TOKEN }), imports: [BenchBareModule], logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  });

  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers like a completion (ETag, the command answer) and appends nothing', async () => {
    const head = await app.get<EventStore>(EVENT_STORE).headPosition();
    const launchId = randomUUID();
    const taskId = randomUUID();
    const first = await request(app.getHttpServer()).post(bare(launchId, taskId)).set(bearer(ADMIN_TOKEN)).send({ note: 'done' }).expect(200);
    expect(first.body).toEqual({ launchId, revision: 0, position: expect.any(Number), taskId, events: [] });
    expect(first.headers.etag).toBe('"0"');
    const second = await request(app.getHttpServer()).post(bare(launchId, taskId)).set(bearer(ADMIN_TOKEN)).send({}).expect(200);
    expect(second.body.position).toBeGreaterThan(first.body.position);
    expect(await app.get<EventStore>(EVENT_STORE).headPosition()).toBe(head);
  });

  it('refuses what the product route refuses, with the same problems', async () => {
    const http = request(app.getHttpServer());
    const launchId = randomUUID();
    const taskId = randomUUID();
    const cases = [
      { path: bare(launchId, taskId), product: `/v1/launches/${launchId}/tasks/${taskId}/complete`, auth: false, body: {} },
      { path: bare('not-a-uuid', taskId), product: `/v1/launches/not-a-uuid/tasks/${taskId}/complete`, auth: true, body: {} },
      { path: bare(launchId, taskId), product: `/v1/launches/${launchId}/tasks/${taskId}/complete`, auth: true, body: { evidenceUrl: 'ftp://x', extra: 1 } },
    ];
    for (const { path, product, auth, body } of cases) {
      const send = (url: string) => (auth ? http.post(url).set(bearer(ADMIN_TOKEN)) : http.post(url)).send(body);
      const [fromBare, fromProduct] = [await send(path), await send(product)];
      expect(fromBare.status).toBeGreaterThanOrEqual(400);
      expect([fromBare.status, fromBare.body.detail, fromBare.body.errors]).toEqual([fromProduct.status, fromProduct.body.detail, fromProduct.body.errors]);
    }
  });
});
