// Module hooks that let a worker thread started from jest (which runs the TypeScript sources, see
// jest.config.js) load those sources too: `#launch`-style imports resolve to libs/*/src/index.ts,
// `./x.js` to `./x.ts` where only the .ts exists, and .ts files are transpiled by SWC with the
// same options as jest's. Named by TYPESCRIPT_WORKER_LOADER (set by jest.config.js), registered by
// every worker thread started from the sources (libs/event-store/src/start-worker.ts).
// The process that starts such threads must itself have @swc/core loaded (jest's transformer does,
// and so does a process registering these hooks): on Node 20, a thread that loads the native addon
// after another thread that loaded it ended, while no other thread holds it, crashes (SIGSEGV).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import swc from '@swc/core';

const root = new URL('../../', import.meta.url);
const LIBRARIES = new Set(['#launch', '#event-store', '#read-models', '#leases', '#platform', '#ledger', '#mongo']);

export async function resolve(specifier, context, nextResolve) {
  if (LIBRARIES.has(specifier)) {
    return { url: new URL(`libs/${specifier.slice(1)}/src/index.ts`, root).href, shortCircuit: true };
  }
  if (context.parentURL?.endsWith('.ts') && /^\.{1,2}\//.test(specifier) && specifier.endsWith('.js')) {
    const js = new URL(specifier, context.parentURL);
    const ts = new URL(specifier.replace(/\.js$/, '.ts'), context.parentURL);
    if (!existsSync(js) && existsSync(ts)) return { url: ts.href, shortCircuit: true };
  }
  return nextResolve(specifier, context);
}

export async function load(url, context, nextLoad) {
  if (!url.endsWith('.ts')) return nextLoad(url, context);
  const { code } = swc.transformSync(readFileSync(fileURLToPath(url), 'utf8'), {
    filename: fileURLToPath(url),
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      target: 'es2022',
      keepClassNames: true,
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  });
  return { format: 'module', source: code, shortCircuit: true };
}
