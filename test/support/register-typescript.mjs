// `node --import <this file> apps/api/src/main.ts`: runs the TypeScript sources the way jest does
// (see typescript-loader.mjs), so e2e suites can start real server processes without a build.
import { register } from 'node:module';

register('./typescript-loader.mjs', import.meta.url);
