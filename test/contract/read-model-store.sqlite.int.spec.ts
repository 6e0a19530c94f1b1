import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteReadModelStore } from '#read-models';
import { readModelStoreContract } from './read-model-store.contract.js';

readModelStoreContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'read-models-contract-'));
  // A folder that does not exist yet: the store creates it.
  const filename = join(dir, 'nested', 'views.sqlite');
  return {
    store: new SqliteReadModelStore({ filename }),
    reopen: async () => new SqliteReadModelStore({ filename }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});
