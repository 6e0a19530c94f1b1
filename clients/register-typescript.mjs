// `node --import ./clients/register-typescript.mjs <file.ts>` runs the TypeScript sources directly,
// through the same module hooks the tests use (test/support/typescript-loader.mjs): no build needed.
import { register } from 'node:module';

register('../test/support/typescript-loader.mjs', import.meta.url);
