import type Database from 'better-sqlite3';
import type { Department } from '#launch';
import { isDuplicateKey } from '#mongo';
import { AccessCollection } from '../../infrastructure/mongo-access-stores.js';
import type { AccessRecords } from '../../infrastructure/access-records.module.js';

/** What an admin sets for a department: where its daily digest is e-mailed (null: nowhere). */
export interface DepartmentSettings {
  department: Department;
  email: string | null;
  updatedAt: string | null;
}

export const DEPARTMENT_SETTINGS_STORE = Symbol('DEPARTMENT_SETTINGS_STORE');

export interface DepartmentSettingsStore {
  /** The department's settings; a department never set has `email: null, updatedAt: null`. */
  get(department: Department): Promise<DepartmentSettings>;
  put(settings: DepartmentSettings & { updatedAt: string }): Promise<void>;
  /** Every department that has settings. */
  list(): Promise<DepartmentSettings[]>;
}

export function createDepartmentSettingsStore(records: AccessRecords): DepartmentSettingsStore {
  return records.mongo ? new MongoDepartmentSettingsStore(records.mongo) : new SqliteDepartmentSettingsStore(records.sqlite!);
}

const unset = (department: Department): DepartmentSettings => ({ department, email: null, updatedAt: null });

interface SettingsRow {
  department: Department;
  email: string | null;
  updated_at: string;
}

export class SqliteDepartmentSettingsStore implements DepartmentSettingsStore {
  constructor(private readonly db: Database.Database) {
    db.exec('CREATE TABLE IF NOT EXISTS department_settings (department TEXT PRIMARY KEY, email TEXT, updated_at TEXT NOT NULL)');
  }

  async get(department: Department): Promise<DepartmentSettings> {
    const row = this.db.prepare('SELECT * FROM department_settings WHERE department = ?').get(department) as SettingsRow | undefined;
    return row ? { department, email: row.email, updatedAt: row.updated_at } : unset(department);
  }

  async put({ department, email, updatedAt }: DepartmentSettings & { updatedAt: string }): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO department_settings (department, email, updated_at) VALUES (?, ?, ?) ON CONFLICT (department) DO UPDATE SET email = excluded.email, updated_at = excluded.updated_at',
      )
      .run(department, email, updatedAt);
  }

  async list(): Promise<DepartmentSettings[]> {
    const rows = this.db.prepare('SELECT * FROM department_settings ORDER BY department').all() as SettingsRow[];
    return rows.map((row) => ({ department: row.department, email: row.email, updatedAt: row.updated_at }));
  }
}

/** `{ _id: department, email, updatedAt }` in `department_settings`. */
interface SettingsDocument {
  _id: string;
  email: string | null;
  updatedAt: string;
}

export class MongoDepartmentSettingsStore implements DepartmentSettingsStore {
  private readonly settings: AccessCollection<SettingsDocument>;

  constructor(connection: NonNullable<AccessRecords['mongo']>) {
    this.settings = new AccessCollection<SettingsDocument>(connection, 'department_settings', async () => undefined);
  }

  async get(department: Department): Promise<DepartmentSettings> {
    const doc = await this.settings.run('reading department settings', (c) => c.findOne({ _id: department }));
    return doc ? { department, email: doc.email, updatedAt: doc.updatedAt } : unset(department);
  }

  async put({ department, email, updatedAt }: DepartmentSettings & { updatedAt: string }): Promise<void> {
    await this.settings.run('writing department settings', async (c) => {
      const write = () => c.updateOne({ _id: department }, { $set: { email, updatedAt } }, { upsert: true });
      try {
        await write();
      } catch (err) {
        // Two first upserts raced on the _id: the document exists now, so writing again updates it.
        if (!isDuplicateKey(err)) throw err;
        await write();
      }
    });
  }

  async list(): Promise<DepartmentSettings[]> {
    const docs = await this.settings.run('listing department settings', (c) => c.find({}, { sort: [['_id', 1]] }).toArray());
    return docs.map((doc) => ({ department: doc._id as Department, email: doc.email, updatedAt: doc.updatedAt }));
  }
}
