export * from './mongo-connection.js';
export * from './mongo-errors.js';
