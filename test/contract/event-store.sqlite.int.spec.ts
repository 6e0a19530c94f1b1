import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '#event-store';
import { eventStoreContract } from './event-store.contract.js';

eventStoreContract('embedded SQLite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'event-store-contract-'));
  // A folder that does not exist yet: the store creates it.
  const filename = join(dir, 'data', 'events.sqlite');
  const stores: SqliteEventStore[] = [];
  const openStore = () => {
    const store = new SqliteEventStore({ filename, pollIntervalMs: 50 });
    stores.push(store);
    return store;
  };
  return {
    store: openStore(),
    reopen: async () => openStore(),
    cleanup: async () => {
      for (const store of stores) await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
