/** The server's ledger key (LedgerKey), or null with LEDGER=off. */
export const LEDGER_KEY = Symbol('LEDGER_KEY');
/** The key events are MACed with at append (Buffer), or null with LEDGER=off. */
export const EVENT_MAC_KEY = Symbol('EVENT_MAC_KEY');
/** Where the Merkle tree is kept (LedgerStore), or null with LEDGER=off. */
export const LEDGER_STORE = Symbol('LEDGER_STORE');
