import { afterEach, describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoConnection } from '#mongo';
import { MongoSessionStore, SqliteSessionStore, type SessionStore, type SignInSession } from './session-store.js';

interface Opened {
  /** Two handles on one store, as two processes would hold. */
  open(): SessionStore;
  cleanup(): Promise<void>;
}

const adapters: Array<[string, () => Opened]> = [
  [
    'sqlite',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'launch-control-sessions-'));
      return { open: () => new SqliteSessionStore(join(dir, 'sessions.sqlite')), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  ],
];
const url = process.env.MONGODB_URL;
if (url) {
  adapters.push([
    'mongodb',
    () => {
      const databaseName = `lc_sessions_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
      return {
        open: () => new MongoSessionStore(url, databaseName),
        cleanup: async () => {
          const connection = new MongoConnection({ url, label: 'cleanup', databaseName });
          await (await connection.db()).dropDatabase();
          await connection.close();
        },
      };
    },
  ]);
} else {
  console.warn('SessionStore contract on MongoDB SKIPPED: MONGODB_URL is not set. Set MONGODB_URL=mongodb://… to run it.');
}

const session = (over: Partial<SignInSession> = {}): SignInSession => ({
  tokenHash: randomBytes(32).toString('hex'),
  actor: { id: 'oidc:eve', name: 'Eve <eve@example.com>', role: 'department', department: 'engineering' },
  createdAt: '2031-01-01T10:00:00.000Z',
  expiresAt: '2031-01-01T11:00:00.000Z',
  ...over,
});

describe.each(adapters)('SessionStore contract: %s', (_name, setUp) => {
  let opened: Opened;
  const stores: SessionStore[] = [];
  const open = () => {
    const store = opened.open();
    stores.push(store);
    return store;
  };
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    await opened.cleanup();
  });

  it('finds a session by its token hash until it expires, with its actor as stored', async () => {
    opened = setUp();
    const store = open();
    const eve = session();
    await store.add(eve);
    expect(await store.find(eve.tokenHash, new Date('2031-01-01T10:59:59.999Z'))).toEqual(eve);
    expect(await store.find(eve.tokenHash, new Date('2031-01-01T11:00:00.000Z'))).toBeNull();
    expect(await store.find(randomBytes(32).toString('hex'), new Date('2031-01-01T10:30:00.000Z'))).toBeNull();
  });

  it('ends a session for every handle on the store, once', async () => {
    opened = setUp();
    const [first, second] = [open(), open()];
    const eve = session();
    await first.add(eve);
    const during = new Date('2031-01-01T10:30:00.000Z');
    expect(await second.find(eve.tokenHash, during)).toEqual(eve);
    expect(await second.end(eve.tokenHash)).toBe(true);
    expect(await first.find(eve.tokenHash, during)).toBeNull();
    expect(await first.end(eve.tokenHash)).toBe(false);
  });
});
