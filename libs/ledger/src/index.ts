export * from './canonical-json.js';
export * from './merkle.js';
export * from './proofs.js';
export * from './signed-head.js';
export * from './event-authentication.js';
export * from './ledger-store.port.js';
export * from './tiles.js';
