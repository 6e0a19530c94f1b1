/**
 * Child process of the benchmark, so that its peak RSS is its own:
 *   node dist/bench/rebuild.js replay  <events.sqlite>              reads the whole log ($all)
 *   node dist/bench/rebuild.js rebuild <events.sqlite> <views.sqlite> rebuilds every read model from zero
 * Prints one JSON line: { events, ms, maxRssMb }.
 */
import { SqliteEventStore } from '#event-store';
import { buildGeneration, PROJECTIONS, REBUILD_MAX_BATCH_SIZE, SqliteReadModelStore } from '#read-models';

const [mode, eventsFile, viewsFile] = process.argv.slice(2);
if (!eventsFile || (mode !== 'replay' && mode !== 'rebuild') || (mode === 'rebuild' && !viewsFile)) {
  console.error('usage: rebuild.js replay <events.sqlite> | rebuild <events.sqlite> <views.sqlite>');
  process.exit(2);
}

const store = new SqliteEventStore({ filename: eventsFile });
const head = await store.headPosition();
let events = 0;
const started = performance.now();
if (mode === 'replay') {
  for await (const event of store.readAll()) {
    if (event.position > 0) events += 1;
  }
} else {
  const views = new SqliteReadModelStore({ filename: viewsFile! });
  // What projections:rebuild runs (no view cache); BENCH_REBUILD_BATCH tries another batch size.
  const { position } = await buildGeneration({
    eventStore: store,
    store: views,
    projections: PROJECTIONS,
    maxBatchSize: process.env.BENCH_REBUILD_BATCH ? Number(process.env.BENCH_REBUILD_BATCH) : REBUILD_MAX_BATCH_SIZE,
    viewCacheSize: 0,
    logger: { log: () => undefined, error: (message, err) => console.error(message, err) },
  });
  if (position < head) throw new Error(`the rebuild stopped at position ${position}, before ${head}`);
  events = head;
  await views.close();
}
const ms = performance.now() - started;
await store.close();
const maxRssMb = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({ mode, events, ms: Math.round(ms), maxRssMb: Math.round(maxRssMb) }));
