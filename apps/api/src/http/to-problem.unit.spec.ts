import { describe, expect, it } from '@jest/globals';
import { EventStoreUnavailableError, StoreUnavailableError } from '#event-store';
import { ReadModelStoreUnavailableError } from '#read-models';
import { MongoUnavailableError } from '#mongo';
import { LedgerStoreUnavailableError } from '#platform';
import { AccessStoreUnavailableError } from '../infrastructure/mongo-access-stores.js';
import { SessionStoreUnavailableError } from '../oidc/session-store.js';
import { WebhookStoreUnavailableError } from '../webhooks/storage/mongo-webhook-store.js';
import { toProblem } from './to-problem.js';

const sqliteError = (code: string): Error => Object.assign(new Error(`${code}: failed`), { code });

describe('toProblem: an unavailable store', () => {
  it('answers 503 with Retry-After for every store-unavailable error', () => {
    const errors = [
      new StoreUnavailableError('down'),
      new EventStoreUnavailableError('disk full'),
      new ReadModelStoreUnavailableError('read-only'),
      new MongoUnavailableError('no primary'),
      new AccessStoreUnavailableError('principals down'),
      new WebhookStoreUnavailableError('webhooks down'),
      new SessionStoreUnavailableError('sessions: no primary'),
      new LedgerStoreUnavailableError('MongoDB cannot read the ledger: no primary'),
    ];
    for (const error of errors) {
      const { problem, headers, unexpected } = toProblem(error);
      expect([error.name, problem.status, headers['Retry-After'], unexpected]).toEqual([error.name, 503, '1', false]);
      expect(problem.detail).toContain(error.message);
    }
  });

  it('answers 503 for a raw SQLite storage fault of a store beside the event log, 500 for any other SQLite error', () => {
    for (const code of ['SQLITE_FULL', 'SQLITE_IOERR_FSYNC', 'SQLITE_NOMEM', 'SQLITE_AUTH', 'SQLITE_BUSY']) {
      expect([code, toProblem(sqliteError(code)).problem.status]).toEqual([code, 503]);
    }
    const constraint = toProblem(sqliteError('SQLITE_CONSTRAINT_UNIQUE'));
    expect([constraint.problem.status, constraint.unexpected]).toEqual([500, true]);
  });

  it('does not take an error for an unavailable store by its name alone', () => {
    const lookalike = Object.assign(new Error('not a store'), { name: 'SomethingUnavailableError' });
    expect(toProblem(lookalike).problem.status).toBe(500);
  });
});
