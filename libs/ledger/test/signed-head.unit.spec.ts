import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { eventLeafHash, eventMac, hasValidMac, macKeyOf, MAC_FIELD, type LedgerEvent } from '../src/event-authentication.js';
import { keyIdOf, publicKeyDocument, publicKeyFrom, signHead, verifyHead } from '../src/signed-head.js';

const keys = () => generateKeyPairSync('ed25519');

describe('signed tree heads', () => {
  const { privateKey, publicKey } = keys();
  const head = signHead({ treeSize: 3, rootHash: 'ab'.repeat(32), timestamp: '2026-12-05T11:00:00.000Z', keyId: keyIdOf(publicKey) }, privateKey);

  it('verify with the public key, also as GET /v1/ledger/key gives it', () => {
    expect(verifyHead(head, publicKey)).toBe(true);
    expect(verifyHead(head, publicKeyFrom(publicKeyDocument(publicKey)))).toBe(true);
  });

  it.each([
    ['treeSize', { treeSize: 2 }],
    ['rootHash', { rootHash: 'cd'.repeat(32) }],
    ['timestamp', { timestamp: '2026-12-05T11:00:01.000Z' }],
  ])('fail once the %s is changed', (_field, change) => {
    expect(verifyHead({ ...head, ...change }, publicKey)).toBe(false);
  });

  it('fail under another key', () => {
    expect(verifyHead(head, keys().publicKey)).toBe(false);
  });
});

describe('event MACs', () => {
  const macKey = macKeyOf(keys().privateKey);
  const event: LedgerEvent = {
    streamId: 'launch-1',
    revision: 4,
    eventId: 'e-1',
    type: 'ReleaseApproved',
    data: { taskId: 't', details: { version: '1.0' } },
    metadata: { actor: { id: 'p-1', name: 'Ana' }, prevHash: '0'.repeat(64) },
  };
  const sealed = { ...event, metadata: { ...event.metadata, [MAC_FIELD]: eventMac(macKey, event), hash: 'f'.repeat(64) } };

  it('authenticate what the key sealed, whatever the hash field says', () => {
    expect(hasValidMac(macKey, sealed)).toBe(true);
  });

  it('refuse a changed actor, revision, link, a missing MAC or another key', () => {
    expect(hasValidMac(macKey, { ...sealed, metadata: { ...sealed.metadata, actor: { id: 'p-2', name: 'Ana' } } })).toBe(false);
    expect(hasValidMac(macKey, { ...sealed, revision: 5 })).toBe(false);
    expect(hasValidMac(macKey, { ...sealed, metadata: { ...sealed.metadata, prevHash: '1'.repeat(64) } })).toBe(false);
    expect(hasValidMac(macKey, event)).toBe(false);
    expect(hasValidMac(macKeyOf(keys().privateKey), sealed)).toBe(false);
  });

  it('give leaves that change with any stored byte, key order aside', () => {
    const reordered = { ...sealed, data: { details: { version: '1.0' }, taskId: 't' } };
    expect(eventLeafHash(reordered)).toEqual(eventLeafHash(sealed));
    expect(eventLeafHash({ ...sealed, metadata: { ...sealed.metadata, hash: 'e'.repeat(64) } })).not.toEqual(eventLeafHash(sealed));
  });
});
