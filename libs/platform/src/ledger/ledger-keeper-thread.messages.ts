import type { SignedHead } from '#ledger';
import type { HandedLeaves } from './appended-leaves.js';

/** What the keeper's thread is started with: files only (the key is read from its file there, never posted). */
export interface LedgerThreadData {
  /** The embedded event log (read through the thread's own connection). */
  eventsFile: string;
  /** DATA_DIR/ledger.sqlite, written only by the thread that holds the `ledger` lease. */
  ledgerFile: string;
  keyFile: string;
  intervalMs?: number;
  maxLeavesPerHead?: number;
  /** The nice value the thread gives itself (Linux; see KEEPER_NICE). */
  nice?: number;
}

export type ToLedgerThread = { type: 'stop' } | { type: 'appended'; leaves: HandedLeaves };

export type FromLedgerThread =
  { type: 'started' } | { type: 'signed'; head: SignedHead } | { type: 'log'; level: 'log' | 'error'; message: string } | { type: 'stopped' };
