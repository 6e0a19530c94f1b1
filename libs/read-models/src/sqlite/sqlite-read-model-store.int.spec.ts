import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { transform } from '@swc/core';
import { ReadModelStoreUnavailableError, type ViewChange, type ViewDocument } from '../read-model-store.port.js';
import { SqliteReadModelStore } from './sqlite-read-model-store.js';

const here = dirname(fileURLToPath(import.meta.url));

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

  it('answers an indexed find from its expression index', async () => {
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
    expect(store.explainFind('tasks', query).join('\n')).not.toMatch(/USING (COVERING )?INDEX/);
    await store.ensureIndexes('tasks', [['department', 'status', 'dueDate']]);
    const plan = store.explainFind('tasks', query).join('\n');
    expect(plan).toMatch(/USING INDEX "?ix_tasks:department,status,dueDate/);
    expect(plan).not.toMatch(/TEMP B-TREE/); // the index also gives the order
    const found = await store.find<ViewDocument & { dueDate: string }>('tasks', query);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((d) => d.department === 'd3' && d.status === 'open')).toBe(true);
    expect(found.map((d) => d.dueDate)).toEqual([...found.map((d) => d.dueDate)].sort());
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
    // Compile the adapter to plain JS so a child process can run it, then kill -9 it while it
    // commits big batches, and check every document is from the batch of the stored checkpoint.
    const build = join(dir, 'build');
    const sources = ['names.ts', 'read-model-store.port.ts', 'input-checks.ts', 'sqlite/sqlite-read-model-store.ts'];
    const betterSqlite = createRequire(import.meta.url).resolve('better-sqlite3');
    for (const source of sources) {
      const code = await readFile(join(here, '..', source), 'utf8');
      const output = await transform(code, {
        filename: source,
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'es6' },
      });
      const target = join(build, source.replace(/\.ts$/, '.js'));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, output.code.replace(/(['"])better-sqlite3\1/g, JSON.stringify(betterSqlite)));
    }
    const docs = 5000;
    await writeFile(
      join(build, 'child.mjs'),
      `
      import { SqliteReadModelStore } from './sqlite/sqlite-read-model-store.js';
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
