import { describe, expect, it } from '@jest/globals';
import { EventStoreUnavailableError } from './event-store.port.js';
import { isSqliteFault, isStorageFault, SQLITE_FAULT_CODES, StoreUnavailableError } from './storage-faults.js';

const sqliteError = (code: string): Error => Object.assign(new Error(`${code}: failed`), { code });

describe('storage faults', () => {
  it('counts every listed SQLite code, and its extended codes, as a fault of the storage', () => {
    for (const code of SQLITE_FAULT_CODES) {
      expect([code, isStorageFault(sqliteError(code)), isSqliteFault(sqliteError(code))]).toEqual([code, true, true]);
      expect([code, isStorageFault(sqliteError(`${code}_SOMETHING`))]).toEqual([code, true]);
    }
    // the codes the three earlier lists disagreed on
    for (const code of ['SQLITE_NOMEM', 'SQLITE_AUTH', 'SQLITE_IOERR_FSYNC']) expect(isSqliteFault(sqliteError(code))).toBe(true);
  });

  it('does not count a problem of the request (a constraint, a syntax error, a mismatch) as one', () => {
    for (const code of ['SQLITE_CONSTRAINT', 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_ERROR', 'SQLITE_MISMATCH', 'SQLITE_RANGE']) {
      expect([code, isStorageFault(sqliteError(code)), isSqliteFault(sqliteError(code))]).toEqual([code, false, false]);
    }
    expect(isStorageFault(new RangeError('bad revision'))).toBe(false);
    expect(isStorageFault(Object.assign(new Error('no'), { code: 'ERR_INVALID_ARG_TYPE' }))).toBe(false);
    expect(isStorageFault(undefined)).toBe(false);
  });

  it('counts system errors (the folder or file cannot be made or opened) and a closed connection', () => {
    expect(isStorageFault(Object.assign(new Error('ENOTDIR: not a directory'), { code: 'ENOTDIR', syscall: 'mkdir' }))).toBe(true);
    expect(isStorageFault(Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' }))).toBe(true);
    expect(isStorageFault(new TypeError('The database connection is not open'))).toBe(true);
    expect(isSqliteFault(Object.assign(new Error('ENOSPC'), { code: 'ENOSPC' }))).toBe(false);
  });

  it('makes every store-unavailable error one StoreUnavailableError, keeping its own name', () => {
    const error = new EventStoreUnavailableError('disk full');
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(error.name).toBe('EventStoreUnavailableError');
    expect(isStorageFault(error)).toBe(true);
    expect(new StoreUnavailableError('down').name).toBe('StoreUnavailableError');
  });
});
