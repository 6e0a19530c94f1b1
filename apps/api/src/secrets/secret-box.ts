import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretsKey } from './secrets-key-file.js';

/** A secret as stored: AES-256-GCM ciphertext and the id of the key that sealed it. */
export interface SealedSecret {
  /** base64url of IV (12 bytes) ‖ tag (16 bytes) ‖ ciphertext. */
  sealed: string;
  keyId: string;
}

/** The stored secret names a key this process does not have (another key file, or a rotated one). */
export class SecretKeyMissing extends Error {
  constructor(keyId: string, current: string) {
    super(`the secret was sealed with key ${keyId}, this process has key ${current} (SECRETS_KEY_FILE must be the same file on every instance)`);
    this.name = 'SecretKeyMissing';
  }
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals and opens secrets with AES-256-GCM: a random IV per secret, and `context` (what the secret
 * belongs to, e.g. the webhook's id) bound as additional data, so a sealed value copied to another
 * record does not open there. The key is read on first use.
 */
export class SecretBox {
  private loaded: SecretsKey | undefined;

  constructor(private readonly loadKey: () => SecretsKey) {}

  get keyId(): string {
    return this.key().id;
  }

  seal(secret: string, context: string): SealedSecret {
    const { id, key } = this.key();
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return { sealed: Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url'), keyId: id };
  }

  open({ sealed, keyId }: SealedSecret, context: string): string {
    const { id, key } = this.key();
    if (keyId !== id) throw new SecretKeyMissing(keyId, id);
    const bytes = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }

  private key(): SecretsKey {
    this.loaded ??= this.loadKey();
    return this.loaded;
  }
}
