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
    const create = () =>
      t.http
        .post('/v1/launches')
        .set(bearer(manager))
        .set('Idempotency-Key', 'create-1')
        .send({ name: 'Once', product: 'P', targetDate: '2030-06-01', tier: 3 });
    const created = await create().expect(201);
    const launch = await t.http.get(`/v1/launches/${created.body.launchId}?minPosition=${created.body.position}`).set(bearer(manager)).expect(200);
    const task = launch.body.tasks.find((x: { kind: string }) => x.kind === 'generic') ?? launch.body.tasks[0];
    const block = () =>
      t.http
        .post(`/v1/launches/${created.body.launchId}/tasks/${task.taskId}/block`)
        .set(bearer(manager))
        .set('Idempotency-Key', 'block-1')
        .send({ reason: 'waiting' });
    const blocked = await block().expect(200);
    const refused = await t.http
      .post(`/v1/launches/${created.body.launchId}/tasks/${task.taskId}/block`)
      .set(bearer(manager))
      .set('Idempotency-Key', 'block-twice')
      .send({ reason: 'again' });
    await close!();
    return { manager, created, blocked, launchId: created.body.launchId as string, taskId: task.taskId as string, refused };
  }

  it('replays the first answers (status, body, ETag, Location) after a restart and appends nothing', async () => {
    const first = await firstRun();
    const t = await start();
    const before = await t.head();

    const created = await t.http
      .post('/v1/launches')
      .set(bearer(first.manager))
      .set('Idempotency-Key', 'create-1')
      .send({ name: 'Once', product: 'P', targetDate: '2030-06-01', tier: 3 });
    const blocked = await t.http
      .post(`/v1/launches/${first.launchId}/tasks/${first.taskId}/block`)
      .set(bearer(first.manager))
      .set('Idempotency-Key', 'block-1')
      .send({ reason: 'waiting' });

    expect({ status: created.status, body: created.body, location: created.headers.location, etag: created.headers.etag }).toEqual({
      status: 201,
      body: first.created.body,
      location: first.created.headers.location,
      etag: first.created.headers.etag,
    });
    expect({ status: blocked.status, body: blocked.body, etag: blocked.headers.etag }).toEqual({
      status: 200,
      body: first.blocked.body,
      etag: first.blocked.headers.etag,
    });
    expect(await t.head()).toBe(before);
  });

  it('keeps no answer for an accepted command: its stored events are the record, so a crash before the answer loses nothing', async () => {
    const first = await firstRun();
    // Only the refusal is kept beside the events; nothing an accepted command said can be lost or stale.
    const access = new Database(join(dataDir, 'access.sqlite'), { readonly: true });
    expect(access.prepare('SELECT key FROM idempotent_answers ORDER BY key').all()).toEqual([{ key: 'block-twice' }]);
    access.close();
    const t = await start();
    const before = await t.head();

    const created = await t.http
      .post('/v1/launches')
      .set(bearer(first.manager))
      .set('Idempotency-Key', 'create-1')
      .send({ name: 'Once', product: 'P', targetDate: '2030-06-01', tier: 3 });
    const blocked = await t.http
      .post(`/v1/launches/${first.launchId}/tasks/${first.taskId}/block`)
      .set(bearer(first.manager))
      .set('Idempotency-Key', 'block-1')
      .send({ reason: 'waiting' });

    expect({ status: created.status, body: created.body, replayed: created.headers['idempotent-replayed'] }).toEqual({
      status: 201,
      body: first.created.body,
      replayed: 'true',
    });
    expect({ status: blocked.status, body: blocked.body, replayed: blocked.headers['idempotent-replayed'] }).toEqual({
      status: 200,
      body: first.blocked.body,
      replayed: 'true',
    });
    expect(await t.head()).toBe(before);
  });

  it('refuses a key reused for a different request with 422, appending nothing, also on another launch', async () => {
    const first = await firstRun();
    const t = await start();
    const before = await t.head();

    const otherBody = await t.http
      .post(`/v1/launches/${first.launchId}/tasks/${first.taskId}/block`)
      .set(bearer(first.manager))
      .set('Idempotency-Key', 'block-1')
      .send({ reason: 'something else' });
    const otherLaunch = await t.http
      .post('/v1/launches')
      .set(bearer(first.manager))
      .set('Idempotency-Key', 'block-1')
      .send({ name: 'Other', product: 'P', targetDate: '2030-06-01', tier: 3 });
    const otherRoute = await t.http
      .post('/v1/launches')
      .set(bearer(first.manager))
      .set('Idempotency-Key', 'create-1')
      .send({ name: 'Twice', product: 'P', targetDate: '2030-06-01', tier: 3 });
    const refusalReused = await t.http
      .post(`/v1/launches/${first.launchId}/tasks/${first.taskId}/block`)
      .set(bearer(first.manager))
      .set('Idempotency-Key', 'block-twice')
      .send({ reason: 'not again' });

    for (const answer of [otherBody, otherLaunch, otherRoute, refusalReused]) {
      expect({ status: answer.status, type: answer.headers['content-type'] }).toEqual({
        status: 422,
        type: expect.stringContaining('application/problem+json'),
      });
      expect(answer.body.errors).toEqual([{ field: 'Idempotency-Key', message: 'already used for a different request' }]);
    }
    expect(await t.head()).toBe(before);
  });

  it('answers a repeated add-task with the task id it stored, and the Location of that task', async () => {
    const first = await firstRun();
    const t = await start();
    const add = () =>
      t.http
        .post(`/v1/launches/${first.launchId}/tasks`)
        .set(bearer(first.manager))
        .set('Idempotency-Key', 'add-1')
        .send({ title: 'Brief the press', department: 'marketing' });
    const added = await add().expect(201);
    await close!();
    const again = await (
      await start()
    ).http
      .post(`/v1/launches/${first.launchId}/tasks`)
      .set(bearer(first.manager))
      .set('Idempotency-Key', 'add-1')
      .send({ title: 'Brief the press', department: 'marketing' });

    expect({ status: again.status, body: again.body, location: again.headers.location }).toEqual({
      status: 201,
      body: added.body,
      location: added.headers.location,
    });
    expect(added.body.taskId).toEqual(expect.any(String));
    expect(added.body.events).toEqual(['TaskAdded']);
  });

  it('replays a refusal too: the same key gets the same 4xx after a restart, even once the command would succeed', async () => {
    const first = await firstRun();
    expect(first.refused.status).toBe(409); // blocking a blocked task
    const t = await start();
    await t.http.post(`/v1/launches/${first.launchId}/tasks/${first.taskId}/unblock`).set(bearer(first.manager)).send({}).expect(200);
    const before = await t.head();

    const again = await t.http
      .post(`/v1/launches/${first.launchId}/tasks/${first.taskId}/block`)
      .set(bearer(first.manager))
      .set('Idempotency-Key', 'block-twice')
      .send({ reason: 'again' });

    expect({ status: again.status, body: again.body }).toEqual({ status: 409, body: first.refused.body });
    expect(await t.head()).toBe(before);
  });
});
