/**
 * How to start the projector thread. Built (dist/), it is projector.worker.js beside this module.
 * Run from the TypeScript sources (jest), it is projector.worker.ts, imported by a small bootstrap
 * once the module hooks named by TYPESCRIPT_WORKER_LOADER (set by jest.config.js) are registered.
 */
export function projectorWorkerScript(): { script: URL | string; eval: boolean } {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return { script: new URL('./projector.worker.js', here), eval: false };
  const loader = process.env.TYPESCRIPT_WORKER_LOADER;
  if (!loader) throw new Error('run from TypeScript sources, the projector thread needs TYPESCRIPT_WORKER_LOADER (see jest.config.js)');
  const entry = new URL('./projector.worker.ts', here).href;
  return {
    script: `require('node:module').register(${JSON.stringify(loader)}); import(${JSON.stringify(entry)});`,
    eval: true,
  };
}
