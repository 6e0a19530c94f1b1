import { existsSync } from 'node:fs';

// Jest runs the TypeScript sources directly (native ESM via --experimental-vm-modules),
// transpiled by SWC with legacy decorators + decorator metadata (NestJS DI needs it).

// Worker threads started from the sources (startWorker: append, WAL checkpoints, projector) load them through these hooks.
process.env.TYPESCRIPT_WORKER_LOADER ??= new URL('./test/support/typescript-loader.mjs', import.meta.url).href;

/** SWC options for the project's .ts files. */
const swcTs = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    target: 'es2022',
    keepClassNames: true,
    transform: {
      legacyDecorator: true,
      decoratorMetadata: true,
      useDefineForClassFields: false,
    },
  },
  sourceMaps: 'inline',
};

/** SWC options for ESM-only packages that CommonJS dependencies require() (see transformIgnorePatterns). */
const swcJs = {
  jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' },
  sourceMaps: 'inline',
};

// ESM-only packages that are require()d by CommonJS packages: jest on Node 20 cannot
// require() ESM, so they are transformed to CommonJS (e.g. @fastify/static -> content-disposition).
const esmOnlyRequiredByCjs = ['content-disposition'];

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  // One test file at a time (--maxWorkers=1) in a worker that is replaced once it holds this much:
  // ESM modules re-imported by every file accumulate, and one process running the whole suite ran out of heap.
  workerIdleMemoryLimit: '1536MB',
  // test roots (jest refuses a root that does not exist, so absent ones are skipped)
  roots: ['libs', 'apps', 'test'].filter((dir) => existsSync(new URL(dir, import.meta.url))).map((dir) => `<rootDir>/${dir}`),
  testMatch: ['**/*.unit.spec.ts', '**/*.int.spec.ts', '**/*.e2e.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/dist/'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json', 'node'],
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', swcTs],
    [`/node_modules/(${esmOnlyRequiredByCjs.join('|')})/.+\\.js$`]: ['@swc/jest', swcJs],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnlyRequiredByCjs.join('|')})/)`],
  moduleNameMapper: {
    // internal libraries (package.json "imports") -> their TypeScript sources
    '^#(launch|event-store|read-models|leases|platform|ledger|mongo)$': '<rootDir>/libs/$1/src/index.ts',
    // ESM-style relative imports with .js endings -> the .ts sources
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  // Every answer of a test app is checked against the OpenAPI document it serves (test/support/conformance-recorder.ts).
  setupFilesAfterEnv: ['<rootDir>/test/support/conformance-setup.ts'],
  testTimeout: 30000,
};
