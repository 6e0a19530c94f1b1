import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * The one way a worker thread starts: `startWorker(new URL('./x.worker.js', import.meta.url), …)`.
 * Built, that is the compiled module in dist/. Run from the TypeScript sources (jest), only
 * x.worker.ts exists beside the caller: the thread then registers the module hooks named by
 * TYPESCRIPT_WORKER_LOADER (set by jest.config.js: test/support/typescript-loader.mjs), which
 * transpile it and whatever it imports, and imports it.
 */
export function startWorker(script: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  if (existsSync(script)) return new Worker(script, options);
  const source = new URL(script.href.replace(/\.js$/, '.ts'));
  const loader = process.env.TYPESCRIPT_WORKER_LOADER;
  if (!existsSync(source)) throw new Error(`no worker module at ${fileURLToPath(script)}`);
  if (!loader) throw new Error(`${fileURLToPath(source)} is TypeScript: set TYPESCRIPT_WORKER_LOADER to the module hooks that load it (see jest.config.js)`);
  const bootstrap = `require('node:module').register(${JSON.stringify(loader)}); import(${JSON.stringify(source.href)});`;
  return new Worker(bootstrap, { ...options, eval: true });
}
