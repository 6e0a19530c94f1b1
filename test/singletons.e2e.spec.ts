import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { SqliteEventStore, type EventToAppend } from '#event-store';
import { launchStreamId } from '#launch';
import { SqliteLeaseStore } from '#leases';
import { buildGeneration, collectionIn, GenerationalReadModelStore, LAUNCHES, PROJECTIONS, SqliteReadModelStore } from '#read-models';
import { startReceiver, type Receiver } from '../apps/api/src/webhooks/test/loopback-receiver.js';
import { createApiProcess, type ApiProcess } from './support/api-process.js';
import { ADMIN_TOKEN } from './support/test-app.js';

/** Short leases so that a takeover after SIGKILL is quick (renewed every 500 ms). */
const LEASE_TTL_MS = 1500;
/**
 * A lease whose holder was SIGKILLed is taken at once (its pid is gone) or, at the latest, one
 * renewal period (a third of the ttl) after it runs out; twice the ttl more is room for the timers
 * of a loaded machine.
 */
const TAKEOVER_DEADLINE_MS = LEASE_TTL_MS + LEASE_TTL_MS / 3 + 2 * LEASE_TTL_MS;
/** A worker thread started on a loaded machine (TypeScript compiled on the fly) may take this long to project. */
const THREAD_START_DEADLINE_MS = 30_000;
const launch = (n: number) => ({ name: `Launch ${n}`, product: 'Comet', targetDate: '2031-03-01', tier: 3 });

function createdEvent(launchId: string, name: string): EventToAppend {
  return {
    eventId: randomUUID(),
    type: 'LaunchCreated',
    data: {
      launchId,
      name,
      product: 'Bulk',
      tier: 3,
      targetDate: '2031-01-10',
      templateVersion: 'v1',
      tasks: [{ taskId: randomUUID(), key: 'release', title: 'Release', department: 'engineering', kind: 'release', required: true, dueDate: '2031-01-05' }],
    },
    metadata: { actor: { id: 'p1', name: 'Lee', role: 'launch-manager' }, occurredAt: '2026-11-21T10:00:00.000Z', correlationId: randomUUID() },
  };
}

/** Two real API processes (`npm start` twice, different PORT) on one fresh DATA_DIR, and the leases file they share. */
async function twoInstances() {
  const dataDir = mkdtempSync(join(tmpdir(), 'several-instances-'));
  const env = {
    DATA_DIR: dataDir,
    ADMIN_TOKEN,
    LEASE_TTL_MS: String(LEASE_TTL_MS),
    RATE_LIMIT: '0',
    WEBHOOK_RETRY_MIN_MS: '50',
    WEBHOOK_RETRY_MAX_MS: '200',
    WEBHOOK_ALLOW_PRIVATE: 'true',
  };
  const a = await createApiProcess({ env });
  const b = await createApiProcess({ env });
  const leases = new SqliteLeaseStore(join(dataDir, 'leases.sqlite'));
  // One after the other: the first start creates the files and the bootstrap admin.
  await a.start();
  await b.start();
  return {
    dataDir,
    a,
    b,
    /** The process holding a lease now (owners are host:pid:random). */
    async holderOf(name: string): Promise<ApiProcess | undefined> {
      const owner = (await leases.holder(name))?.owner;
      const pid = owner ? Number(owner.split(':').at(-2)) : undefined;
      return [a, b].find((api) => api.pid !== undefined && api.pid === pid);
    },
    async close() {
      await Promise.all([a.stop(), b.stop()]);
      await leases.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
type Instances = Awaited<ReturnType<typeof twoInstances>>;

async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every event position stored after `after`, read from the events file itself. */
async function positionsAfter(dataDir: string, after: number): Promise<number[]> {
  const events = new SqliteEventStore({ filename: join(dataDir, 'events.sqlite'), reader: true });
  try {
    const positions: number[] = [];
    for await (const event of events.readAll({ after })) positions.push(event.position);
    return positions;
  } finally {
    await events.close();
  }
}

describe('several API processes on one DATA_DIR: webhook delivery under the webhook-dispatch lease', () => {
  let it2: Instances;
  let receiver: Receiver;

  beforeAll(async () => {
    it2 = await twoInstances();
    receiver = await startReceiver();
  }, 150_000);
  afterAll(async () => {
    await receiver?.close();
    await it2?.close();
  });

  it('delivers a webhook created through the process that does not dispatch: every event exactly once, in order, while both run; after a SIGKILL of the dispatcher the other delivers the rest within the lease ttl', async () => {
    const dispatcher = await until('a dispatcher', () => it2.holderOf('webhook-dispatch'), 10_000);
    const other = dispatcher === it2.a ? it2.b : it2.a;

    const created = await other.call('POST', '/v1/webhooks', { token: ADMIN_TOKEN, body: { url: receiver.url, secret: 'whsec-0123456789abcdef' } });
    expect(created.status).toBe(201);
    const webhookId = created.body.id as string;
    // Restarted, the other process knows the webhook from the start too: still only the lease holder delivers.
    await other.stop();
    await other.start();
    for (let n = 0; n < 20; n++) expect((await [it2.a, it2.b][n % 2]!.call('POST', '/v1/launches', { token: ADMIN_TOKEN, body: launch(n) })).status).toBe(201);
    const before = await positionsAfter(it2.dataDir, created.body.position);
    expect(before).toHaveLength(20);
    await receiver.waitFor(before.length, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the other process must not deliver them too
    expect(receiver.received.map((r) => r.body.position)).toEqual(before);
    // The process that does not deliver shows the state as the store has it.
    expect((await other.call('GET', `/v1/webhooks/${webhookId}`, { token: ADMIN_TOKEN })).body).toMatchObject({ state: 'idle', position: before.at(-1) });

    // A replay requested through the process that does not deliver: the dispatcher picks it up and delivers again, in order.
    expect((await other.call('POST', `/v1/webhooks/${webhookId}/replay`, { token: ADMIN_TOKEN, body: { fromPosition: before[10] } })).status).toBe(202);
    await receiver.waitFor(before.length + 10, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.received.slice(before.length).map((r) => r.body.position)).toEqual(before.slice(10));

    await dispatcher.kill();
    const killedAt = Date.now();
    for (let n = 20; n < 30; n++) expect((await other.call('POST', '/v1/launches', { token: ADMIN_TOKEN, body: launch(n) })).status).toBe(201);
    const all = await positionsAfter(it2.dataDir, created.body.position);
    await receiver.waitFor(all.length + 10, LEASE_TTL_MS + 10_000); // the 10 replayed, then every event after the kill
    expect(Date.now() - killedAt).toBeLessThan(LEASE_TTL_MS + 10_000);
    expect(await it2.holderOf('webhook-dispatch')).toBe(other);

    // Nothing skipped, in order; a repeat only where the log shows another attempt.
    const received = receiver.received.map((r) => r.body.position as number);
    expect([...new Set(received)]).toEqual(all);
    const log = (await other.call('GET', `/v1/webhooks/${webhookId}/deliveries?limit=1000`, { token: ADMIN_TOKEN })).body as Array<{ position: number }>;
    for (const position of all) {
      expect(received.filter((p) => p === position).length).toBeLessThanOrEqual(log.filter((a) => a.position === position).length);
    }
  }, 120_000);
});

describe('several API processes on one DATA_DIR: one projector, one rebuild at a time', () => {
  let it2: Instances;

  beforeAll(async () => {
    it2 = await twoInstances();
  }, 150_000);
  afterAll(async () => {
    await it2?.close();
  });

  it('projects in one process only; reads with minPosition through the other wait for it and see the writes', async () => {
    const projector = await until('a projector', () => it2.holderOf('projector'), 10_000);
    const other = projector === it2.a ? it2.b : it2.a;
    expect(projector.output).toContain('lease projector: taken by');
    expect(other.output).not.toContain('lease projector: taken by');
    expect(await other.isReady()).toBe(true);

    for (let n = 0; n < 30; n++) {
      const [writer, reader] = n % 2 ? [projector, other] : [other, projector];
      const written = await writer.call('POST', '/v1/launches', { token: ADMIN_TOKEN, body: launch(n) });
      expect(written.status).toBe(201);
      const read = await reader.call('GET', `/v1/launches/${written.body.launchId}?minPosition=${written.body.position}`, { token: ADMIN_TOKEN });
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ name: `Launch ${n}` });
    }
    expect(other.output).not.toContain('lease projector: taken by');
  }, 120_000);

  it('two rebuild requests at once through the two processes: one 202, one 409 problem; the views then equal a rebuild from zero', async () => {
    // Enough history that a rebuild takes a while: launches appended by a third writer on the same files.
    const writer = new SqliteEventStore({ filename: join(it2.dataDir, 'events.sqlite') });
    try {
      for (let chunk = 0; chunk < 10; chunk++) {
        await Promise.all(
          Array.from({ length: 100 }, (_, i) => {
            const launchId = randomUUID();
            return writer.append(launchStreamId(launchId), [createdEvent(launchId, `Bulk ${chunk * 100 + i}`)], 'no_stream');
          }),
        );
      }
    } finally {
      await writer.close();
    }
    const answers = await Promise.all([it2.a, it2.b].map((api) => api.call('POST', '/v1/admin/projections/rebuild', { token: ADMIN_TOKEN })));
    expect(answers.map((r) => r.status).sort()).toEqual([202, 409]);
    const refused = answers.find((r) => r.status === 409)!;
    expect(refused.type).toMatch(/^application\/problem\+json/);
    expect(refused.body.detail).toMatch(/rebuild of the read models is already running/);

    for (const api of [it2.a, it2.b]) {
      await until(
        'the rebuild to switch over',
        async () => {
          const status = (await api.call('GET', '/v1/admin/projections', { token: ADMIN_TOKEN })).body;
          return status.state === 'idle' && status.generation === 1;
        },
        30_000,
      );
    }

    const events = new SqliteEventStore({ filename: join(it2.dataDir, 'events.sqlite'), reader: true });
    const scratch = new SqliteReadModelStore({ filename: join(it2.dataDir, 'scratch-views.sqlite') });
    const raw = new SqliteReadModelStore({ filename: join(it2.dataDir, 'read-models.sqlite'), walCheckpoints: false });
    try {
      const quiet = { log: () => undefined, error: () => undefined };
      const rebuilt = await buildGeneration({ eventStore: events, store: scratch, projections: PROJECTIONS, logger: quiet });
      const expected = await scratch.find(collectionIn(LAUNCHES, rebuilt.generation));
      expect(expected).toHaveLength(1030);
      const served = await new GenerationalReadModelStore(raw, PROJECTIONS).find(LAUNCHES);
      const byId = (docs: Array<{ id: string }>) => [...docs].sort((x, y) => x.id.localeCompare(y.id));
      expect(byId(served)).toEqual(byId(expected));
    } finally {
      await events.close();
      await scratch.close();
      await raw.close();
    }
  }, 120_000);

  it('after a SIGKILL of the projecting process the other takes the projector lease within the ttl and reads with minPosition work again', async () => {
    const projector = await until('a projector', () => it2.holderOf('projector'), 10_000);
    const other = projector === it2.a ? it2.b : it2.a;
    await projector.kill();
    const written = await other.call('POST', '/v1/launches', { token: ADMIN_TOKEN, body: launch(99) });
    expect(written.status).toBe(201);
    await until('the survivor to take the projector lease', async () => (await it2.holderOf('projector')) === other, TAKEOVER_DEADLINE_MS);
    // Its projections start on a thread of their own meanwhile; the lease is renewed while they do.
    const read = await until(
      'the view through the survivor',
      async () => {
        const answer = await other.call('GET', `/v1/launches/${written.body.launchId}?minPosition=${written.body.position}`, { token: ADMIN_TOKEN });
        return answer.status === 200 ? answer : undefined;
      },
      THREAD_START_DEADLINE_MS,
    );
    expect(read.body).toMatchObject({ name: 'Launch 99' });
    expect(await it2.holderOf('projector')).toBe(other);
    expect(other.output).toContain('lease projector: taken by');
  }, 60_000);
});
