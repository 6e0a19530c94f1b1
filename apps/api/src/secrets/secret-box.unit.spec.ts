import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { SecretBox, SecretKeyMissing } from './secret-box.js';

const box = (id = 'k1', key = randomBytes(32)) => new SecretBox(() => ({ id, key }));

describe('SecretBox (AES-256-GCM)', () => {
  it('opens what it sealed; the sealed form names the key and shows nothing of the secret', () => {
    const secrets = box();
    const sealed = secrets.seal('whsec-0123456789abcdef', 'webhook-secret:w1');
    expect(sealed.keyId).toBe('k1');
    expect(sealed.sealed).not.toContain('whsec');
    expect(Buffer.from(sealed.sealed, 'base64url').toString('latin1')).not.toContain('whsec');
    expect(secrets.open(sealed, 'webhook-secret:w1')).toBe('whsec-0123456789abcdef');
  });

  it('uses a fresh IV each time: one secret sealed twice gives two different values', () => {
    const secrets = box();
    expect(secrets.seal('same secret', 'c').sealed).not.toBe(secrets.seal('same secret', 'c').sealed);
  });

  it('refuses a value moved to another record, altered, or sealed with another key', () => {
    const secrets = box();
    const sealed = secrets.seal('whsec-0123456789abcdef', 'webhook-secret:w1');
    expect(() => secrets.open(sealed, 'webhook-secret:w2')).toThrow();
    const bytes = Buffer.from(sealed.sealed, 'base64url');
    bytes[bytes.length - 1] ^= 1;
    expect(() => secrets.open({ ...sealed, sealed: bytes.toString('base64url') }, 'webhook-secret:w1')).toThrow();
    expect(() => box('k2').open(sealed, 'webhook-secret:w1')).toThrow(SecretKeyMissing);
    expect(() => box('k1').open(sealed, 'webhook-secret:w1')).toThrow(); // same id, other bytes: the tag does not match
  });

  it('reads its key only when first used', () => {
    let reads = 0;
    const lazy = new SecretBox(() => (reads++, { id: 'k', key: randomBytes(32) }));
    expect(reads).toBe(0);
    lazy.seal('a', 'c');
    lazy.seal('b', 'c');
    expect(reads).toBe(1);
  });
});
