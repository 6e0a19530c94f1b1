import type Database from 'better-sqlite3';
import type { ViewDocument } from '../read-model-store.port.js';
import { COLUMN_PREFIX, columnName, columnValue, tableName } from './view-columns.js';

export type Statement = Database.Statement<unknown[], unknown>;

export interface CollectionStatements {
  get: Statement;
  /** Binds `id, doc, position`, then one value per field column (see `paths`). */
  upsert: Statement;
  delete: Statement;
  /** The fields that have a column in the table (see `columnName`), as read from its schema. */
  columns: ReadonlySet<string>;
  /** The path of each field column, in the order the upsert binds them. */
  paths: string[][];
  /** The field columns of a stored document, as raw values (integers as bigint), in `paths` order. */
  columnValues: Statement;
  /** `UPDATE … SET doc, position` and the field columns whose bit is set in the mask, by mask. */
  updates: Map<number, Statement>;
}

/** Beyond this many field columns every put is an upsert of all of them (a mask has 31 bits). */
const MAX_MASKED_COLUMNS = 30;

/** The fields that have a column in the collection's table. */
export function columnFields(db: Database.Database, collection: string): string[] {
  const columns = db.prepare(`PRAGMA table_info(${tableName(collection)})`).all() as Array<{ name: string }>;
  return columns.filter(({ name }) => name.startsWith(COLUMN_PREFIX)).map(({ name }) => name.slice(COLUMN_PREFIX.length));
}

export function prepareCollectionStatements(db: Database.Database, collection: string): CollectionStatements {
  const table = tableName(collection);
  const fields = columnFields(db, collection);
  const names = ['id', 'doc', 'position', ...fields.map(columnName)];
  const statements: CollectionStatements = {
    get: db.prepare(`SELECT doc FROM ${table} WHERE id = ?`).pluck(),
    upsert: db.prepare(
      `INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')}) ` +
        `ON CONFLICT (id) DO UPDATE SET ${names
          .slice(1)
          .map((name) => `${name} = excluded.${name}`)
          .join(', ')}`,
    ),
    delete: db.prepare(`DELETE FROM ${table} WHERE id = ?`),
    columns: new Set(fields),
    paths: fields.map((field) => field.split('.')),
    columnValues: db
      .prepare(`SELECT ${fields.length > 0 ? fields.map(columnName).join(', ') : 'NULL'} FROM ${table} WHERE id = ?`)
      .raw()
      .safeIntegers(),
    updates: new Map(),
  };
  return statements;
}

/**
 * Writes a document with its field columns. An existing row is updated with only the columns
 * whose value changed: SQLite rewrites the entries of every index on a column the UPDATE sets,
 * even to the same value, and most puts (a task completed) leave most indexed fields as they were
 * (an upsert of every column wrote nearly three times the WAL of one that sets only the document).
 */
export function putDocument(db: Database.Database, statements: CollectionStatements, collection: string, doc: ViewDocument): void {
  const { paths } = statements;
  if (paths.length === 0) {
    statements.upsert.run(doc.id, JSON.stringify(doc), doc.position);
    return;
  }
  const columns: unknown[] = paths.map((path) => columnValue(doc, path));
  const stored = paths.length <= MAX_MASKED_COLUMNS ? (statements.columnValues.get(doc.id) as unknown[] | undefined) : undefined;
  if (!stored) {
    statements.upsert.run(doc.id, JSON.stringify(doc), doc.position, ...columns);
    return;
  }
  let mask = 0;
  const changed: unknown[] = [];
  for (let i = 0; i < columns.length; i++) {
    if (columns[i] !== stored[i]) {
      mask |= 1 << i;
      changed.push(columns[i]);
    }
  }
  let update = statements.updates.get(mask);
  if (!update) {
    const set = ['doc = ?', 'position = ?', ...paths.flatMap((path, i) => (mask & (1 << i) ? [`${columnName(path.join('.'))} = ?`] : []))];
    update = db.prepare(`UPDATE ${tableName(collection)} SET ${set.join(', ')} WHERE id = ?`);
    statements.updates.set(mask, update);
  }
  update.run(JSON.stringify(doc), doc.position, ...changed, doc.id);
}
