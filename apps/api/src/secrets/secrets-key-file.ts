import { createHash, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

/** A 256-bit key and the id stored beside everything sealed with it. */
export interface SecretsKey {
  id: string;
  key: Buffer;
}

/** The key file cannot be used: the start (or the first use) stops, naming the file. */
export class SecretsKeyFileError extends Error {
  constructor(file: string, problem: string) {
    super(`secrets key file ${file}: ${problem}`);
    this.name = 'SecretsKeyFileError';
  }
}

/**
 * Where the key lives when SECRETS_KEY_FILE is unset: in the home folder of the user running the
 * server, like ~/.ssh, so neither a copy of DATA_DIR nor of the project folder carries it.
 */
export const defaultSecretsKeyFile = (): string => join(homedir(), '.launch-control', 'secrets.key');

export const isInside = (file: string, folder: string): boolean => {
  const path = relative(resolve(folder), resolve(file));
  return path !== '' && !path.startsWith('..') && !path.startsWith('/');
};

/** The key id: the start of the key's SHA-256 (names the key without revealing it). */
const keyIdOf = (key: Buffer) => createHash('sha256').update(key).digest('hex').slice(0, 16);

/** 32 bytes written as base64 (what `openssl rand -base64 32` prints) or as 64 hex digits. */
export function parseSecretsKey(file: string, text: string): SecretsKey {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : /^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)
      ? Buffer.from(trimmed, 'base64')
      : undefined;
  if (!key || key.length !== 32) throw new SecretsKeyFileError(file, 'must hold a 256-bit key: 32 bytes as base64 (openssl rand -base64 32) or 64 hex digits');
  return { id: keyIdOf(key), key };
}

function read(file: string, warn: (message: string) => void): SecretsKey {
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) warn(`secrets key file ${file} is readable by others (mode ${mode.toString(8)}): chmod 600 it`);
  return parseSecretsKey(file, readFileSync(file, 'utf8'));
}

/**
 * Reads the key, or creates it when the file does not exist: a new random key is written to a
 * temporary file (0600, in a folder made 0700) and linked into place, which fails if the file
 * exists. So processes starting together on one DATA_DIR agree: one link wins, the others find
 * the complete file and read it; no reader ever sees a half-written key.
 */
export function loadOrCreateSecretsKey(file: string, log: { log(message: string): void; warn(message: string): void }): SecretsKey {
  try {
    return read(file, log.warn);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw error instanceof SecretsKeyFileError ? error : new SecretsKeyFileError(file, (error as Error).message);
  }
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const fd = openSync(temporary, 'wx', 0o600);
    try {
      writeSync(fd, `${randomBytes(32).toString('base64')}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(temporary, file);
      log.log(`generated the key that encrypts webhook secrets: ${file} (keep it, and back it up apart from DATA_DIR; set SECRETS_KEY_FILE to use another)`);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      unlinkSync(temporary);
    }
    syncFolder(dirname(file));
    return read(file, log.warn);
  } catch (error) {
    throw error instanceof SecretsKeyFileError ? error : new SecretsKeyFileError(file, `cannot be created (${(error as Error).message})`);
  }
}

function syncFolder(folder: string): void {
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
