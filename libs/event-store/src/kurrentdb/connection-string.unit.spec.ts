import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import { EventStoreUnavailableError } from '../event-store.port.js';
import { connectionStringHosts, withGossipSeeds, withoutCredentials } from './connection-string.js';
import { KurrentDbEventStore, type KurrentDbClient } from './kurrentdb-event-store.js';

// The client library's own parser (not exported from its index): what it does with a string is what counts.
interface ParsedConnectionString {
  dnsDiscover: boolean;
  hosts: Array<{ address: string; port: number }>;
  defaultCredentials?: { username: string; password: string };
  tls?: boolean;
  tlsCAFile?: string;
}
const { parseConnectionString } = createRequire(import.meta.url)('@kurrent/kurrentdb-client/dist/Client/parseConnectionString.js') as {
  parseConnectionString: (connectionString: string) => ParsedConnectionString;
};

const CLUSTER = 'kurrentdb+discover://admin:changeit@kurrentdb1:2113,kurrentdb2:2113,kurrentdb3:2113?tls=true&tlsCAFile=/certs/ca/ca.crt';
const THREE_SEEDS = [
  { address: 'kurrentdb1', port: 2113 },
  { address: 'kurrentdb2', port: 2113 },
  { address: 'kurrentdb3', port: 2113 },
];

describe('cluster connection strings', () => {
  it('as given, the client would discover through the first host only', () => {
    // The premise of the rewrite: with dnsDiscover the client takes hosts[0] and ignores the rest.
    expect(parseConnectionString(CLUSTER).dnsDiscover).toBe(true);
  });

  it('a multi-host +discover string reaches the client with every host as a gossip seed, credentials and options kept', () => {
    const parsed = parseConnectionString(withGossipSeeds(CLUSTER));
    expect(parsed.dnsDiscover).toBe(false); // several hosts without discovery: the client's `endpoints` (gossip seeds)
    expect(parsed.hosts).toEqual(THREE_SEEDS);
    expect(parsed).toMatchObject({ defaultCredentials: { username: 'admin', password: 'changeit' }, tls: true, tlsCAFile: '/certs/ca/ca.crt' });
  });

  it('the adapter hands the client the rewritten string', async () => {
    const given: string[] = [];
    const store = new KurrentDbEventStore({
      connectionString: CLUSTER,
      server: 'kurrentdb+discover://kurrentdb1:2113,kurrentdb2:2113,kurrentdb3:2113',
      pingTimeoutMs: 200,
      createClient: (connectionString) => {
        given.push(connectionString);
        return { readAll: () => (async function* () {})(), dispose: async () => undefined } as unknown as KurrentDbClient;
      },
    });
    await store.ping();
    expect(given).toHaveLength(1);
    expect(parseConnectionString(given[0]!).hosts).toEqual(THREE_SEEDS);
    expect(parseConnectionString(given[0]!).dnsDiscover).toBe(false);
    await store.close();
  });

  it.each([
    ['kurrentdb+discover://cluster.example.com:2113?tls=true', 'one DNS name listing the nodes'],
    ['kurrentdb://db.example:2113?tls=false', 'a single node'],
    ['kurrentdb://a:2113,b:2113?tls=false', 'seeds already'],
  ])('%s (%s) is passed on unchanged', (connectionString) => {
    expect(withGossipSeeds(connectionString)).toBe(connectionString);
  });

  it('also rewrites the other schemes, and reads hosts without credentials', () => {
    const parsed = parseConnectionString(withGossipSeeds('kurrent+discover://u:p@n1:2113,n2:2114'));
    expect(parsed.hosts).toEqual([
      { address: 'n1', port: 2113 },
      { address: 'n2', port: 2114 },
    ]);
    expect(connectionStringHosts('kurrentdb://u:p@n1:2113,n2:2114/?tls=false')).toEqual(['n1:2113', 'n2:2114']);
  });

  it('strips credentials from messages', () => {
    expect(withoutCredentials('bad string kurrentdb://admin:s3cret@h:2113?x')).toBe('bad string kurrentdb://h:2113?x');
  });
});

describe('a connection that cannot be set up (no server needed)', () => {
  const url = 'kurrentdb://admin:s3cret@db.example:2113?tls=true&tlsCAFile=/nonexistent/ca.crt';

  it('a missing tlsCAFile does not throw at construction; each call is a 503-class error naming the reason without credentials', async () => {
    const store = new KurrentDbEventStore({
      connectionString: url,
      server: 'kurrentdb://db.example:2113?tls=true&tlsCAFile=/nonexistent/ca.crt',
      pingTimeoutMs: 200,
    });
    const failure = await store.ping().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(EventStoreUnavailableError);
    expect((failure as Error).message).toMatch(/certificate file/i);
    expect((failure as Error).message).not.toContain('s3cret');
    await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await store.close();
  });

  it('retries with backoff until the setup succeeds (the CA file appears)', async () => {
    let attempts = 0;
    const warnings: string[] = [];
    const store = new KurrentDbEventStore({
      logger: { log: () => undefined, warn: (message) => warnings.push(message) },
      connectionString: url,
      server: 'db.example',
      pingTimeoutMs: 200,
      createClient: () => {
        if (++attempts < 3) throw new Error('Failed to load certificate file. File was not found.');
        return { readAll: () => (async function* () {})(), dispose: async () => undefined } as unknown as KurrentDbClient;
      },
    });
    await expect(store.waitUntilAvailable({ initialDelayMs: 5, maxDelayMs: 20 })).resolves.toBe(true);
    expect(attempts).toBe(3);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/cannot set up the connection: Failed to load certificate file/);
    await store.close();
  });
});
