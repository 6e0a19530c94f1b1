import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits, URL-safe, with a prefix that secret scanners can recognise. */
export function generateToken(): string {
  return `lc_${randomBytes(32).toString('base64url')}`;
}

/** Tokens carry 256 bits of entropy, so one SHA-256 suffices (no slow hash needed against guessing). */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
