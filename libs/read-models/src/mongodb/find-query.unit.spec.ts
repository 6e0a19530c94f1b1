import { describe, expect, it } from '@jest/globals';
import { InvalidReadModelNameError } from '../read-model-store.port.js';
import { indexKeys, toMongoFind } from './find-query.js';

const notArray = { $not: { $type: 'array' } };

describe('FindQuery → MongoDB find', () => {
  it('reads everything ordered by _id when the query is empty', () => {
    expect(toMongoFind()).toEqual({ filter: {}, sort: [['_id', 1]], empty: false });
  });

  it('maps equality, { in }, and id to _id, excluding arrays that merely contain the value', () => {
    const { filter } = toMongoFind({ where: { status: 'open', priority: { in: [1, 2] }, id: 't1', note: null } });
    expect(filter).toEqual({
      status: { $eq: 'open', ...notArray },
      priority: { $in: [1, 2], ...notArray },
      _id: { $eq: 't1', ...notArray },
      note: { $eq: null, ...notArray },
    });
    expect(toMongoFind({ where: { status: { in: [] } } }).filter).toEqual({ status: { $in: [], ...notArray } });
  });

  it('keeps the order of sort fields, even ones that look like integers, and adds _id as the tie-breaker', () => {
    expect(toMongoFind({ orderBy: [{ field: 'dueDate' }, { field: '2', direction: 'desc' }] }).sort).toEqual([
      ['dueDate', 1],
      ['2', -1],
      ['_id', 1],
    ]);
    expect(toMongoFind({ orderBy: [{ field: 'id', direction: 'desc' }] }).sort).toEqual([['_id', -1]]);
  });

  it('never sends limit 0, which MongoDB reads as "no limit": the query is empty instead', () => {
    expect(toMongoFind({ limit: 0 })).toMatchObject({ empty: true });
    expect(toMongoFind({ limit: 0 }).limit).toBeUndefined();
    expect(toMongoFind({ limit: 3 })).toMatchObject({ limit: 3, empty: false });
  });

  it('rejects what the port rejects', () => {
    expect(() => toMongoFind({ where: { $where: 'x' } })).toThrow(InvalidReadModelNameError);
    expect(() => toMongoFind({ orderBy: [{ field: 'a b' }] })).toThrow(InvalidReadModelNameError);
    expect(() => toMongoFind({ where: { _id: 'x' } })).toThrow(InvalidReadModelNameError);
    expect(() => toMongoFind({ where: { a: { $gt: 1 } as never } })).toThrow(TypeError);
    expect(() => toMongoFind({ where: { a: { in: [{}] } as never } })).toThrow(TypeError);
    expect(() => toMongoFind({ where: { a: Number.NaN } })).toThrow(TypeError);
    expect(() => toMongoFind({ orderBy: [{ field: 'a', direction: 'up' as never }] })).toThrow(TypeError);
    expect(() => toMongoFind({ limit: -1 })).toThrow(TypeError);
    expect(() => toMongoFind({ limit: 1.5 })).toThrow(TypeError);
  });
});

describe('contains and keyset paging → MongoDB filter', () => {
  it('matches any field case-insensitively with the text escaped, beside the equality filter', () => {
    expect(toMongoFind({ where: { tier: 1 }, contains: { fields: ['name', 'id'], text: 'a.b (c)' } }).filter).toEqual({
      $and: [
        { tier: { $eq: 1, ...notArray } },
        { $or: [{ name: { $regex: 'a\\.b \\(c\\)', $options: 'i' } }, { _id: { $regex: 'a\\.b \\(c\\)', $options: 'i' } }] },
      ],
    });
  });

  it('continues strictly after the sort key, null sorting first, with a range on the first key', () => {
    expect(toMongoFind({ orderBy: [{ field: 'date' }], after: ['2030-01-01', 'x'] }).filter).toEqual({
      $and: [
        {
          $and: [
            { date: { $gte: '2030-01-01' } },
            { $or: [{ date: { $gt: '2030-01-01' } }, { $and: [{ date: { $eq: '2030-01-01' } }, { _id: { $gt: 'x' } }] }] },
          ],
        },
      ],
    });
    expect(toMongoFind({ orderBy: [{ field: 'date', direction: 'desc' }], after: [null, 'x'] }).filter).toEqual({
      $and: [{ $or: [{ $and: [{ date: null }, { _id: { $gt: 'x' } }] }] }],
    });
    expect(toMongoFind({ orderBy: [{ field: 'n', direction: 'desc' }], after: [3, 'x'] }).filter).toEqual({
      $and: [{ $or: [{ $or: [{ n: { $lt: 3 } }, { n: null }] }, { $and: [{ n: { $eq: 3 } }, { _id: { $gt: 'x' } }] }] }],
    });
  });

  it('rejects an after that is not the sort key', () => {
    expect(() => toMongoFind({ orderBy: [{ field: 'a' }], after: ['only one'] })).toThrow(TypeError);
    expect(() => toMongoFind({ after: [true as never] })).toThrow(TypeError);
    expect(() => toMongoFind({ contains: { fields: ['$where'], text: 'x' } })).toThrow(InvalidReadModelNameError);
  });
});

describe('declared field sets → index keys', () => {
  it('keeps the field order and skips what _id already answers', () => {
    expect(indexKeys(['department', 'status', 'dueDate'])).toEqual([
      ['department', 1],
      ['status', 1],
      ['dueDate', 1],
    ]);
    expect(indexKeys(['launchId', 'id'])).toEqual([
      ['launchId', 1],
      ['_id', 1],
    ]);
    expect(indexKeys(['id'])).toBeNull();
    expect(indexKeys([])).toBeNull();
    expect(() => indexKeys(['a..b'])).toThrow(InvalidReadModelNameError);
  });
});
