import type { IdempotentAnswer } from '../auth/idempotency.js';
import type { BootstrapOrigin, Principal, StoredPrincipal } from '../auth/principal.js';

/** Principals in MongoDB: `{ _id: id, name, role, department?, tokenHash, createdAt, revokedAt?, bootstrap? }`. */
export const PRINCIPALS_COLLECTION = 'principals';
/** First answers to idempotent commands: `{ _id: { principalId, key }, answer (JSON text), createdAt }`. */
export const IDEMPOTENT_ANSWERS_COLLECTION = 'idempotent_answers';

export interface PrincipalDocument {
  _id: string;
  name: string;
  role: Principal['role'];
  department?: string;
  tokenHash: string;
  createdAt: string;
  revokedAt?: string;
  bootstrap?: BootstrapOrigin;
}

export interface IdempotentAnswerDocument {
  _id: { principalId: string; key: string };
  /** The answer as JSON text: its body may hold any keys, even ones MongoDB treats specially. */
  answer: string;
  createdAt: Date;
}

export function toPrincipalDocument(p: StoredPrincipal): PrincipalDocument {
  return {
    _id: p.id,
    name: p.name,
    role: p.role,
    ...(p.department && { department: p.department }),
    tokenHash: p.tokenHash,
    createdAt: p.createdAt,
    ...(p.revokedAt && { revokedAt: p.revokedAt }),
    ...(p.bootstrap && { bootstrap: p.bootstrap }),
  };
}

export function fromPrincipalDocument(doc: PrincipalDocument): StoredPrincipal {
  return {
    id: doc._id,
    name: doc.name,
    role: doc.role,
    ...(doc.department && { department: doc.department as Principal['department'] }),
    tokenHash: doc.tokenHash,
    createdAt: doc.createdAt,
    ...(doc.revokedAt && { revokedAt: doc.revokedAt }),
    ...(doc.bootstrap && { bootstrap: doc.bootstrap }),
  };
}

export const withoutTokenHash = ({ tokenHash: _hash, bootstrap: _origin, ...principal }: StoredPrincipal): Principal => principal;

/** The `_id` of an idempotent answer; the field order is fixed, since MongoDB compares embedded documents field by field. */
export const idempotencyKeyId = (principalId: string, key: string): IdempotentAnswerDocument['_id'] => ({ principalId, key });

export function toIdempotentAnswerDocument(principalId: string, key: string, answer: IdempotentAnswer, now: Date): IdempotentAnswerDocument {
  return { _id: idempotencyKeyId(principalId, key), answer: JSON.stringify(answer), createdAt: now };
}

export const fromIdempotentAnswerDocument = (doc: Pick<IdempotentAnswerDocument, 'answer'>): IdempotentAnswer => JSON.parse(doc.answer) as IdempotentAnswer;
