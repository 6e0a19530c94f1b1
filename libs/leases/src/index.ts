export * from './lease-store.port.js';
export * from './lease-keeper.js';
export * from './sqlite-lease-store.js';
export * from './mongo-lease-store.js';
export * from './mongo-lease-queries.js';
export * from './in-memory-lease-store.js';
export * from './open-lease-store.js';
export * from './held-lease.js';
