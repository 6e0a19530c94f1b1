import { describe, expect, it } from '@jest/globals';
import type { StoredPrincipal } from '../auth/principal.js';
import {
  fromIdempotentAnswerDocument,
  fromPrincipalDocument,
  idempotencyKeyId,
  toIdempotentAnswerDocument,
  toPrincipalDocument,
  withoutTokenHash,
} from './mongo-access-mapping.js';

const department: StoredPrincipal = {
  id: 'p1',
  name: 'Sam',
  role: 'department',
  department: 'sales',
  tokenHash: 'h1',
  createdAt: '2026-11-21T10:00:00.000Z',
  revokedAt: '2026-11-22T10:00:00.000Z',
};
const admin: StoredPrincipal = { id: 'p2', name: 'Ada', role: 'admin', tokenHash: 'h2', createdAt: '2026-11-21T10:00:00.000Z' };

describe('principals as MongoDB documents', () => {
  it('round-trips, keeping the id as _id and leaving absent fields out', () => {
    expect(toPrincipalDocument(department)).toEqual({
      _id: 'p1',
      name: 'Sam',
      role: 'department',
      department: 'sales',
      tokenHash: 'h1',
      createdAt: '2026-11-21T10:00:00.000Z',
      revokedAt: '2026-11-22T10:00:00.000Z',
    });
    expect(toPrincipalDocument(admin)).toEqual({ _id: 'p2', name: 'Ada', role: 'admin', tokenHash: 'h2', createdAt: '2026-11-21T10:00:00.000Z' });
    expect(fromPrincipalDocument(toPrincipalDocument(department))).toEqual(department);
    expect(fromPrincipalDocument(toPrincipalDocument(admin))).toEqual(admin);
  });

  it('never hands out the token hash where a public principal is asked for', () => {
    expect(withoutTokenHash(admin)).not.toHaveProperty('tokenHash');
  });
});

describe('idempotent answers as MongoDB documents', () => {
  it('keys them by principal and key, in a fixed field order, and keeps the answer as JSON text', () => {
    const answer = { status: 201, body: { launchId: 'L', $weird: { 'a.b': 1 } }, headers: { etag: '"0"' } };
    const doc = toIdempotentAnswerDocument('p1', 'k-1', answer, new Date('2026-11-22T00:00:00Z'));
    expect(Object.keys(doc._id)).toEqual(['principalId', 'key']);
    expect(doc._id).toEqual(idempotencyKeyId('p1', 'k-1'));
    expect(typeof doc.answer).toBe('string');
    expect(fromIdempotentAnswerDocument(doc)).toEqual(answer);
  });
});
