/**
 * The benchmark's server: the product app exactly as main.ts builds it (createApp with the config
 * from the environment), plus the bench-only bare endpoint, in one process, so both are measured
 * against the same process, stores and middleware.
 */
import type { SqliteEventStore } from '#event-store';
import { createApp } from '../apps/api/src/app.factory.js';
import { loadConfig } from '../apps/api/src/config/app-config.js';
import { EVENT_STORE } from '../apps/api/src/infrastructure/injection-tokens.js';
import { BenchBareModule } from './bare.module.js';

const config = loadConfig();
const app = await createApp({ config, imports: [BenchBareModule], logger: ['error', 'warn', 'fatal'] });
await app.listen(config.port, config.host);
const address = app.getHttpServer().address();
const port = typeof address === 'object' && address ? address.port : config.port;
process.send?.({ type: 'listening', port });
console.log(`bench server listening on ${config.host}:${port}`);

// How many commits of the embedded event store wrote events (each one transaction, one fsync), so
// the benchmark can report how many commands shared each commit.
let commits = 0;
(app.get(EVENT_STORE, { strict: false }) as Partial<Pick<SqliteEventStore, 'onCommitted'>>).onCommitted?.(() => (commits += 1));

// The benchmark stops it with a message, so that it closes the stores and exits normally (and
// writes its CPU profile when started with --cpu-prof). 'commits' answers the count so far.
process.on('message', (message) => {
  if (message === 'stop') void app.close().then(() => process.exit(0));
  if (message === 'commits') process.send?.({ type: 'commits', commits });
});
