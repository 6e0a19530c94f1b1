import base from '../../jest.config.js';

// The crash-safety harness: its own jest run (`npm run test:chaos`), never part of `npm test`.
// It drives the built server (dist/), so the npm script builds first.
/** @type {import('jest').Config} */
export default {
  ...base,
  rootDir: '../..',
  roots: ['<rootDir>/test/chaos'],
  testMatch: ['**/*.chaos.ts'],
  testTimeout: 280_000,
};
