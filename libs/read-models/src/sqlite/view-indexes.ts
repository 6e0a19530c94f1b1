import type Database from 'better-sqlite3';
import { columnFields } from './collection-statements.js';
import { BASE_COLUMNS, columnName, indexName, jsonExtract, legacyIndexName, tableName } from './view-columns.js';

/**
 * Whether the table, its columns and indexes are all there and no old expression index is left:
 * then `ensureIndexes` needs no write lock (a projector process may be committing a long batch).
 */
export function indexesInPlace(db: Database.Database, collection: string, sets: string[][], wanted: string[]): boolean {
  if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(`view_${collection}`) === undefined) return false;
  const columns = new Set(columnFields(db, collection));
  if (!wanted.every((field) => columns.has(field))) return false;
  const indexes = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?").pluck().all(`view_${collection}`) as string[]);
  return sets.every((set) => indexes.has(indexName(collection, set)) && !indexes.has(legacyIndexName(collection, set)));
}

/**
 * Creates the table if needed, gives every field of `wanted` a column (filled from the stored
 * documents) and each set an index on them, and drops the expression indexes earlier versions made,
 * in one transaction.
 */
export function migrateIndexes(db: Database.Database, collection: string, sets: string[][], wanted: string[]): void {
  const table = tableName(collection);
  db.transaction(() => {
    db.exec(`CREATE TABLE IF NOT EXISTS ${table} ${BASE_COLUMNS}`);
    const existing = new Set(columnFields(db, collection));
    const missing = wanted.filter((field) => !existing.has(field));
    for (const set of sets) db.exec(`DROP INDEX IF EXISTS "${legacyIndexName(collection, set)}"`);
    for (const field of missing) db.exec(`ALTER TABLE ${table} ADD COLUMN ${columnName(field)}`);
    if (missing.length > 0) {
      const assignments = missing.map((field) => `${columnName(field)} = ${jsonExtract(field)}`);
      db.exec(`UPDATE ${table} SET ${assignments.join(', ')}`);
    }
    for (const set of sets) {
      const columns = set.map((field) => (field === 'id' ? 'id' : columnName(field)));
      db.exec(`CREATE INDEX IF NOT EXISTS "${indexName(collection, set)}" ON ${table} (${columns.join(', ')})`);
    }
  }).immediate();
}
