import { join } from 'node:path';
import type { StoreConfig } from '../store-config.js';

/** The embedded tree's file. */
export const ledgerFile = (config: Pick<StoreConfig, 'dataDir'>): string => join(config.dataDir, 'ledger.sqlite');
