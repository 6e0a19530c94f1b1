import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { EventStore } from '#event-store';
import type { Department, Role } from '#launch';
import { createApp } from '../../apps/api/src/app.factory.js';
import { loadConfig, type AppConfig } from '../../apps/api/src/config/app-config.js';
import { EVENT_STORE } from '../../apps/api/src/infrastructure/injection-tokens.js';
import { recordAnswers } from './conformance-recorder.js';

export const ADMIN_TOKEN = 'lc_test-admin-token-0123456789abcdefghijklmnopqrstuvwxyz';

export interface TestApp {
  app: NestFastifyApplication;
  http: ReturnType<typeof request>;
  dataDir: string;
  /** Creates a principal through the API and returns its bearer token. */
  principal(role: Role, department?: Department, name?: string): Promise<string>;
  /** The global position of the last stored event: unchanged means nothing was appended. */
  headPosition(): Promise<number>;
  close(): Promise<void>;
}

/** The real application on a fresh embedded store in a temporary DATA_DIR. */
export async function startTestApp(env: Record<string, string> = {}, overrides: Partial<AppConfig> = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'launch-control-'));
  const app = await createApp({ config: loadConfig({ DATA_DIR: dataDir, ADMIN_TOKEN: ADMIN_TOKEN, ...env }, overrides), logger: false });
  recordAnswers(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  const http = request(app.getHttpServer());
  return {
    app,
    http,
    dataDir,
    async principal(role, department, name = `${role}${department ? `-${department}` : ''}`) {
      const response = await http
        .post('/v1/principals')
        .set('Authorization', `Bearer ${ADMIN_TOKEN}`)
        .send({ name, role, ...(department && { department }) })
        .expect(201);
      return response.body.token as string;
    },
    headPosition: () => app.get<EventStore>(EVENT_STORE).headPosition(),
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(`${dataDir}-ledger-key`, { recursive: true, force: true }); // the default LEDGER_KEY_FILE's folder
    },
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
