import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { MongoConnection } from '#mongo';
import type { LeaseStore } from './lease-store.port.js';
import { MongoLeaseStore } from './mongo-lease-store.js';
import { LEASES_FILE, SqliteLeaseStore } from './sqlite-lease-store.js';

/** Default lease time to live: renewed every third of it, taken over at most this long after a holder dies. */
export const DEFAULT_LEASE_TTL_MS = 15_000;

/** The leases every process of one deployment shares: MongoDB when there is a connection, else DATA_DIR/leases.sqlite. */
export function openLeaseStore(options: { dataDir: string; mongo?: MongoConnection }): LeaseStore {
  return options.mongo ? new MongoLeaseStore(options.mongo) : new SqliteLeaseStore(join(options.dataDir, LEASES_FILE));
}

/** LEASE_TTL_MS when set to a positive number (tests make it short), else the default. */
export function leaseTtlFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.LEASE_TTL_MS);
  return env.LEASE_TTL_MS && Number.isFinite(value) && value >= 30 ? Math.trunc(value) : DEFAULT_LEASE_TTL_MS;
}

/** Names this process in leases: host:pid:random. */
export function leaseOwner(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}
