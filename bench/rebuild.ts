/**
 * Child process of the benchmark, so that its peak RSS is its own:
 *   node dist/bench/rebuild.js replay  <events.sqlite>              reads the whole log ($all)
 *   node dist/bench/rebuild.js rebuild <events.sqlite> <views.sqlite> rebuilds every read model from zero
 * Prints one JSON line: { events, ms, maxRssMb }.
 */
import { SqliteEventStore } from '#event-store';
import { PROJECTIONS, Projector, REBUILD_MAX_BATCH_SIZE, SqliteReadModelStore } from '#read-models';

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
  const projector = new Projector({
    eventStore: store,
    store: views,
    projections: [...PROJECTIONS],
    // As projections:rebuild does (no view cache); BENCH_REBUILD_BATCH tries another batch size.
    maxBatchSize: process.env.BENCH_REBUILD_BATCH ? Number(process.env.BENCH_REBUILD_BATCH) : REBUILD_MAX_BATCH_SIZE,
    viewCacheSize: 0,
    logger: { log: () => undefined, error: (message, err) => console.error(message, err) },
  });
  await projector.start();
  const reached = await projector.waitForPosition(head, 600_000);
  await projector.stop();
  if (!reached) throw new Error(`the rebuild did not reach position ${head}`);
  events = head;
  await views.close();
}
const ms = performance.now() - started;
await store.close();
const maxRssMb = process.resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({ mode, events, ms: Math.round(ms), maxRssMb: Math.round(maxRssMb) }));
