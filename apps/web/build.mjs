// Builds the dashboard into dist/web: one hashed JS bundle (esbuild, with its sourcemap), one hashed
// CSS bundle (every static/*.css in name order), index.html pointing at both, the icon, and a brotli
// and a gzip copy of each text file so the server never compresses at request time.
// Run by `npm run build:web` (and so by npm install) and before every `npm start`; it takes well under
// a second. Type errors are the typecheck's business (`npm run typecheck`), not this build's.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const staticDir = join(here, 'static');
const out = join(here, '..', '..', 'dist', 'web');
const assets = join(out, 'assets');

const hashOf = (content) => createHash('sha256').update(content).digest('hex').slice(0, 12);

/** Writes through a temporary name, so a server or a second build never reads half a file. */
function writeAtomically(path, content) {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content);
  renameSync(temporary, path);
}

/** The file, plus `.br` and `.gz` beside it. */
function writeCompressed(path, content) {
  writeAtomically(path, content);
  writeAtomically(`${path}.br`, brotliCompressSync(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  writeAtomically(`${path}.gz`, gzipSync(content, { level: 9 }));
}

const bundled = await build({
  entryPoints: [join(here, 'src', 'main.ts')],
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  sourcemap: 'external',
  write: false,
  outfile: join(assets, 'main.js'),
  logLevel: 'warning',
});
const script = bundled.outputFiles.find((file) => file.path.endsWith('.js')).contents;
const sourceMap = bundled.outputFiles.find((file) => file.path.endsWith('.js.map')).contents;
const scriptName = `main-${hashOf(script)}.js`;

const styles = readdirSync(staticDir)
  .filter((name) => name.endsWith('.css'))
  .sort()
  .map((name) => `/* ${name} */\n${readFileSync(join(staticDir, name), 'utf8')}`)
  .join('\n');
const stylesName = `styles-${hashOf(styles)}.css`;

const template = readFileSync(join(staticDir, 'index.html'), 'utf8');
if (!template.includes('/styles.css') || !template.includes('/js/main.js')) throw new Error('index.html must reference /styles.css and /js/main.js');
const page = template.replace('"/styles.css"', `"/assets/${stylesName}"`).replace('"/js/main.js"', `"/assets/${scriptName}"`);

mkdirSync(assets, { recursive: true });
const scriptWithMap = Buffer.concat([Buffer.from(script), Buffer.from(`\n//# sourceMappingURL=${scriptName}.map\n`)]);
writeCompressed(join(assets, scriptName), scriptWithMap);
writeCompressed(join(assets, `${scriptName}.map`), Buffer.from(sourceMap));
writeCompressed(join(assets, stylesName), Buffer.from(styles));
writeCompressed(join(out, 'index.html'), Buffer.from(page));
writeAtomically(join(out, 'favicon.svg'), readFileSync(join(staticDir, 'favicon.svg')));

// Earlier builds' bundles (and the per-module output of the build before this one) would be served
// for nothing: only the current ones stay.
const current = new Set([scriptName, `${scriptName}.map`, stylesName].flatMap((name) => [name, `${name}.br`, `${name}.gz`]));
for (const name of readdirSync(assets)) if (!current.has(name) && !name.endsWith('.tmp')) rmSync(join(assets, name), { force: true });
for (const stale of ['js', 'styles.css']) rmSync(join(out, stale), { recursive: true, force: true });
rmSync(join(out, '..', 'web.tsbuildinfo'), { force: true });

console.log(`dashboard built into ${out}: ${scriptName} (${script.length} bytes), ${stylesName}`);
