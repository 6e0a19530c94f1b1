import { describe, expect, it } from '@jest/globals';
import { MongoNetworkError, MongoNotConnectedError, MongoServerError, MongoTopologyClosedError } from 'mongodb';
import { bulkWriteErrors, isDuplicateKey, isMongoUnavailable, MongoUnavailableError } from './mongo-errors.js';

describe('MongoDB errors', () => {
  it('reads connection, topology and node-state errors as "unavailable"', () => {
    expect(isMongoUnavailable(new MongoNetworkError('connect ECONNREFUSED 127.0.0.1:1'))).toBe(true);
    expect(isMongoUnavailable(new MongoTopologyClosedError())).toBe(true);
    expect(isMongoUnavailable(new MongoNotConnectedError('not connected'))).toBe(true);
    expect(isMongoUnavailable(new MongoUnavailableError('down'))).toBe(true);
    expect(isMongoUnavailable({ name: 'MongoServerSelectionError', message: 'timed out' })).toBe(true);
    expect(isMongoUnavailable(new MongoServerError({ message: 'not primary', code: 10107 }))).toBe(true);
    expect(isMongoUnavailable(new MongoServerError({ message: 'disk', code: 14031 }))).toBe(true);
  });

  it('leaves request errors alone', () => {
    expect(isMongoUnavailable(new MongoServerError({ message: 'E11000 duplicate key', code: 11000 }))).toBe(false);
    expect(isMongoUnavailable(new MongoServerError({ message: 'bad query', code: 2 }))).toBe(false);
    expect(isMongoUnavailable(new TypeError('x'))).toBe(false);
    expect(isMongoUnavailable({ name: 'Error', code: 6 })).toBe(false);
    expect(isMongoUnavailable(null)).toBe(false);
  });

  it('recognises a duplicate key and the write errors of an unordered bulk write', () => {
    expect(isDuplicateKey(new MongoServerError({ message: 'E11000', code: 11000 }))).toBe(true);
    expect(isDuplicateKey(new MongoServerError({ message: 'x', code: 2 }))).toBe(false);
    expect(bulkWriteErrors({ name: 'MongoBulkWriteError', writeErrors: [{ index: 2, code: 11000, errmsg: 'E11000' }] })).toEqual([
      { index: 2, code: 11000, message: 'E11000' },
    ]);
    expect(bulkWriteErrors({ name: 'MongoBulkWriteError', writeErrors: { index: 0, code: 121, errmsg: 'invalid' } })).toEqual([
      { index: 0, code: 121, message: 'invalid' },
    ]);
    expect(bulkWriteErrors(new Error('x'))).toBeNull();
  });
});
