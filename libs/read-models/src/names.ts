import { InvalidReadModelNameError } from './read-model-store.port.js';

const COLLECTION = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const FIELD = /^[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*$/;

/** Throws `InvalidReadModelNameError` unless `name` is a safe collection name. Shared by adapters. */
export function assertCollectionName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || !COLLECTION.test(name)) throw new InvalidReadModelNameError('collection', name);
}

/** Throws `InvalidReadModelNameError` unless `field` is a safe (possibly dotted) field path. */
export function assertFieldName(field: unknown): asserts field is string {
  if (typeof field !== 'string' || field.length > 200 || !FIELD.test(field)) {
    throw new InvalidReadModelNameError('field', field);
  }
}
