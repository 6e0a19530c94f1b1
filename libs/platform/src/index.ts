export * from './event-store.factory.js';
export * from './launch-verification.js';
export * from './logger.js';
export * from './read-model-stores.js';
export * from './store-config.js';
