import { describe, expect, it } from '@jest/globals';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { chainText, eventLeafHash, eventMac, inspectEvent, macKeyOf, MAC_FIELD, type LedgerEvent } from '../src/event-authentication.js';
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

describe('event authentication', () => {
  const macKey = macKeyOf(keys().privateKey);
  const event: LedgerEvent = {
    streamId: 'launch-1',
    revision: 4,
    eventId: 'e-1',
    type: 'ReleaseApproved',
    data: { taskId: 't', details: { version: '1.0' } },
    metadata: { actor: { id: 'p-1', name: 'Ana' }, prevHash: '0'.repeat(64) },
  };
  const hash = createHash('sha256').update(chainText(event)).digest('hex');
  const sealed = { ...event, metadata: { ...event.metadata, hash, [MAC_FIELD]: eventMac(macKey, event.eventId, hash) } };
  const authenticity = (e: LedgerEvent, key = macKey) => inspectEvent(key, e).authenticity;

  it('takes what the key sealed as authentic', () => {
    expect(authenticity(sealed)).toBe('authentic');
  });

  it('calls an event altered once a field changed without its hash, unauthenticated once rehashed', () => {
    const changed = { ...sealed, metadata: { ...sealed.metadata, actor: { id: 'p-2', name: 'Ana' } } };
    expect(authenticity(changed)).toBe('altered');
    const rehashed = { ...changed, metadata: { ...changed.metadata, hash: createHash('sha256').update(chainText(changed)).digest('hex') } };
    expect(authenticity(rehashed)).toBe('unauthenticated');
    expect(authenticity({ ...sealed, eventId: 'e-2' })).toBe('unauthenticated');
  });

  it('refuses a missing MAC or another key, unless the event is adopted from before the key', () => {
    const { [MAC_FIELD]: _mac, ...unsealed } = sealed.metadata;
    expect(authenticity({ ...sealed, metadata: unsealed })).toBe('unauthenticated');
    expect(inspectEvent(macKey, { ...sealed, metadata: unsealed }, true).authenticity).toBe('authentic');
    expect(authenticity(sealed, macKeyOf(keys().privateKey))).toBe('unauthenticated');
  });

  it('gives leaves that change with any stored byte (the MAC and hash included), key order aside', () => {
    const reordered = { ...sealed, data: { details: { version: '1.0' }, taskId: 't' } };
    expect(eventLeafHash(reordered)).toEqual(eventLeafHash(sealed));
    expect(inspectEvent(macKey, sealed).leaf).toEqual(eventLeafHash(sealed));
    for (const metadata of [
      { ...sealed.metadata, hash: 'e'.repeat(64) },
      { ...sealed.metadata, [MAC_FIELD]: 'f'.repeat(64) },
      { ...sealed.metadata, note: 'x' },
    ]) {
      expect(eventLeafHash({ ...sealed, metadata })).not.toEqual(eventLeafHash(sealed));
    }
    expect(eventLeafHash({ ...sealed, eventId: 'e-9' })).not.toEqual(eventLeafHash(sealed));
  });
});
