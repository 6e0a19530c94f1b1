import { join } from 'node:path';
import type { AppConfig } from '../config/app-config.js';

/** The embedded tree's file. */
export const ledgerFile = (config: AppConfig): string => join(config.dataDir, 'ledger.sqlite');
