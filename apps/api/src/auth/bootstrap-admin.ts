import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PrincipalStore } from './principal.js';
import { generateToken, hashToken } from './tokens.js';

export interface BootstrapResult {
  /** The generated token, when one was generated (to print once). */
  generatedToken?: string;
  tokenFile?: string;
}

/**
 * Makes sure an admin can sign in: `ADMIN_TOKEN` becomes (or stays) an admin's token; without it,
 * a first start with no principals generates one, prints it once and writes it to DATA_DIR/admin-token.
 */
export async function bootstrapAdmin(store: PrincipalStore, options: { adminToken?: string; dataDir: string }): Promise<BootstrapResult> {
  const now = new Date().toISOString();
  if (options.adminToken) {
    const tokenHash = hashToken(options.adminToken);
    if (!(await store.findByTokenHash(tokenHash))) {
      await store.add({ id: randomUUID(), name: 'bootstrap admin', role: 'admin', tokenHash, createdAt: now });
    }
    return {};
  }
  if ((await store.count()) > 0) return {};
  const token = generateToken();
  await store.add({ id: randomUUID(), name: 'bootstrap admin', role: 'admin', tokenHash: hashToken(token), createdAt: now });
  mkdirSync(options.dataDir, { recursive: true });
  const tokenFile = join(options.dataDir, 'admin-token');
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
  chmodSync(tokenFile, 0o600);
  return { generatedToken: token, tokenFile };
}
