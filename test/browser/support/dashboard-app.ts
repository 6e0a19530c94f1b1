import { spawnSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AppConfig } from '../../../apps/api/src/config/app-config.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

export const SCREENSHOTS = join(process.cwd(), 'test-results', 'screenshots');

/** Builds apps/web into dist/web, so the browser tests exercise the sources as they are now. */
export function buildDashboard(): void {
  const build = spawnSync(process.execPath, [join(process.cwd(), 'apps', 'web', 'build.mjs')], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build:web failed:\n${build.stdout}${build.stderr}`);
}

/** The real application, with the dashboard freshly built, listening on a free loopback port for a browser to open. */
export async function startListeningApp(
  env: Record<string, string> = {},
  overrides: Partial<AppConfig> = {},
  port = 0,
): Promise<TestApp & { baseUrl: string }> {
  buildDashboard();
  const t = await startTestApp(env, overrides);
  await t.app.listen(port, '127.0.0.1');
  const address = t.app.getHttpServer().address() as AddressInfo;
  mkdirSync(SCREENSHOTS, { recursive: true });
  return Object.assign(t, { baseUrl: `http://127.0.0.1:${address.port}` });
}

export const screenshotPath = (name: string) => join(SCREENSHOTS, `${name}.png`);
