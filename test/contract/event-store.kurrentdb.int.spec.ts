import { describe, it } from '@jest/globals';
import { KurrentDbEventStore } from '#event-store';
import { redactUrl } from '#platform';
import { eventStoreContract } from './event-store.contract.js';

/**
 * The EventStore contract against a real KurrentDB server, named by EVENT_STORE_URL
 * (e.g. kurrentdb://127.0.0.1:2113?tls=false; CI runs one as a service container).
 * The server keeps its data between runs: every test of the contract uses fresh stream ids.
 */
const url = process.env.EVENT_STORE_URL;

if (!url) {
  const reason = 'EVENT_STORE_URL is not set (no KurrentDB server on this machine)';
  console.warn(`KurrentDB contract — SKIPPED: ${reason}. Set EVENT_STORE_URL=kurrentdb://… to run it.`);
  describe.skip(`KurrentDB contract — skipped: ${reason}`, () => {
    it('runs the EventStore contract against KurrentDB', () => undefined);
  });
} else {
  eventStoreContract(`KurrentDB at ${redactUrl(url)}`, async () => {
    const store = new KurrentDbEventStore({ connectionString: url, server: redactUrl(url) });
    return { store, cleanup: () => store.close() };
  });
}
