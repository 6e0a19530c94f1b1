/**
 * Child process of `npm run bench:compare`: seeds with a build's OWN bench/seed.js and event store
 * (each build writes the events its own code would append), so both builds get identical seeds.
 *   node compare-seed.js open    <build root> <events.sqlite> <launches> <tasks per launch> <long events> <out.json>
 *   node compare-seed.js history <build root> <events.sqlite> <events>
 * It imports nothing of this checkout, so the baseline's modules are the only ones loaded.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [mode, root, file, ...rest] = process.argv.slice(2);
if (!root || !file || (mode !== 'open' && mode !== 'history')) {
  console.error('usage: compare-seed.js open|history <build root> <events.sqlite> …');
  process.exit(2);
}
const load = (path: string) => import(pathToFileURL(join(root, 'dist', path)).href);
const seed = await load('bench/seed.js');
const { SqliteEventStore } = await load('libs/event-store/src/index.js');
const store = new SqliteEventStore({ filename: file });
try {
  if (mode === 'open') {
    const [launches, tasksPerLaunch, longEvents, out] = rest;
    const open = await seed.seedOpenTasks(store, Number(launches), Number(tasksPerLaunch));
    const long = await seed.seedLongLaunch(store, Number(longEvents));
    const head = await store.headPosition();
    writeFileSync(out!, JSON.stringify({ ...open, long, head }));
  } else {
    await seed.seedHistory(store, Number(rest[0]));
  }
} finally {
  await store.close();
}
