export * from './event-store.port.js';
export { DuplicateEventIdError } from './duplicate-event-id.error.js';
export { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite/sqlite-event-store.js';
export { KurrentDbEventStore, type KurrentDbEventStoreOptions } from './kurrentdb/kurrentdb-event-store.js';
export * from './hash-chain.js';
export { StoreUnavailableError, SQLITE_FAULT_CODES, isSqliteFault, isStorageFault } from './storage-faults.js';
export { startWorker } from './start-worker.js';
export { enableWal } from './sqlite/enable-wal.js';
