import { createHmac } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { signatureHeader, verifySignature } from './signature.js';

const secret = 'whsec-0123456789abcdef';
const body = '{"type":"GoDecided","position":7}';
const t = 1_795_000_000;

describe('webhook signatures', () => {
  it('is HMAC-SHA256 over "<t>.<body>", so any receiver can recompute it', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(signatureHeader(secret, t, body)).toBe(`t=${t},v1=${expected}`);
  });

  it('verifies the untouched body within the tolerance', () => {
    expect(verifySignature(secret, signatureHeader(secret, t, body), body, t + 299)).toBe(true);
  });

  it('refuses another secret, a changed body, a changed timestamp, an old one, and garbage', () => {
    const header = signatureHeader(secret, t, body);
    expect(verifySignature('another-secret-0123456', header, body, t)).toBe(false);
    expect(verifySignature(secret, header, body.replace('7', '8'), t)).toBe(false);
    expect(verifySignature(secret, header.replace(`t=${t}`, `t=${t + 1}`), body, t)).toBe(false);
    expect(verifySignature(secret, header, body, t + 301)).toBe(false);
    expect(verifySignature(secret, 'v1=abc', body, t)).toBe(false);
    expect(verifySignature(secret, undefined, body, t)).toBe(false);
  });
});
