import { afterEach, describe, expect, it } from '@jest/globals';
import { StoreUnavailableError } from '#event-store';
import { backoffDelay, databaseNameOf, MongoConnection } from './mongo-connection.js';
import { MongoUnavailableError } from './mongo-errors.js';

// Port 1 refuses connections at once: an unreachable server without needing any server.
const UNREACHABLE = 'mongodb://reader:s3cret@127.0.0.1:1/views?serverSelectionTimeoutMS=200';

describe('MongoDB connection settings', () => {
  it('takes the database from the URL, else none', () => {
    expect(databaseNameOf('mongodb://u:p@host:27017/launch?replicaSet=rs0')).toBe('launch');
    expect(databaseNameOf('mongodb://a:1,b:2,c:3/db')).toBe('db');
    expect(databaseNameOf('mongodb+srv://cluster.example.com/x')).toBe('x');
    expect(databaseNameOf('mongodb://host:27017/?w=majority')).toBeUndefined();
    expect(databaseNameOf('mongodb://host:27017')).toBeUndefined();
  });

  it('backs off by doubling, up to a cap', () => {
    expect([1, 2, 3, 4, 5, 6, 50].map((attempt) => backoffDelay(attempt, 500, 10_000))).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
  });
});

describe('MongoDB connection to an unreachable server', () => {
  const opened: MongoConnection[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((c) => c.close()));
  });

  function open(lines: string[]): MongoConnection {
    const connection = new MongoConnection({
      url: UNREACHABLE,
      label: 'mongodb://127.0.0.1:1/views',
      logger: { log: (m) => lines.push(m), warn: (m) => lines.push(m) },
      retry: { initialDelayMs: 20, maxDelayMs: 40 },
    });
    opened.push(connection);
    return connection;
  }

  it('keeps retrying with backoff, logging the labelled URL; meanwhile every use fails at once with MongoUnavailableError (a 503)', async () => {
    const lines: string[] = [];
    const connection = open(lines);
    const refused = await connection.db().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(MongoUnavailableError);
    expect(refused).toBeInstanceOf(StoreUnavailableError);
    await expect(connection.ping()).rejects.toThrow(/MongoDB at mongodb:\/\/127\.0\.0\.1:1\/views is unreachable: .*(ECONNREFUSED|Server selection timed out)/);
    while (lines.length < 2) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(lines[0]).toMatch(/^MongoDB at mongodb:\/\/127\.0\.0\.1:1\/views is unreachable \(.*\); retrying in 20 ms \(attempt 1\)$/);
    expect(lines[1]).toMatch(/retrying in 40 ms \(attempt 2\)$/);
    expect(lines.join('\n')).not.toContain('s3cret');
    expect(connection.state).toBe('retrying');
    expect(connection.databaseName).toBe('views');
  });

  it('stops retrying once closed', async () => {
    const lines: string[] = [];
    const connection = open(lines);
    connection.start();
    await connection.close();
    const logged = lines.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(lines.length).toBe(logged);
    expect(connection.state).toBe('closed');
    await expect(connection.db()).rejects.toThrow(/closed/);
  });
});
