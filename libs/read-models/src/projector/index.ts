export * from './batch-unit-of-work.js';
export * from './checkpoint-watcher.js';
export * from './projector.js';
