import { afterEach, describe, expect, it } from '@jest/globals';
import { MongoConnection } from '#mongo';
import { ReadModelStoreUnavailableError } from '../read-model-store.port.js';
import { MongoReadModelStore } from './mongo-read-model-store.js';

// Port 1 refuses connections at once: an unreachable server without needing any server.
const UNREACHABLE = 'mongodb://reader:s3cret@127.0.0.1:1/views?serverSelectionTimeoutMS=200';

describe('MongoReadModelStore over an unreachable server', () => {
  let connection: MongoConnection;
  afterEach(() => connection.close());

  it('answers ReadModelStoreUnavailableError (a 503) naming the labelled URL, never the credentials', async () => {
    connection = new MongoConnection({ url: UNREACHABLE, label: 'mongodb://127.0.0.1:1/views', retry: { initialDelayMs: 20, maxDelayMs: 40 } });
    const store = new MongoReadModelStore({ connection, ownsConnection: false });
    await expect(store.get('launches', 'x')).rejects.toBeInstanceOf(ReadModelStoreUnavailableError);
    const refused = (await store.ping().catch((error: unknown) => error)) as Error;
    expect(refused).toBeInstanceOf(ReadModelStoreUnavailableError);
    expect(refused.message).toMatch(/MongoDB at mongodb:\/\/127\.0\.0\.1:1\/views is unreachable: .*(ECONNREFUSED|Server selection timed out)/);
    expect(refused.message).not.toContain('s3cret');
    await expect(store.commit({ projection: 'p', changes: [], position: 1 })).rejects.toBeInstanceOf(ReadModelStoreUnavailableError);
  });
});
