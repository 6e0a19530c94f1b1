import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/test-app.js';

const SECRET = 'whsec-0123456789abcdef';
const URL = 'http://127.0.0.1:9/hooks'; // never answered: these tests do not wait for deliveries

describe('webhooks: admin only, validated, never showing the secret', () => {
  let t: TestApp;
  const admin = bearer(ADMIN_TOKEN);

  beforeAll(async () => {
    t = await startTestApp({}, { webhooks: { retry: { minDelayMs: 1000, maxDelayMs: 1000 }, timeoutMs: 500, allowPrivate: true } });
  });
  afterAll(() => t.close());

  it('creates a webhook: 201, Location, starting at the head of the log, the secret never shown', async () => {
    const response = await t.http
      .post('/v1/webhooks')
      .set(admin)
      .send({ url: URL, secret: SECRET, events: ['GoDecided'] })
      .expect(201);
    expect(response.body).toEqual({
      id: expect.any(String),
      url: URL,
      events: ['GoDecided'],
      createdAt: expect.any(String),
      position: await t.headPosition(),
      secretSet: true,
      state: expect.any(String),
    });
    expect(response.headers.location).toBe(`/v1/webhooks/${response.body.id}`);
    const all = await t.http.post('/v1/webhooks').set(admin).send({ url: 'https://hooks.example.com/x', secret: SECRET }).expect(201);
    expect(all.body.events).toBeNull();

    const list = (await t.http.get('/v1/webhooks').set(admin).expect(200)).body;
    expect(list.map((w: { id: string }) => w.id)).toEqual(expect.arrayContaining([response.body.id, all.body.id]));
    const one = (await t.http.get(`/v1/webhooks/${response.body.id}`).set(admin).expect(200)).body;
    expect(one).toMatchObject({ id: response.body.id, url: URL, events: ['GoDecided'], secretSet: true });
    for (const answer of [response.body, all.body, list, one]) expect(JSON.stringify(answer)).not.toContain(SECRET);
  });

  it('is for admins only: 403 for every other role, 401 without a token', async () => {
    const created = (await t.http.post('/v1/webhooks').set(admin).send({ url: URL, secret: SECRET }).expect(201)).body;
    for (const token of [await t.principal('launch-manager'), await t.principal('auditor'), await t.principal('department', 'sales')]) {
      const as = bearer(token);
      await t.http.post('/v1/webhooks').set(as).send({ url: URL, secret: SECRET }).expect(403);
      await t.http.get('/v1/webhooks').set(as).expect(403);
      await t.http.get(`/v1/webhooks/${created.id}`).set(as).expect(403);
      await t.http.get(`/v1/webhooks/${created.id}/deliveries`).set(as).expect(403);
      await t.http.post(`/v1/webhooks/${created.id}/replay`).set(as).send({ fromPosition: 0 }).expect(403);
      await t.http.delete(`/v1/webhooks/${created.id}`).set(as).expect(403);
    }
    await t.http.get('/v1/webhooks').expect(401);
    await t.http.get(`/v1/webhooks/${created.id}`).set(admin).expect(200);
  });

  it.each([
    ['a URL that is not http(s)', { url: 'ftp://hooks.example.com/x', secret: SECRET }, 'url'],
    ['a URL that is not a URL', { url: 'hooks', secret: SECRET }, 'url'],
    ['a URL over 2048 characters', { url: `https://h.example.com/${'a'.repeat(2048)}`, secret: SECRET }, 'url'],
    ['no secret', { url: URL }, 'secret'],
    ['a secret under 16 characters', { url: URL, secret: 'short' }, 'secret'],
    ['a secret over 256 characters', { url: URL, secret: 's'.repeat(257) }, 'secret'],
    ['an unknown event type', { url: URL, secret: SECRET, events: ['TaskCompleted', 'LaunchExploded'] }, 'events'],
    ['an empty event list', { url: URL, secret: SECRET, events: [] }, 'events'],
    ['a negative fromPosition', { url: URL, secret: SECRET, fromPosition: -1 }, 'fromPosition'],
    ['an unknown field', { url: URL, secret: SECRET, retries: 3 }, 'retries'],
  ])('refuses %s with a 400 problem and stores nothing', async (_case, body, field) => {
    const before = (await t.http.get('/v1/webhooks').set(admin).expect(200)).body.length;
    const response = await t.http.post('/v1/webhooks').set(admin).send(body).expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 400, errors: expect.arrayContaining([expect.objectContaining({ field })]) });
    expect((await t.http.get('/v1/webhooks').set(admin).expect(200)).body).toHaveLength(before);
  });

  it('answers 404 for an unknown webhook and 400 for an id that is not a UUID', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    await t.http.get(`/v1/webhooks/${unknown}`).set(admin).expect(404);
    await t.http.get(`/v1/webhooks/${unknown}/deliveries`).set(admin).expect(404);
    await t.http.post(`/v1/webhooks/${unknown}/replay`).set(admin).send({ fromPosition: 0 }).expect(404);
    await t.http.delete(`/v1/webhooks/${unknown}`).set(admin).expect(404);
    await t.http.get('/v1/webhooks/not-a-uuid').set(admin).expect(400);
  });

  it('validates replays and delivery queries', async () => {
    const { id } = (await t.http.post('/v1/webhooks').set(admin).send({ url: URL, secret: SECRET }).expect(201)).body;
    await t.http.post(`/v1/webhooks/${id}/replay`).set(admin).send({}).expect(400);
    await t.http.post(`/v1/webhooks/${id}/replay`).set(admin).send({ fromPosition: 'zero' }).expect(400);
    await t.http.post(`/v1/webhooks/${id}/replay`).set(admin).send({ fromPosition: 1.5 }).expect(400);
    await t.http.get(`/v1/webhooks/${id}/deliveries?limit=0`).set(admin).expect(400);
    await t.http.get(`/v1/webhooks/${id}/deliveries?limit=abc`).set(admin).expect(400);
    expect((await t.http.get(`/v1/webhooks/${id}`).set(admin).expect(200)).body.position).toBe(await t.headPosition());
  });

  it('deletes: 204, then 404', async () => {
    const { id } = (await t.http.post('/v1/webhooks').set(admin).send({ url: URL, secret: SECRET }).expect(201)).body;
    await t.http.delete(`/v1/webhooks/${id}`).set(admin).expect(204);
    await t.http.get(`/v1/webhooks/${id}`).set(admin).expect(404);
    await t.http.delete(`/v1/webhooks/${id}`).set(admin).expect(404);
  });
});
