import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The built dashboard (`npm run build:web` → `<project>/dist/web`), found from this file whether it
 * runs from the TypeScript sources (tests) or from `dist/apps/api/...` (npm start).
 * `WEB_ROOT` overrides it (a deployment that ships the files elsewhere).
 */
export function dashboardRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.WEB_ROOT) return env.WEB_ROOT;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'launch-control') return join(dir, 'dist', 'web');
    const parent = dirname(dir);
    if (parent === dir) return join(process.cwd(), 'dist', 'web');
    dir = parent;
  }
}
