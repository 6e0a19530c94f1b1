import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/test-app.js';

describe('principals and roles', () => {
  let t: TestApp;
  const admin = bearer(ADMIN_TOKEN);

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('creates a principal: 201, Location, its token shown once (256-bit, random)', async () => {
    const response = await t.http.post('/v1/principals').set(admin).send({ name: 'Sales bot', role: 'department', department: 'sales' }).expect(201);
    expect(response.body).toMatchObject({
      id: expect.any(String),
      name: 'Sales bot',
      role: 'department',
      department: 'sales',
      token: expect.stringMatching(/^lc_[A-Za-z0-9_-]{43}$/),
    });
    expect(response.headers.location).toBe(`/v1/principals/${response.body.id}`);
    const other = await t.http.post('/v1/principals').set(admin).send({ name: 'Sales bot 2', role: 'department', department: 'sales' }).expect(201);
    expect(other.body.token).not.toBe(response.body.token);
    const me = (await t.http.get('/v1/me').set(bearer(response.body.token)).expect(200)).body;
    expect(me).toMatchObject({ id: response.body.id, role: 'department', department: 'sales' });
    expect(me).not.toHaveProperty('token');
  });

  it('lists principals without tokens or hashes', async () => {
    const created = (await t.http.post('/v1/principals').set(admin).send({ name: 'Listed', role: 'auditor' }).expect(201)).body;
    const list = (await t.http.get('/v1/principals').set(admin).expect(200)).body;
    expect(list).toEqual(expect.arrayContaining([expect.objectContaining({ id: created.id, name: 'Listed', role: 'auditor' })]));
    expect(list.length).toBeGreaterThanOrEqual(2); // the admin too
    expect(JSON.stringify(list)).not.toMatch(/token|hash|lc_/i);
  });

  it('requires department for, and only for, the department role', async () => {
    const noDepartment = await t.http.post('/v1/principals').set(admin).send({ name: 'x', role: 'department' }).expect(400);
    expect(noDepartment.body.errors).toEqual([expect.objectContaining({ field: 'department' })]);
    await t.http.post('/v1/principals').set(admin).send({ name: 'x', role: 'auditor', department: 'sales' }).expect(400);
    await t.http.post('/v1/principals').set(admin).send({ name: 'x', role: 'department', department: 'hr' }).expect(400);
    await t.http.post('/v1/principals').set(admin).send({ name: 'x', role: 'superuser' }).expect(400);
  });

  it('revokes at once: the next request with that token is 401', async () => {
    const created = (await t.http.post('/v1/principals').set(admin).send({ name: 'temp', role: 'launch-manager' }).expect(201)).body;
    await t.http.get('/v1/launches').set(bearer(created.token)).expect(200);
    await t.http.delete(`/v1/principals/${created.id}`).set(admin).expect(204);
    await t.http.get('/v1/launches').set(bearer(created.token)).expect(401);
    expect((await t.http.get(`/v1/principals/${created.id}`).set(admin).expect(200)).body.revokedAt).toEqual(expect.any(String));
  });
});
