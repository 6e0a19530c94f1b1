import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adoptedFileOf, LedgerKeyError, loadOrCreateLedgerKey, readLedgerKey } from './ledger-key-file.js';

describe('the ledger key file', () => {
  let base: string;
  let dataDir: string;
  let keyFile: string;
  const logged: string[] = [];
  const log = (line: string) => logged.push(line);

  beforeEach(() => {
    base = mkdtempSync(join(tmpdir(), 'ledger-key-'));
    dataDir = join(base, 'data');
    keyFile = join(base, 'keys', 'ledger.pem');
    logged.length = 0;
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('is generated on a first start into its own folder (0700), mode 0600, its fingerprint printed, the log head adopted', async () => {
    const key = await loadOrCreateLedgerKey(keyFile, dataDir, async () => 41, log);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(base, 'keys')).mode & 0o777).toBe(0o700);
    expect(logged).toEqual([expect.stringContaining(`fingerprint sha256:${key.keyId}`)]);
    expect(key.adoptedThrough).toBe(41);
    const again = await loadOrCreateLedgerKey(keyFile, dataDir, async () => 99, log);
    expect(again.keyId).toBe(key.keyId);
    expect(again.adoptedThrough).toBe(41);
    expect(logged).toHaveLength(1);
  });

  it('comes out the same for processes racing to create it, leaving no temporary file', async () => {
    const keys = await Promise.all(Array.from({ length: 6 }, (_, i) => loadOrCreateLedgerKey(keyFile, dataDir, async () => i, log)));
    expect(new Set(keys.map((k) => k.keyId)).size).toBe(1);
    expect(new Set(keys.map((k) => k.adoptedThrough)).size).toBe(1);
    expect(readdirSync(join(base, 'keys')).sort()).toEqual(['ledger.pem', 'ledger.pem.adopted']);
  });

  it('generated while the event store does not answer, records the adoption point once it does', async () => {
    let head: number | undefined;
    const key = await loadOrCreateLedgerKey(keyFile, dataDir, async () => (head === undefined ? Promise.reject(new Error('down')) : head), log);
    expect(key.adoptedThrough).toBe(0);
    head = 12;
    await key.settleAdoption!();
    expect(key.adoptedThrough).toBe(12);
    expect(key.settleAdoption).toBeUndefined();
    expect((await loadOrCreateLedgerKey(keyFile, dataDir, async () => 99, log)).adoptedThrough).toBe(12);
  });

  it('is refused inside DATA_DIR, and when it is not an Ed25519 key', async () => {
    await expect(loadOrCreateLedgerKey(join(dataDir, 'ledger.pem'), dataDir, async () => 0, log)).rejects.toThrow(/inside DATA_DIR/);
    mkdirSync(join(base, 'keys'));
    writeFileSync(keyFile, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    await expect(loadOrCreateLedgerKey(keyFile, dataDir, async () => 0, log)).rejects.toThrow(LedgerKeyError);
  });

  it('given by the operator without an adoption file, adopts nothing; the command line never creates one', async () => {
    mkdirSync(join(base, 'keys'));
    writeFileSync(keyFile, generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    expect((await loadOrCreateLedgerKey(keyFile, dataDir, async () => 7, log)).adoptedThrough).toBe(0);
    expect(() => readLedgerKey(join(base, 'absent.pem'))).toThrow(/no ledger key at/);
    expect(adoptedFileOf(keyFile)).toBe(`${keyFile}.adopted`);
  });
});
