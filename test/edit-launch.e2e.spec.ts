import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, startTestApp, type TestApp } from './support/test-app.js';
import { WrittenSoFar } from './support/written-so-far.js';

describe('editing a launch (PATCH /v1/launches/{id})', () => {
  let t: TestApp;
  let manager: string;
  let sales: string;
  let writes: WrittenSoFar;

  beforeAll(async () => {
    t = await startTestApp();
    manager = await t.principal('launch-manager');
    sales = await t.principal('department', 'sales');
    writes = new WrittenSoFar(t);
  });
  afterAll(() => t.close());

  const createLaunch = async () => (await writes.createLaunch(manager)).launchId;
  const edit = async (launchId: string, body: unknown, status = 200, token = manager, headers: Record<string, string> = {}) =>
    writes.saw(
      await t.http
        .patch(`/v1/launches/${launchId}`)
        .set(bearer(token))
        .set(headers)
        .send(body as object)
        .expect(status),
    );
  const read = (path: string) => writes.read(path, manager).expect(200);

  it('records what changed, from and to; the launch, the list and the inboxes show the new name', async () => {
    const launchId = await createLaunch();
    const edited = await edit(launchId, { name: 'Comet 2', product: 'Comet', description: 'The second comet' });
    expect(edited.body).toMatchObject({ launchId, revision: 1, events: ['LaunchDetailsEdited'] });
    expect(edited.headers.etag).toBe('"1"');
    const launch = (await read(`/v1/launches/${launchId}`)).body;
    expect(launch).toMatchObject({ name: 'Comet 2', product: 'Comet', description: 'The second comet', revision: 1 });
    expect((await read('/v1/launches')).body.find((l: { launchId: string }) => l.launchId === launchId).name).toBe('Comet 2');
    const inbox = (await read('/v1/departments/support/tasks')).body.filter((item: { launchId: string }) => item.launchId === launchId);
    expect(inbox.length).toBeGreaterThan(0);
    expect(inbox.every((item: { launchName: string }) => item.launchName === 'Comet 2')).toBe(true);
    const history = (await read(`/v1/launches/${launchId}/history`)).body.events;
    expect(history.at(-1)).toMatchObject({
      type: 'LaunchDetailsEdited',
      data: { changes: { name: { from: 'Comet', to: 'Comet 2' }, description: { to: 'The second comet' } } },
    });
  });

  it('unchanged values append nothing: 200 with the current revision', async () => {
    const launchId = await createLaunch();
    const head = await t.headPosition();
    const same = await edit(launchId, { name: 'Comet', product: 'Comet' });
    expect(same.body).toMatchObject({ launchId, revision: 0, events: [] });
    expect(await t.headPosition()).toBe(head);
  });

  it('refuses bad input (400 problem), departments (403), a stale If-Match (412) and finished launches (409), appending nothing', async () => {
    const launchId = await createLaunch();
    const head = await t.headPosition();
    for (const body of [
      {},
      { name: '' },
      { name: '  ' },
      { product: 'x'.repeat(201) },
      { description: 'x'.repeat(4001) },
      { name: 'A', tier: 1 },
      { name: 7 },
    ]) {
      const refused = await edit(launchId, body, 400);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    await edit(launchId, { name: 'Mine' }, 403, sales);
    await edit(launchId, { name: 'Stale' }, 412, manager, { 'If-Match': '"5"' });
    await edit('00000000-0000-4000-8000-000000000000', { name: 'Nobody' }, 404);
    expect(await t.headPosition()).toBe(head);

    expect((await edit(launchId, { name: 'Current' }, 200, manager, { 'If-Match': '"0"' })).body.events).toEqual(['LaunchDetailsEdited']);
    await t.http.post(`/v1/launches/${launchId}/cancel`).set(bearer(manager)).send({ reason: 'dropped' }).expect(200);
    const cancelledHead = await t.headPosition();
    await edit(launchId, { name: 'Too late' }, 409);
    expect(await t.headPosition()).toBe(cancelledHead);
  });
});
