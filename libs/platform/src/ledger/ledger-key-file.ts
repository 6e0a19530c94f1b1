import { randomBytes, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, isAbsolute } from 'node:path';
import { keyIdOf, macKeyOf } from '#ledger';

/** The server's ledger key: signs tree heads, and (through the derived MAC key) authenticates each event it appends. */
export interface LedgerKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
  macKey: Buffer;
  /**
   * Events at or below this global position were stored before the key existed: they carry no MAC
   * and are taken as they are. Kept beside the key (outside DATA_DIR), fixed when the key is made.
   */
  adoptedThrough: number;
  /**
   * Set when the key was generated while the event store did not answer: records the adoption point
   * once it does (the keeper calls it before each step until it succeeds).
   */
  settleAdoption?: () => Promise<void>;
}

export class LedgerKeyError extends Error {}

/** `<key file>.adopted`: the log's head position when the key was generated. */
export const adoptedFileOf = (keyFile: string): string => `${keyFile}.adopted`;

export function isInside(file: string, folder: string): boolean {
  const path = relative(resolve(folder), resolve(file));
  return path === '' || (!path.startsWith('..') && !isAbsolute(path));
}

/** Creates `file` with `content` (mode 0600) unless it exists; atomic, so racing processes agree on one content. */
function createOnce(file: string, content: string): boolean {
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temporary, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return false;
  } finally {
    unlinkSync(temporary);
  }
}

function parseKey(file: string): { privateKey: KeyObject; publicKey: KeyObject } {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(file));
  } catch (error) {
    throw new LedgerKeyError(`LEDGER_KEY_FILE ${file} is not a readable PEM private key (${(error as Error).message})`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new LedgerKeyError(`LEDGER_KEY_FILE ${file} must hold an Ed25519 key, not ${privateKey.asymmetricKeyType}`);
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

function ledgerKey(file: string): LedgerKey {
  const { privateKey, publicKey } = parseKey(file);
  const adopted = adoptedFileOf(file);
  const adoptedThrough = existsSync(adopted) ? Number(readFileSync(adopted, 'utf8').trim()) : 0;
  if (!Number.isSafeInteger(adoptedThrough) || adoptedThrough < 0) throw new LedgerKeyError(`${adopted} must hold a global position`);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey), macKey: macKeyOf(privateKey), adoptedThrough };
}

/** Reads the key; fails naming the file when it is missing (the command line never creates one). */
export function readLedgerKey(file: string): LedgerKey {
  if (!existsSync(file)) throw new LedgerKeyError(`no ledger key at ${file} (set LEDGER_KEY_FILE to the server's key)`);
  return ledgerKey(file);
}

/**
 * The key in `file`; on a first start without one, generates it (folder 0700, file 0600) and
 * records the log's current head as adopted. Refuses a key inside DATA_DIR: whoever can write the
 * events could then also re-sign them.
 */
export async function loadOrCreateLedgerKey(
  file: string,
  dataDir: string,
  headPosition: () => Promise<number>,
  log: (line: string) => void,
): Promise<LedgerKey> {
  if (isInside(file, dataDir)) throw new LedgerKeyError(`LEDGER_KEY_FILE ${file} is inside DATA_DIR ${dataDir}; keep the ledger key outside it`);
  let unsettled = false;
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    // The adoption point first: a process that sees the key also sees it. A store that does not
    // answer yet (KurrentDB down) must not stop the start: the point is then recorded when it does.
    const head = await headPosition().catch(() => undefined);
    if (head !== undefined) createOnce(adoptedFileOf(file), `${head}\n`);
    unsettled = head === undefined;
    const { privateKey } = generateKeyPairSync('ed25519');
    if (createOnce(file, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString())) {
      log(`Ledger key generated at ${file} (Ed25519, fingerprint sha256:${keyIdOf(createPublicKey(privateKey))}); keep it outside DATA_DIR and back it up`);
    }
  } else if ((statSync(file).mode & 0o077) !== 0) {
    log(`warning: the ledger key ${file} is readable by other users; chmod 600 it`);
  }
  const key = ledgerKey(file);
  if (unsettled && !existsSync(adoptedFileOf(file))) {
    key.settleAdoption = async () => {
      createOnce(adoptedFileOf(file), `${await headPosition()}\n`);
      key.adoptedThrough = ledgerKey(file).adoptedThrough;
      delete key.settleAdoption;
    };
  }
  return key;
}
