import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { bearer, startTestApp, type TestApp } from './support/test-app.js';

/** Input that used to be quietly reinterpreted is refused, naming what is wrong, and appends nothing. */
describe('strict input', () => {
  let t: TestApp;
  let manager: string;
  let launchId: string;
  let taskId: string;
  let before: number;

  beforeAll(async () => {
    t = await startTestApp();
    manager = await t.principal('launch-manager');
    const created = await t.http
      .post('/v1/launches')
      .set(bearer(manager))
      .send({ name: 'Strict', product: 'Strict', targetDate: '2030-06-01', tier: 3 })
      .expect(201);
    launchId = created.body.launchId;
    taskId = (await t.http.get(`/v1/launches/${launchId}?minPosition=${created.body.position}`).set(bearer(manager)).expect(200)).body.tasks[0].taskId;
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    before = await t.headPosition();
  });

  /** Sends the bytes as they are (supertest would otherwise JSON-encode a Buffer). */
  const post = (path: string, raw: string | Buffer) =>
    t.http
      .post(path)
      .set(bearer(manager))
      .set('Content-Type', 'application/json')
      .serialize((body: unknown) => body as string)
      .send(raw as string);
  const expectRefused = async (response: { status: number; headers: Record<string, string>; body: Record<string, unknown> }, detail: RegExp) => {
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.detail).toMatch(detail);
    expect(await t.headPosition()).toBe(before);
  };

  it('refuses a well-formed JSON body carrying bytes that are not UTF-8, instead of storing U+FFFD', async () => {
    const body = Buffer.concat([Buffer.from('{"name":"Caf'), Buffer.from([0xe9]), Buffer.from('","product":"P","targetDate":"2030-02-01","tier":3}')]);
    await expectRefused(await post('/v1/launches', body), /UTF-8/);
    const overlong = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('","product":"P","targetDate":"2030-02-01","tier":3}')]);
    await expectRefused(await post('/v1/launches', overlong), /UTF-8/);
  });

  it('stores real UTF-8 text exactly as sent', async () => {
    const name = 'Café ☕ 𝄞 launch';
    const created = await post('/v1/launches', Buffer.from(JSON.stringify({ name, product: 'P', targetDate: '2030-02-01', tier: 3 }), 'utf8')).expect(201);
    const launch = await t.http.get(`/v1/launches/${created.body.launchId}?minPosition=${created.body.position}`).set(bearer(manager)).expect(200);
    expect(launch.body.name).toBe(name);
  });

  it.each([
    ['null', /not null/],
    ['"text"', /not a string/],
    ['42', /not a number/],
    ['[]', /not an array/],
  ])('refuses a command body of %s instead of reading it as {}', async (raw, detail) => {
    await expectRefused(await post(`/v1/launches/${launchId}/tasks/${taskId}/block`, raw), detail);
  });

  it.each([
    ['__proto__', '{"__proto__":{"admin":true},"reason":"r"}', '__proto__'],
    ['constructor', '{"constructor":{"prototype":{"admin":true}},"reason":"r"}', 'constructor'],
    ['prototype', '{"reason":"r","prototype":1}', 'prototype'],
  ])('refuses a %s key by name, not as invalid JSON', async (_key, raw, field) => {
    const response = await post(`/v1/launches/${launchId}/tasks/${taskId}/block`, raw);
    await expectRefused(response, new RegExp(`"${field}" is not accepted as a field name`));
    expect(response.body.errors).toEqual([{ field, message: expect.any(String) }]);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('names the path of a forbidden key nested in details', async () => {
    const response = await post(`/v1/launches/${launchId}/tasks/${taskId}/complete`, '{"details":{"version":"1","__proto__":{"x":1}}}');
    await expectRefused(response, /"__proto__" is not accepted/);
    expect(response.body.errors).toEqual([{ field: 'details.__proto__', message: expect.any(String) }]);
  });

  it.each(['', '/readiness', `/tasks/{task}`])('refuses asOf together with atRevision on GET /v1/launches/{id}%s, naming both', async (suffix) => {
    const path = `/v1/launches/${launchId}${suffix.replace('{task}', taskId)}?asOf=2030-01-01T00:00:00Z&atRevision=0`;
    const response = await t.http.get(path).set(bearer(manager));
    await expectRefused(response, /atRevision.*asOf|asOf.*atRevision/);
    expect(response.body.errors).toEqual([expect.objectContaining({ field: 'atRevision', message: expect.stringMatching(/asOf/) })]);
    await t.http
      .get(`/v1/launches/${launchId}${suffix.replace('{task}', taskId)}?atRevision=0`)
      .set(bearer(manager))
      .expect(200);
  });
});
