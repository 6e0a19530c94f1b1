import { describe, expect, it } from '@jest/globals';
import { InvalidReadModelNameError, type ProjectionBatch } from '../read-model-store.port.js';
import { checkpointUpdate, lastChanges, planCommit, viewCollectionName } from './commit-plan.js';
import { fromStoredView, toStoredView } from './stored-view.js';

const batch: ProjectionBatch = {
  projection: 'launch-views',
  position: 42,
  changes: [
    { kind: 'put', collection: 'tasks', doc: { id: 'a', position: 40, status: 'first' } },
    { kind: 'put', collection: 'launches', doc: { id: 'L', position: 41, name: 'Aurora' } },
    { kind: 'put', collection: 'tasks', doc: { id: 'a', position: 42, status: 'second' } },
    { kind: 'delete', collection: 'tasks', id: 'b' },
    { kind: 'put', collection: 'tasks', doc: { id: 'b', position: 42, status: 'back' } },
    { kind: 'put', collection: 'tasks', doc: { id: 'c', position: 39 } },
    { kind: 'delete', collection: 'tasks', id: 'c' },
  ],
};

describe('view documents as stored in MongoDB', () => {
  it('keeps the id as _id and gives back the document whole, as JSON holds it', () => {
    const doc = { id: 't1', position: 7, nested: { list: [1, 'two'], none: null }, gone: undefined, when: new Date('2030-01-01T00:00:00Z') };
    const stored = toStoredView('tasks', doc);
    expect(stored).toEqual({ _id: 't1', position: 7, nested: { list: [1, 'two'], none: null }, when: '2030-01-01T00:00:00.000Z' });
    expect(fromStoredView(stored)).toEqual({ id: 't1', position: 7, nested: { list: [1, 'two'], none: null }, when: '2030-01-01T00:00:00.000Z' });
  });

  it('refuses a document JSON cannot hold, and one with its own _id', () => {
    const circular: Record<string, unknown> = { id: 'x', position: 1 };
    circular.self = circular;
    expect(() => toStoredView('tasks', circular as never)).toThrow(TypeError);
    expect(() => toStoredView('tasks', { id: 'x', position: 1, _id: 'y' })).toThrow(/reserved/);
  });
});

describe('planning a commit', () => {
  it('keeps only the last change of each document', () => {
    const last = lastChanges(batch.changes);
    expect([...last.keys()]).toEqual(['tasks', 'launches']);
    expect([...last.get('tasks')!.values()].map((c) => (c.kind === 'put' ? `put ${c.doc.id} ${String(c.doc.status)}` : `delete ${c.id}`))).toEqual([
      'put a second',
      'put b back',
      'delete c',
    ]);
  });

  it('guarded: a put replaces only an older document (else upserts); a delete spares a newer one', () => {
    const plan = planCommit(batch, 'guarded');
    expect(plan.map((w) => viewCollectionName(w.collection))).toEqual(['view_tasks', 'view_launches']);
    expect(plan[0]!.operations).toEqual([
      { replaceOne: { filter: { _id: 'a', position: { $lt: 42 } }, replacement: { _id: 'a', position: 42, status: 'second' }, upsert: true } },
      { replaceOne: { filter: { _id: 'b', position: { $lt: 42 } }, replacement: { _id: 'b', position: 42, status: 'back' }, upsert: true } },
      { deleteOne: { filter: { _id: 'c', position: { $lte: 42 } } } },
    ]);
    expect(plan[0]!.puts).toEqual([true, true, false]);
    expect(plan[1]!.operations).toEqual([
      { replaceOne: { filter: { _id: 'L', position: { $lt: 41 } }, replacement: { _id: 'L', position: 41, name: 'Aurora' }, upsert: true } },
    ]);
  });

  it('transactional: plain writes by _id (the transaction checks the checkpoint)', () => {
    const [tasks] = planCommit(batch, 'transactional');
    expect(tasks!.operations.map((op) => ('replaceOne' in op ? op.replaceOne.filter : 'deleteOne' in op ? op.deleteOne.filter : null))).toEqual([
      { _id: 'a' },
      { _id: 'b' },
      { _id: 'c' },
    ]);
  });

  it('fails before writing anything when one document cannot be stored or a name is unsafe', () => {
    const circular: Record<string, unknown> = { id: 'z', position: 1 };
    circular.self = circular;
    expect(() => planCommit({ ...batch, changes: [...batch.changes, { kind: 'put', collection: 'tasks', doc: circular as never }] }, 'guarded')).toThrow(
      TypeError,
    );
    expect(() => planCommit({ ...batch, changes: [{ kind: 'delete', collection: 'system.users', id: 'x' }] }, 'guarded')).toThrow(InvalidReadModelNameError);
    expect(() => planCommit({ ...batch, position: -1 }, 'guarded')).toThrow(TypeError);
  });

  it('moves the checkpoint with $max, so it never goes back', () => {
    expect(checkpointUpdate(batch)).toEqual({ filter: { _id: 'launch-views' }, update: { $max: { position: 42 } } });
  });
});
