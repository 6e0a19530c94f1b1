export * from './read-model-store.port.js';
export * from './projection.js';
export * from './names.js';
export * from './sqlite/index.js';
export * from './projector/index.js';
export * from './projections/index.js';
export * from './mongodb/index.js';
export * from './generations/index.js';
