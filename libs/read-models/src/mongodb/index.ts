export * from './commit-plan.js';
export * from './find-query.js';
export * from './mongo-read-model-store.js';
export * from './stored-view.js';
