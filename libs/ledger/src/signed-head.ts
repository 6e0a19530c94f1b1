import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

/** A signed tree head: the log's size and root at an instant, signed with the server's Ed25519 key. */
export interface SignedHead {
  treeSize: number;
  /** Hex SHA-256 tree hash (RFC 9162). */
  rootHash: string;
  /** ISO-8601 UTC instant of signing. */
  timestamp: string;
  keyId: string;
  /** Base64 Ed25519 signature over headMessage(head). */
  signature: string;
}

export type UnsignedHead = Omit<SignedHead, 'signature'>;

/** The exact bytes a head's signature covers (tools/verify-ledger.mjs builds the same). */
export function headMessage(head: UnsignedHead): Buffer {
  return Buffer.from(`launch-control/ledger/head/v1\n${head.treeSize}\n${head.rootHash}\n${head.timestamp}\n${head.keyId}`, 'utf8');
}

/** A key's id: hex SHA-256 of its SubjectPublicKeyInfo DER (also its printed fingerprint). */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

export function signHead(head: UnsignedHead, privateKey: KeyObject): SignedHead {
  return { ...head, signature: sign(null, headMessage(head), privateKey).toString('base64') };
}

/** True when the head is well formed, names this key and carries its valid signature. */
export function verifyHead(head: SignedHead, publicKey: KeyObject): boolean {
  if (!isSignedHead(head) || head.keyId !== keyIdOf(publicKey)) return false;
  try {
    return verify(null, headMessage(head), publicKey, Buffer.from(head.signature, 'base64'));
  } catch {
    return false;
  }
}

export function isSignedHead(value: unknown): value is SignedHead {
  const head = value as Partial<SignedHead> | null;
  return (
    typeof head === 'object' &&
    head !== null &&
    Number.isSafeInteger(head.treeSize) &&
    (head.treeSize as number) >= 0 &&
    typeof head.rootHash === 'string' &&
    /^[0-9a-f]{64}$/.test(head.rootHash) &&
    typeof head.timestamp === 'string' &&
    typeof head.keyId === 'string' &&
    typeof head.signature === 'string'
  );
}

/** The public key as `GET /v1/ledger/key` gives it. */
export interface PublicKeyDocument {
  keyId: string;
  algorithm: 'Ed25519';
  /** Base64 SubjectPublicKeyInfo DER. */
  publicKey: string;
}

export function publicKeyDocument(publicKey: KeyObject): PublicKeyDocument {
  return { keyId: keyIdOf(publicKey), algorithm: 'Ed25519', publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64') };
}

export function publicKeyFrom(document: PublicKeyDocument): KeyObject {
  return createPublicKey({ key: Buffer.from(document.publicKey, 'base64'), format: 'der', type: 'spki' });
}

/** The webhook event type under which signed heads are offered to witnesses. */
export const LEDGER_HEAD_SIGNED = 'LedgerHeadSigned';
