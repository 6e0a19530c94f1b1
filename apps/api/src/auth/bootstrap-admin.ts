import { createHash, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { PrincipalStore, StoredPrincipal } from './principal.js';
import { generateToken, hashToken } from './tokens.js';

/** `ADMIN_TOKEN` must be at least this long: a guessable admin token is worse than none. */
export const ADMIN_TOKEN_MIN_LENGTH = 32;
export const ADMIN_TOKEN_FILE = 'admin-token';
const TEMP_TOKEN_FILE = /^admin-token\.[0-9a-z]+\.tmp$/;

/** The configured ADMIN_TOKEN cannot be used; the start is refused with this message. */
export class AdminTokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AdminTokenError';
  }
}

export function checkAdminToken(token: string | undefined): void {
  if (token !== undefined && token.length < ADMIN_TOKEN_MIN_LENGTH) {
    throw new AdminTokenError(
      `ADMIN_TOKEN must be at least ${ADMIN_TOKEN_MIN_LENGTH} characters long (it has ${token.length}); e.g. ADMIN_TOKEN=$(openssl rand -hex 32), or leave it unset to have one generated`,
    );
  }
}

export interface BootstrapResult {
  /** The generated token, when this call generated it (to print once). */
  generatedToken?: string;
  /** DATA_DIR/admin-token, when it exists. */
  tokenFile?: string;
  /** Things the operator should read in the log (never a token). */
  notices: string[];
}

/** A UUID-shaped id derived from a name, so every process computes the same id for the same admin. */
export function principalIdFor(name: string): string {
  const hex = createHash('sha256').update(`launch-control:${name}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The admin generated on a first start: one fixed id, so processes starting together insert it once. */
export const GENERATED_ADMIN_ID = principalIdFor('generated-admin');
export const envAdminId = (tokenHash: string): string => principalIdFor(`env-admin:${tokenHash}`);

/**
 * Makes sure an admin can sign in, safely when several processes start at once on one store:
 * - `ADMIN_TOKEN` becomes an admin (id derived from its hash, inserted if absent), and the admin of
 *   an earlier, different `ADMIN_TOKEN` is revoked;
 * - without it, the first start with no principals generates one token: every racing process tries
 *   to insert the same admin id, one wins, writes DATA_DIR/admin-token (mode 0600) and prints it.
 */
export async function bootstrapAdmin(store: PrincipalStore, options: { adminToken?: string; dataDir: string }): Promise<BootstrapResult> {
  const now = new Date().toISOString();
  if (options.adminToken !== undefined) {
    checkAdminToken(options.adminToken);
    return useEnvAdmin(store, hashToken(options.adminToken), now);
  }
  mkdirSync(options.dataDir, { recursive: true });
  const tokenFile = join(options.dataDir, ADMIN_TOKEN_FILE);
  if ((await store.count()) > 0) {
    await recoverTokenFile(store, options.dataDir);
    return { ...(existsSync(tokenFile) && { tokenFile }), notices: [] };
  }
  const token = generateToken();
  // The token reaches the disk before the admin exists, so a crash right after the insert cannot lose it.
  const pending = writeSecretFile(options.dataDir, `${token}\n`);
  const admin: StoredPrincipal = {
    id: GENERATED_ADMIN_ID,
    name: 'bootstrap admin',
    role: 'admin',
    tokenHash: hashToken(token),
    createdAt: now,
    bootstrap: 'generated',
  };
  if (!(await store.addFirst(admin))) {
    unlinkSync(pending);
    return { ...(existsSync(tokenFile) && { tokenFile }), notices: [] };
  }
  publish(pending, tokenFile, options.dataDir);
  return { generatedToken: token, tokenFile, notices: [] };
}

async function useEnvAdmin(store: PrincipalStore, tokenHash: string, now: string): Promise<BootstrapResult> {
  const id = envAdminId(tokenHash);
  const added = await store.addIfAbsent({ id, name: 'bootstrap admin', role: 'admin', tokenHash, createdAt: now, bootstrap: 'env' });
  const holder = added ? null : await store.findByTokenHash(tokenHash);
  if (holder?.revokedAt) {
    // Revoked by an admin, or replaced by a newer ADMIN_TOKEN: it stays revoked, and the newer one stays.
    return { notices: [`ADMIN_TOKEN belongs to a principal revoked at ${holder.revokedAt}: it does not sign in; set a new ADMIN_TOKEN`] };
  }
  // An admin made from ADMIN_TOKEN by an earlier version carries no mark: mark it, so the next new token revokes it.
  if (holder && !holder.bootstrap && holder.role === 'admin') await store.markBootstrapAdmin(holder.id, 'env');
  const revoked = await store.revokeBootstrapAdmins('env', holder?.id ?? id, now);
  return { notices: revoked > 0 ? [`ADMIN_TOKEN changed: the admin of the previous ADMIN_TOKEN is revoked`] : [] };
}

/** Writes `content` to a new temporary file in `dir` (mode 0600, fsynced) and returns its path. */
function writeSecretFile(dir: string, content: string): string {
  const path = join(dir, `${ADMIN_TOKEN_FILE}.${process.pid.toString(36)}${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return path;
}

function publish(pending: string, tokenFile: string, dir: string): void {
  renameSync(pending, tokenFile);
  const dirFd = openSync(dir, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}

/**
 * A process killed between inserting the generated admin and renaming its token file left the
 * token in a temporary file: publish it. Temporary files holding no one's token are a loser's
 * leftovers; they are removed once old enough not to belong to a start still in progress.
 */
async function recoverTokenFile(store: PrincipalStore, dir: string): Promise<void> {
  const tokenFile = join(dir, ADMIN_TOKEN_FILE);
  for (const name of readdirSync(dir).filter((n) => TEMP_TOKEN_FILE.test(n))) {
    const path = join(dir, name);
    try {
      const holder = await store.findByTokenHash(hashToken(readFileSync(path, 'utf8').trim()));
      if (holder?.id === GENERATED_ADMIN_ID) {
        if (existsSync(tokenFile)) unlinkSync(path);
        else publish(path, tokenFile, dir);
      } else if (!holder && Date.now() - statSync(path).mtimeMs > 60_000) unlinkSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; // another process took it first
    }
  }
}
