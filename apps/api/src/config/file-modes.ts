import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { isMainThread } from 'node:worker_threads';

/** DATA_DIR holds the evidence and the token hashes: only the user running the service may read it. */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/**
 * Every file and folder this process creates from now on is its user's only (umask 077), whoever
 * creates it: the stores, SQLite's -wal/-shm files, the worker threads (they share the umask).
 * Only the main thread may set it; call it before anything is written.
 */
export function restrictNewFileModes(): void {
  if (isMainThread) process.umask(0o077);
}

/**
 * Creates DATA_DIR 0700, and takes group and other access away from everything already in it (a
 * folder made by an older version, or under a looser umask): folders 0700, files 0600.
 */
export function protectDataDir(dir: string): void {
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const refused: string[] = [];
  tighten(dir, refused);
  if (refused.length > 0) {
    // Not ours to change (another owner, an immutable file): the service still runs, the operator is told.
    new Logger('DataDir').warn(
      `cannot restrict the mode of ${refused.slice(0, 5).join(', ')}${refused.length > 5 ? ` and ${refused.length - 5} more` : ''}; make DATA_DIR 0700 and its files 0600`,
    );
  }
}

function tighten(path: string, refused: string[]): void {
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (!stat || stat.isSymbolicLink()) return;
  const wanted = stat.isDirectory() ? PRIVATE_DIR_MODE : PRIVATE_FILE_MODE;
  if ((stat.mode & 0o777) !== wanted && (stat.isDirectory() || stat.isFile())) {
    try {
      chmodSync(path, wanted);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ENOENT: gone meanwhile (a -shm file SQLite just removed), nothing left to protect.
      if (code === 'EPERM' || code === 'EACCES') refused.push(path);
      else if (code !== 'ENOENT') throw error;
    }
  }
  if (stat.isDirectory()) for (const entry of readdirSync(path)) tighten(join(path, entry), refused);
}
