import { afterEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteLeaseStore } from '#leases';
import { currentGeneration, SqliteReadModelStore } from '#read-models';
import type { CliIo } from './cli-io.js';
import { main } from './rebuild-projections.js';

function captured(dataDir: string): CliIo & { lines: string[] } {
  const lines: string[] = [];
  return { lines, out: (line) => lines.push(line), err: (line) => lines.push(line), env: { DATA_DIR: dataDir, LEASE_TTL_MS: '3000' } };
}

describe('npm run projections:rebuild under the rebuild lease', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('exits 1 naming the running rebuild while another process holds the lease, and rebuilds once it is free', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rebuild-cli-'));
    dirs.push(dataDir);
    const leases = new SqliteLeaseStore(join(dataDir, 'leases.sqlite'));
    try {
      await leases.acquire('rebuild', 'api-on-port-3001', 60_000);
      const refused = captured(dataDir);
      expect(await main([], refused)).toBe(1);
      expect(refused.lines.join('\n')).toMatch(/already running \(in api-on-port-3001\)/);
      const views = new SqliteReadModelStore({ filename: join(dataDir, 'read-models.sqlite') });
      expect(await currentGeneration(views)).toBe(0); // nothing built, nothing switched
      await views.close();

      await leases.release('rebuild', 'api-on-port-3001');
      const io = captured(dataDir);
      expect(await main([], io)).toBe(0);
      expect(io.lines.join('\n')).toMatch(/rebuilt into generation 1/);
      expect(await leases.holder('rebuild')).toBeNull(); // released when done
    } finally {
      await leases.close();
    }
  });
  it('exits 1 saying the lease store cannot be reached (not that a rebuild runs) when leases.sqlite stays locked', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'rebuild-cli-'));
    dirs.push(dataDir);
    const leases = new SqliteLeaseStore(join(dataDir, 'leases.sqlite'));
    const locker = new Database(join(dataDir, 'leases.sqlite'));
    try {
      locker.exec('BEGIN EXCLUSIVE'); // another process's write that does not end (its busy timeout passes)
      const io = captured(dataDir);
      expect(await main([], io)).toBe(1);
      const text = io.lines.join('\n');
      expect(text).toMatch(/lease store cannot be reached.*nothing was done/);
      expect(text).not.toMatch(/already running/);
      locker.exec('ROLLBACK');
      const views = new SqliteReadModelStore({ filename: join(dataDir, 'read-models.sqlite') });
      expect(await currentGeneration(views)).toBe(0); // nothing built, nothing switched
      await views.close();
    } finally {
      locker.close();
      await leases.close();
    }
  });
});
