/**
 * Writes the OpenAPI document the server serves at /docs-json to clients/openapi.json: the real
 * app on a throwaway DATA_DIR, asked over Fastify's inject (nothing listens). `npm run openapi`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../apps/api/src/app.factory.js';
import { loadConfig } from '../apps/api/src/config/app-config.js';

const target = process.argv[2] ?? new URL('openapi.json', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'launch-control-openapi-'));
try {
  const app = await createApp({
    config: loadConfig({ DATA_DIR: dataDir, ADMIN_TOKEN: 'lc_openapi-writer-0123456789abcdefghijklmnopqrstuvwxyz', PROJECTOR_THREAD: 'false' }),
    logger: false,
  });
  await app.init();
  const answer = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/docs-json' });
  if (answer.statusCode !== 200) throw new Error(`/docs-json answered ${answer.statusCode}`);
  writeFileSync(target, `${JSON.stringify(JSON.parse(answer.body), null, 2)}\n`);
  await app.close();
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
