import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { ReadModelStoreUnavailableError, type FindQuery, type ViewChange, type ViewDocument } from '../read-model-store.port.js';
import { buildFind } from './find-sql.js';
import type { SchemaCache } from './schema-cache.js';
import { SqliteReadModelStore } from './sqlite-read-model-store.js';

const ids = (docs: ViewDocument[]): string[] => docs.map((doc) => doc.id);

describe('SqliteReadModelStore (embedded specifics)', () => {
  let dir: string;
  let filename: string;
  const opened: SqliteReadModelStore[] = [];
  const open = (): SqliteReadModelStore => {
    const store = new SqliteReadModelStore({ filename });
    opened.push(store);
    return store;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sqlite-read-models-'));
    filename = join(dir, 'a', 'b', 'views.sqlite');
  });

  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates its folder and uses WAL with synchronous=NORMAL (atomic; durable enough for derived views)', async () => {
    const store = open();
    await store.ping();
    const other = new Database(filename, { readonly: true });
    try {
      expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      other.close();
    }
    const db = (store as unknown as { db: Database.Database }).db;
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
  });

  it('keeps one table per collection, with id, doc and position columns', async () => {
    const store = open();
    await store.commit({
      projection: 'p',
      changes: [{ kind: 'put', collection: 'tasks', doc: { id: 't1', position: 4, status: 'open' } }],
      position: 4,
    });
    const db = new Database(filename, { readonly: true });
    try {
      const row = db.prepare('SELECT id, doc, position FROM "view_tasks"').get() as Record<string, unknown>;
      expect(row).toEqual({ id: 't1', doc: JSON.stringify({ id: 't1', position: 4, status: 'open' }), position: 4 });
      expect(db.prepare('SELECT projection, position FROM checkpoints').all()).toEqual([{ projection: 'p', position: 4 }]);
    } finally {
      db.close();
    }
  });

  it('answers an indexed find from the index on its field columns', async () => {
    const store = open();
    const changes: ViewChange[] = [];
    for (let i = 0; i < 500; i++) {
      changes.push({
        kind: 'put',
        collection: 'tasks',
        doc: { id: `t${i}`, position: 1, department: `d${i % 10}`, status: i % 3 ? 'open' : 'done', dueDate: `2030-01-${10 + (i % 20)}` },
      });
    }
    await store.commit({ projection: 'p', changes, position: 1 });
    const query = { where: { department: 'd3', status: 'open' }, orderBy: [{ field: 'dueDate' }] };
    expect(queryPlan(store, 'tasks', query).join('\n')).not.toMatch(/USING (COVERING )?INDEX/);
    await store.ensureIndexes('tasks', [['department', 'status', 'dueDate']]);
    const plan = queryPlan(store, 'tasks', query).join('\n');
    expect(plan).toMatch(/USING INDEX "?cx_tasks:department,status,dueDate/);
    expect(plan).not.toMatch(/TEMP B-TREE/); // the index also gives the order
    const found = await store.find<ViewDocument & { dueDate: string }>('tasks', query);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((d) => d.department === 'd3' && d.status === 'open')).toBe(true);
    expect(found.map((d) => d.dueDate)).toEqual([...found.map((d) => d.dueDate)].sort());
  });

  it("updates a document's field columns as its fields change, one field or several at a time", async () => {
    const store = open();
    await store.ensureIndexes('tasks', [['department', 'status'], ['dueDate'], ['meta.level']]);
    type Task = ViewDocument & { department: string; status: string; dueDate?: string; meta?: { level: number } };
    const docs = new Map<string, Task>();
    for (let i = 0; i < 30; i++)
      docs.set(`t${i}`, { id: `t${i}`, position: 1, department: `d${i % 3}`, status: 'open', dueDate: '2030-01-01', meta: { level: 1 } });
    let position = 1;
    const commit = async (changed: Task[]) => {
      position += 1;
      for (const doc of changed) docs.set(doc.id, { ...doc, position });
      await store.commit({ projection: 'p', changes: changed.map((doc) => ({ kind: 'put', collection: 'tasks', doc: { ...doc, position } })), position });
    };
    const expectFinds = async () => {
      const all = [...docs.values()];
      const check = async (where: Record<string, string | number>, match: (doc: Task) => boolean) =>
        expect(ids(await store.find('tasks', { where, orderBy: [{ field: 'id' }] }))).toEqual(
          all
            .filter(match)
            .map((doc) => doc.id)
            .sort(),
        );
      for (const department of ['d0', 'd1', 'd2']) {
        for (const status of ['open', 'done', 'blocked']) await check({ department, status }, (d) => d.department === department && d.status === status);
      }
      await check({ dueDate: '2030-01-01' }, (d) => d.dueDate === '2030-01-01');
      await check({ dueDate: '2031-06-01' }, (d) => d.dueDate === '2031-06-01');
      await check({ 'meta.level': 2 }, (d) => d.meta?.level === 2);
      expect(await store.get<Task>('tasks', 't7')).toEqual(docs.get('t7'));
    };
    await commit([...docs.values()]);
    await expectFinds();
    // Nothing indexed changes (only the document), then one field, then several, then a field goes away.
    await commit([{ ...docs.get('t1')!, note: 'x' } as Task]);
    await commit([
      { ...docs.get('t2')!, status: 'done' },
      { ...docs.get('t3')!, status: 'blocked' },
    ]);
    await expectFinds();
    await commit([
      { ...docs.get('t4')!, department: 'd2', status: 'done', dueDate: '2031-06-01' },
      { ...docs.get('t5')!, meta: { level: 2 } },
    ]);
    await expectFinds();
    const { dueDate: _dropped, ...withoutDue } = docs.get('t6')!;
    await commit([withoutDue as Task, { ...docs.get('t7')!, status: 'open', meta: { level: 2 } }]);
    await expectFinds();
    expect(await store.find('tasks', { where: { dueDate: null } })).toEqual([docs.get('t6')]);
  });

  describe('indexed fields have columns of their own', () => {
    const weird = {
      str: 'open',
      unicode: 'é ✓ "quoted" \\ back\nline \u2028',
      int: 42,
      negative: -7,
      zero: -0,
      real: 1.5,
      tiny: 5e-324,
      big: 2 ** 60,
      huge: 1e20,
      hugest: 1e21,
      int64edge: 2 ** 63,
      yes: true,
      no: false,
      nil: null,
      nan: Number.NaN,
      infinite: Number.POSITIVE_INFINITY,
      undef: undefined,
      fn: () => 1,
      date: new Date(Date.UTC(2030, 0, 2, 3, 4, 5)),
      obj: { b: 'x"y', c: [1, 2.5, null, true, { d: 'é' }], e: {} },
      arr: ['a', 1, false, null, [2]],
      wrapped: Object(7) as unknown,
      nested: { a: { b: 3, s: 'deep' }, list: [{ b: 1 }] },
      '0': 'digit key',
    };
    const fields = [...Object.keys(weird), 'missing', 'nested.a', 'nested.a.b', 'nested.a.s', 'nested.list.b', 'nested.x.y', 'str.length', 'arr.0', 'obj.c'];

    it('holds exactly what json_extract(doc, path) returns, for every JSON type', async () => {
      const store = open();
      await store.ensureIndexes(
        'weird',
        fields.map((field) => [field]),
      );
      const numbers = [0, 1, -1, 0.1, 1 / 3, 123456.789, 2 ** 53, 2 ** 53 + 2, -(2 ** 63), 2 ** 64, 1e-7, 1e300, Number.MAX_SAFE_INTEGER + 2];
      for (let i = 0; i < 300; i++) {
        const magnitude = 10 ** Math.floor(Math.random() * 40 - 10);
        numbers.push((Math.random() - 0.5) * magnitude, Math.round(Math.random() * magnitude));
      }
      const changes: ViewChange[] = [
        { kind: 'put', collection: 'weird', doc: { id: 'w', position: 1, ...weird } },
        { kind: 'put', collection: 'weird', doc: { id: 'empty', position: 1 } },
        { kind: 'put', collection: 'weird', doc: { id: 'swapped', position: 1, str: 1, int: 'text', yes: 1, nested: [1], obj: null } },
        ...numbers.map((n, i): ViewChange => ({ kind: 'put', collection: 'weird', doc: { id: `n${i}`, position: 1, int: n, nested: { a: { b: -n } } } })),
      ];
      await store.commit({ projection: 'p', changes, position: 1 });
      const db = new Database(filename, { readonly: true });
      try {
        const checks = fields.map(
          (field) => `SUM(NOT ("f:${field}" IS json_extract(doc, '$.${field}') AND typeof("f:${field}") = typeof(json_extract(doc, '$.${field}'))))`,
        );
        const mismatches = db
          .prepare(`SELECT ${checks.join(', ')} FROM "view_weird"`)
          .raw()
          .get() as number[];
        expect(Object.fromEntries(fields.map((field, i) => [field, mismatches[i]]))).toEqual(Object.fromEntries(fields.map((field) => [field, 0])));
        const row = db.prepare('SELECT * FROM "view_weird" WHERE id = ?').get('w') as Record<string, unknown>;
        expect(row).toMatchObject({
          'f:str': 'open',
          'f:int': 42,
          'f:zero': 0,
          'f:real': 1.5,
          'f:yes': 1,
          'f:no': 0,
          'f:nil': null,
          'f:nan': null,
          'f:undef': null,
          'f:fn': null,
          'f:missing': null,
          'f:date': '2030-01-02T03:04:05.000Z',
          'f:wrapped': 7,
          'f:nested.a': '{"b":3,"s":"deep"}',
          'f:nested.a.b': 3,
          'f:nested.list.b': null,
          'f:str.length': null,
          'f:arr.0': null,
          'f:0': 'digit key',
        });
      } finally {
        db.close();
      }
    });

    it('finds the same with and without columns, typing strictly', async () => {
      const store = open();
      const docs: ViewDocument[] = [
        { id: 'w', position: 1, ...weird },
        { id: 'a', position: 1, str: '1', int: 1, yes: 1, nil: 'null', nested: { a: { b: '3' } } },
        { id: 'b', position: 1, str: true, int: true, yes: true, nested: { a: { b: 3.0 } } },
        { id: 'c', position: 1, str: { a: 1 }, int: 42.5, yes: false, nested: { a: null } },
        { id: 'd', position: 1, str: '{"a":1}', int: '42', yes: 0 },
        { id: 'e', position: 1 },
      ];
      const queries = [
        ...['str', 'int', 'yes', 'nil', 'missing', 'nested.a.b', 'nested.a', 'obj'].flatMap((field) =>
          [1, '1', true, false, 0, 42, '42', 3, '3', null, 'open', '{"a":1}', 'null', 42.5].map((value) => ({ where: { [field]: value } })),
        ),
        { where: { int: { in: [1, '42', true, null] } }, orderBy: [{ field: 'str' }] },
        ...fields.map((field) => ({ orderBy: [{ field, direction: 'desc' as const }] })),
        { orderBy: [{ field: 'int' }, { field: 'str', direction: 'desc' as const }], limit: 3 },
      ];
      await store.commit({ projection: 'p', changes: docs.map((doc) => ({ kind: 'put', collection: 'plain', doc })), position: 1 });
      await store.ensureIndexes(
        'columns',
        fields.map((field) => [field]),
      );
      await store.commit({ projection: 'q', changes: docs.map((doc) => ({ kind: 'put', collection: 'columns', doc })), position: 1 });
      for (const query of queries) {
        expect({ query, found: await store.find('columns', query) }).toEqual({ query, found: await store.find('plain', query) });
      }
      expect(queryPlan(store, 'columns', { where: { int: 42 } }).join('\n')).toMatch(/USING INDEX "?cx_columns:int/);
    });

    it('migrates a table of an earlier version: columns filled from the documents, column indexes instead of expression ones', async () => {
      // The schema earlier versions created: no columns, expression indexes.
      await mkdir(dirname(filename), { recursive: true });
      const db = new Database(filename);
      try {
        db.pragma('journal_mode = WAL');
        db.exec('CREATE TABLE checkpoints (projection TEXT PRIMARY KEY, position INTEGER NOT NULL) WITHOUT ROWID');
        db.exec('CREATE TABLE "view_tasks" (id TEXT PRIMARY KEY NOT NULL, doc TEXT NOT NULL, position INTEGER NOT NULL) WITHOUT ROWID');
        db.exec(`CREATE INDEX "ix_tasks:department,dueDate" ON "view_tasks" (json_extract(doc, '$.department'), json_extract(doc, '$.dueDate'))`);
        db.exec(`CREATE INDEX "ix_tasks:launchId" ON "view_tasks" (json_extract(doc, '$.launchId'))`);
        const insert = db.prepare('INSERT INTO "view_tasks" (id, doc, position) VALUES (?, ?, ?)');
        for (let i = 0; i < 300; i++) {
          const doc = {
            id: `t${String(i).padStart(3, '0')}`,
            position: i + 1,
            department: i % 7 === 0 ? null : `d${i % 5}`,
            dueDate: i % 11 === 0 ? undefined : `2030-01-${String(1 + (i % 28)).padStart(2, '0')}`,
            launchId: i % 13 === 0 ? i : `l${i % 9}`,
            done: i % 2 === 0,
          };
          insert.run(doc.id, JSON.stringify(doc), doc.position);
        }
        db.prepare('INSERT INTO checkpoints VALUES (?, ?)').run('p', 300);
      } finally {
        db.close();
      }
      const store = open();
      const queries: FindQuery[] = [
        { where: { department: 'd3' }, orderBy: [{ field: 'dueDate' }] },
        { where: { department: null }, orderBy: [{ field: 'dueDate', direction: 'desc' as const }] },
        { where: { launchId: { in: ['l1', 26, '26'] } } },
        { where: { department: { in: ['d1', 'd2'] }, done: true }, orderBy: [{ field: 'dueDate' }], limit: 5 },
        { orderBy: [{ field: 'launchId' }, { field: 'id', direction: 'desc' as const }] },
      ];
      const before = await Promise.all(queries.map((query) => store.find('tasks', query)));
      expect(queryPlan(store, 'tasks', queries[0]).join('\n')).toMatch(/USING INDEX "?ix_tasks:department,dueDate/);

      await store.ensureIndexes('tasks', [['department', 'dueDate'], ['department', 'status', 'dueDate'], ['launchId']]);

      const after = await Promise.all(queries.map((query) => store.find('tasks', query)));
      expect(after).toEqual(before);
      expect(before.every((found) => found.length > 0)).toBe(true);
      const plan = queryPlan(store, 'tasks', queries[0]).join('\n');
      expect(plan).toMatch(/USING INDEX "?cx_tasks:department,dueDate/);
      expect(plan).not.toMatch(/TEMP B-TREE/);
      expect(queryPlan(store, 'tasks', { where: { launchId: 'l1' } }).join('\n')).toMatch(/USING INDEX "?cx_tasks:launchId/);
      const check = new Database(filename, { readonly: true });
      try {
        const indexes = check
          .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'view_tasks' AND sql IS NOT NULL ORDER BY name")
          .pluck()
          .all();
        expect(indexes).toEqual(['cx_tasks:department,dueDate', 'cx_tasks:department,status,dueDate', 'cx_tasks:launchId']);
        const columns = (check.prepare('PRAGMA table_info("view_tasks")').all() as Array<{ name: string }>).map((c) => c.name);
        expect(columns).toEqual(['id', 'doc', 'position', 'f:department', 'f:dueDate', 'f:status', 'f:launchId']);
        const stale = check
          .prepare(
            `SELECT count(*) FROM "view_tasks" WHERE NOT ("f:department" IS json_extract(doc, '$.department') AND "f:dueDate" IS json_extract(doc, '$.dueDate') AND "f:launchId" IS json_extract(doc, '$.launchId') AND "f:status" IS NULL)`,
          )
          .pluck()
          .get();
        expect(stale).toBe(0);
      } finally {
        check.close();
      }
      // Writes after the migration fill the columns (the upsert was prepared again).
      await store.commit({
        projection: 'p',
        changes: [
          { kind: 'put', collection: 'tasks', doc: { id: 't001', position: 301, department: 'new', dueDate: '2031-01-01', launchId: 'l1', status: 'open' } },
        ],
        position: 301,
      });
      expect(ids(await store.find('tasks', { where: { department: 'new', status: 'open' } }))).toEqual(['t001']);
      // Declaring the indexes again changes nothing.
      await store.ensureIndexes('tasks', [['department', 'dueDate'], ['department', 'status', 'dueDate'], ['launchId']]);
      expect(await store.find('tasks', queries[0])).toEqual(after[0]);
    });

    it('a connection with statements prepared before another one added columns writes the columns too', async () => {
      const writer = open();
      const other = open();
      await writer.commit({ projection: 'p', changes: [{ kind: 'put', collection: 'late', doc: { id: 'a', position: 1, status: 'open' } }], position: 1 });
      await other.ensureIndexes('late', [['status']]);
      await writer.commit({ projection: 'p', changes: [{ kind: 'put', collection: 'late', doc: { id: 'b', position: 2, status: 'open' } }], position: 2 });
      await writer.commit({ projection: 'p', changes: [{ kind: 'put', collection: 'late', doc: { id: 'a', position: 3, status: 'done' } }], position: 3 });
      for (const store of [writer, other]) {
        expect(ids(await store.find('late', { where: { status: 'open' } }))).toEqual(['b']);
        expect(ids(await store.find('late', { where: { status: 'done' } }))).toEqual(['a']);
        expect(queryPlan(store, 'late', { where: { status: 'open' } }).join('\n')).toMatch(/USING INDEX "?cx_late:status/);
      }
    });

    it('a collection only ever committed to (undeclared) has no columns and is still found by any field', async () => {
      const store = open();
      await store.commit({ projection: 'p', changes: [{ kind: 'put', collection: 'loose', doc: { id: 'x', position: 1, n: 2 } }], position: 1 });
      const db = new Database(filename, { readonly: true });
      try {
        expect((db.prepare('PRAGMA table_info("view_loose")').all() as Array<{ name: string }>).map((c) => c.name)).toEqual(['id', 'doc', 'position']);
      } finally {
        db.close();
      }
      expect(ids(await store.find('loose', { where: { n: 2 } }))).toEqual(['x']);
    });
  });

  it('keeps the WAL from growing without bound under a steady stream of commits', async () => {
    // A passive checkpoint never finds the WAL all copied between two commits that keep coming, so
    // without the restart the WAL would hold everything written here.
    const store = new SqliteReadModelStore({ filename, checkpointIntervalMs: 100, walRestartPages: 256 });
    opened.push(store);
    const pad = 'x'.repeat(2000);
    let written = 0;
    const started = Date.now();
    for (let position = 1; Date.now() - started < 2000; position++) {
      const changes: ViewChange[] = [];
      for (let i = 0; i < 100; i++) changes.push({ kind: 'put', collection: 'docs', doc: { id: `d${position % 50}-${i}`, position, pad } });
      await store.commit({ projection: 'p', changes, position });
      written += 100 * pad.length;
      await new Promise((resolve) => setImmediate(resolve)); // as a projector reading its next batch
    }
    const { size } = await stat(`${filename}-wal`);
    expect(size).toBeLessThan(written / 4);
    expect(await store.find('docs', { where: { id: 'd1-1' } })).toHaveLength(1);
  });

  it('sees collections another connection creates after it opened', async () => {
    const reader = open();
    const writer = open();
    expect(await reader.get('late', 'x')).toBeNull();
    expect(await reader.find('late')).toEqual([]);
    await writer.commit({ projection: 'p', changes: [{ kind: 'put', collection: 'late', doc: { id: 'x', position: 1 } }], position: 1 });
    expect(await reader.get('late', 'x')).toEqual({ id: 'x', position: 1 });
    expect(await reader.find('late')).toHaveLength(1);
    expect(await reader.checkpoint('p')).toBe(1);
  });

  describe('storage faults surface as ReadModelStoreUnavailableError', () => {
    it('when the folder cannot be created (a file is in the way)', async () => {
      await writeFile(join(dir, 'a'), 'not a folder');
      expect(() => open()).toThrow(ReadModelStoreUnavailableError);
    });

    it('when the path is a folder', async () => {
      await mkdir(filename, { recursive: true });
      expect(() => open()).toThrow(ReadModelStoreUnavailableError);
    });

    it('when the file is not a database', async () => {
      await mkdir(dirname(filename), { recursive: true });
      await writeFile(filename, Buffer.alloc(8192, 'garbage!'));
      expect(() => open()).toThrow(ReadModelStoreUnavailableError);
    });

    it('when another connection holds the write lock past the busy timeout', async () => {
      const store = new SqliteReadModelStore({ filename, busyTimeoutMs: 50 });
      opened.push(store);
      await store.commit({ projection: 'p', changes: [], position: 1 });
      const locker = new Database(filename);
      try {
        locker.exec('BEGIN IMMEDIATE');
        const error = await store.commit({ projection: 'p', changes: [], position: 2 }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ReadModelStoreUnavailableError);
        expect((error as Error).cause).toBeDefined();
        locker.exec('ROLLBACK');
      } finally {
        locker.close();
      }
      await store.commit({ projection: 'p', changes: [], position: 2 });
      expect(await store.checkpoint('p')).toBe(2);
    });
  });

  it('rejects malformed batches and queries before touching the data', async () => {
    const store = open();
    const bad = [
      { projection: '', changes: [], position: 1 },
      { projection: 'p', changes: [], position: -1 },
      { projection: 'p', changes: [], position: 1.5 },
      { projection: 'p', changes: [{ kind: 'put', collection: 'c', doc: { position: 1 } }], position: 1 },
      { projection: 'p', changes: [{ kind: 'put', collection: 'c', doc: { id: 'x' } }], position: 1 },
      { projection: 'p', changes: [{ kind: 'upsert', collection: 'c', id: 'x' }], position: 1 },
    ];
    for (const batch of bad) {
      await expect(store.commit(batch as never)).rejects.toThrow(TypeError);
    }
    expect(await store.checkpoint('p')).toBe(0);
    await expect(store.find('c', { limit: -1 })).rejects.toThrow(TypeError);
    await expect(store.find('c', { where: { a: { gt: 1 } as never } })).rejects.toThrow(TypeError);
    await expect(store.find('c', { where: { a: Number.NaN } })).rejects.toThrow(TypeError);
    await expect(store.find('c', { orderBy: [{ field: 'a', direction: 'sideways' as never }] })).rejects.toThrow(TypeError);
  });

  it('commits a large batch quickly (one transaction)', async () => {
    const store = open();
    await store.ensureIndexes('docs', [['group'], ['group', 'n']]);
    const changes: ViewChange[] = [];
    for (let i = 0; i < 50_000; i++) {
      changes.push({ kind: 'put', collection: 'docs', doc: { id: `d${i}`, position: 1, group: `g${i % 100}`, n: i, tags: ['a', 'b'] } });
    }
    const started = performance.now();
    await store.commit({ projection: 'p', changes, position: 1 });
    const elapsed = performance.now() - started;
    expect(await store.find('docs', { where: { group: 'g7' } })).toHaveLength(500);
    expect(elapsed).toBeLessThan(5000);
  });

  it('leaves all of a batch or none of it when the process is killed mid-commit', async () => {
    // A child process runs the adapter from its sources (through the TypeScript module hooks jest's
    // worker threads use), and is killed -9 while it commits big batches; then every document must
    // be from the batch of the stored checkpoint.
    const build = join(dir, 'build');
    await mkdir(build, { recursive: true });
    const loader = process.env.TYPESCRIPT_WORKER_LOADER!;
    const adapter = new URL('./sqlite-read-model-store.ts', import.meta.url).href;
    const docs = 5000;
    await writeFile(
      join(build, 'child.mjs'),
      `
      import { register } from 'node:module';
      register(${JSON.stringify(loader)});
      const { SqliteReadModelStore } = await import(${JSON.stringify(adapter)});
      const store = new SqliteReadModelStore({ filename: ${JSON.stringify(filename)} });
      const pad = 'x'.repeat(300);
      for (let position = 1; ; position++) {
        const changes = [];
        for (let i = 0; i < ${docs}; i++) {
          changes.push({ kind: 'put', collection: 'docs', doc: { id: 'd' + i, position, batch: position, pad } });
        }
        await store.commit({ projection: 'p', changes, position });
        if (position === 2) process.stdout.write('committing\\n');
      }
      `,
    );
    const child = spawn(process.execPath, [join(build, 'child.mjs')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', () => resolve());
      child.on('exit', (code) => reject(new Error(`child exited early (${code}): ${stderr}`)));
    });
    await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 200));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    const store = open();
    const checkpoint = await store.checkpoint('p');
    expect(checkpoint).toBeGreaterThanOrEqual(2);
    const all = await store.find<ViewDocument & { batch: number }>('docs');
    expect(all).toHaveLength(docs);
    const batches = new Set(all.map((doc) => doc.batch));
    expect([...batches]).toEqual([checkpoint]);
  });
});

/**
 * SQLite's query plan for the SQL `store.find` runs, on the store's own connection with the columns
 * its schema cache knows: which index answers the find on that connection.
 */
function queryPlan(store: SqliteReadModelStore, collection: string, query: FindQuery = {}): string[] {
  const { db, schema } = store as unknown as { db: Database.Database; schema: SchemaCache };
  schema.sync();
  const statements = schema.forRead(collection);
  if (!statements) return [];
  const params: unknown[] = [];
  const sql = buildFind(collection, statements.columns, query, params);
  return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as Array<{ detail: string }>).map((row) => row.detail);
}
