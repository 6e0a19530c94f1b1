import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ledgerStoreContract } from './ledger-store.contract.js';
import { SqliteLedgerStore } from '#platform';

ledgerStoreContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ledger-contract-'));
  const filename = join(dir, 'nested', 'ledger.sqlite');
  return {
    store: new SqliteLedgerStore(filename),
    other: async () => new SqliteLedgerStore(filename),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});
