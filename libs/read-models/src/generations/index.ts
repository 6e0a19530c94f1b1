export * from './generations.js';
export * from './generational-read-model-store.js';
export * from './generational-projector.js';
export * from './build-generation.js';
