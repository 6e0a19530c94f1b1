// Builds the dashboard into dist/web: the TypeScript compiled to ES modules (dist/web/js) and the
// static files (HTML, CSS, icon) copied beside them. Run by `npm run build:web` (and so by npm install)
// and before every `npm start`: the compile is incremental (`tsc -b`), so an up-to-date build costs
// about a second. Output is not cleared first: its build info records what is there (delete dist/ to
// start over).
import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', '..', 'dist', 'web');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-b', join(here, 'tsconfig.json')], { stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);
for (const file of ['index.html', 'styles.css', 'cockpit.css', 'favicon.svg']) copyFileSync(join(here, 'static', file), join(out, file));
console.log(`dashboard built into ${out}`);
