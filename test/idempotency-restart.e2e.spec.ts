import { afterEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { EventStore } from '#event-store';
import { createApp } from '../apps/api/src/app.factory.js';
import { loadConfig } from '../apps/api/src/config/app-config.js';
import { EVENT_STORE } from '../apps/api/src/infrastructure/injection-tokens.js';
import { ADMIN_TOKEN, bearer } from './support/test-app.js';

/** A retried command with the same Idempotency-Key gets the first answer and appends nothing, even after a restart. */
describe('Idempotency-Key across a restart', () => {
  let dataDir: string;
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function start() {
    const app = await createApp({ config: loadConfig({ DATA_DIR: dataDir, ADMIN_TOKEN, RATE_LIMIT: '0' }), logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    close = () => app.close();
    return { app, http: request(app.getHttpServer()), head: () => app.get<EventStore>(EVENT_STORE).headPosition() };
  }

  async function firstRun() {
    dataDir = mkdtempSync(join(tmpdir(), 'launch-control-idempotency-'));
    const t = await start();
    const manager = (await t.http.post('/v1/principals').set(bearer(ADMIN_TOKEN)).send({ name: 'M', role: 'launch-manager' }).expect(201)).body.token as string;
    const create = () => t.http.post('/v1/launches').set(bearer(manager)).set('Idempotency-Key', 'create-1').send({ name: 'Once', product: 'P', targetDate: '2030-06-01', tier: 3 });
    const created = await create().expect(201);
    const launch = await t.http.get(`/v1/launches/${created.body.launchId}?minPosition=${created.body.position}`).set(bearer(manager)).expect(200);
    const task = launch.body.tasks.find((x: { kind: string }) => x.kind === 'generic') ?? launch.body.tasks[0];
    const block = () => t.http.post(`/v1/launches/${created.body.launchId}/tasks/${task.taskId}/block`).set(bearer(manager)).set('Idempotency-Key', 'block-1').send({ reason: 'waiting' });
    const blocked = await block().expect(200);
    const refused = await t.http.post(`/v1/launches/${created.body.launchId}/tasks/${task.taskId}/block`).set(bearer(manager)).set('Idempotency-Key', 'block-twice').send({ reason: 'again' });
    await close!();
    return { manager, created, blocked, launchId: created.body.launchId as string, taskId: task.taskId as string, refused };
  }

  it('replays the first answers (status, body, ETag, Location) after a restart and appends nothing', async () => {
    const first = await firstRun();
    const t = await start();
    const before = await t.head();

    const created = await t.http.post('/v1/launches').set(bearer(first.manager)).set('Idempotency-Key', 'create-1').send({ name: 'Once', product: 'P', targetDate: '2030-06-01', tier: 3 });
    const blocked = await t.http.post(`/v1/launches/${first.launchId}/tasks/${first.taskId}/block`).set(bearer(first.manager)).set('Idempotency-Key', 'block-1').send({ reason: 'waiting' });

    expect({ status: created.status, body: created.body, location: created.headers.location, etag: created.headers.etag }).toEqual({
      status: 201, body: first.created.body, location: first.created.headers.location, etag: first.created.headers.etag,
    });
    expect({ status: blocked.status, body: blocked.body, etag: blocked.headers.etag }).toEqual({ status: 200, body: first.blocked.body, etag: first.blocked.headers.etag });
    expect(await t.head()).toBe(before);
  });

  it('a command whose answer was lost in a crash (events stored, answer not) is found by its event ids, not appended again', async () => {
    const first = await firstRun();
    // As if the process died after the append and before it kept the answer.
    const access = new Database(join(dataDir, 'access.sqlite'));
    expect(access.prepare("DELETE FROM idempotent_answers WHERE key IN ('create-1', 'block-1')").run().changes).toBe(2);
    access.close();
    const t = await start();
    const before = await t.head();

    const created = await t.http.post('/v1/launches').set(bearer(first.manager)).set('Idempotency-Key', 'create-1').send({ name: 'Once', product: 'P', targetDate: '2030-06-01', tier: 3 });
    const blocked = await t.http.post(`/v1/launches/${first.launchId}/tasks/${first.taskId}/block`).set(bearer(first.manager)).set('Idempotency-Key', 'block-1').send({ reason: 'waiting' });

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ launchId: first.launchId, revision: first.created.body.revision, position: first.created.body.position });
    expect(blocked.status).toBe(200);
    expect(blocked.body).toMatchObject({ launchId: first.launchId, revision: first.blocked.body.revision, position: first.blocked.body.position });
    expect(await t.head()).toBe(before);
  });

  it('replays a refusal too: the same key gets the same 4xx after a restart, even once the command would succeed', async () => {
    const first = await firstRun();
    expect(first.refused.status).toBe(409); // blocking a blocked task
    const t = await start();
    await t.http.post(`/v1/launches/${first.launchId}/tasks/${first.taskId}/unblock`).set(bearer(first.manager)).send({}).expect(200);
    const before = await t.head();

    const again = await t.http.post(`/v1/launches/${first.launchId}/tasks/${first.taskId}/block`).set(bearer(first.manager)).set('Idempotency-Key', 'block-twice').send({ reason: 'again' });

    expect({ status: again.status, body: again.body }).toEqual({ status: 409, body: first.refused.body });
    expect(await t.head()).toBe(before);
  });
});
