import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { seedLaunch } from './support/seed-launch.js';
import { bearer, startTestApp, type TestApp } from './support/test-app.js';

type Summary = { launchId: string; name: string; targetDate: string; readiness: { percent: number } };
type InboxItem = { launchId: string; launchName: string; taskId: string; title: string; kind: string; dueDate: string; targetDate: string; status: string };

function nextLink(headers: Record<string, string | undefined>): string | undefined {
  const match = headers.link === undefined ? null : /^<([^>]+)>; rel="next"$/.exec(headers.link);
  if (headers.link !== undefined && !match) throw new Error(`unexpected Link header ${headers.link}`);
  return match?.[1];
}

// Each test gets a store of its own and seeds what it lists.
describe('lists at scale: concurrent writes, readiness, bad parameters, inboxes', () => {
  let t: TestApp;
  let manager: string;

  beforeEach(async () => {
    t = await startTestApp();
    manager = await t.principal('launch-manager');
  });
  afterEach(() => t.close());

  const create = (name: string, targetDate: string, tier = 3, product = name) =>
    t.http.post('/v1/launches').set(bearer(manager)).send({ name, product, targetDate, tier }).expect(201);

  /** Follows every Link from `first`; `between` runs after each page. */
  async function follow<T>(first: string, between: (page: number) => Promise<unknown> = async () => undefined): Promise<T[][]> {
    const pages: T[][] = [];
    let url: string | undefined = first;
    while (url !== undefined) {
      if (pages.length > 100) throw new Error('paging did not end');
      const response = await t.http.get(url).set(bearer(manager)).expect(200);
      pages.push(response.body);
      url = nextLink(response.headers);
      await between(pages.length);
    }
    return pages;
  }

  it('paging while launches are created: every launch there at the start is seen exactly once', async () => {
    const dates = (i: number) => new Date(Date.UTC(2030, 0, 1) + (i % 90) * 86_400_000).toISOString().slice(0, 10);
    for (let i = 0; i < 150; i += 10) await Promise.all(Array.from({ length: 10 }, (_, j) => create(`Before ${i + j}`, dates(i + j))));
    const before = (await t.http.get('/v1/launches').set(bearer(manager)).expect(200)).body as Summary[];
    let created = 0;
    // After each page, 5 more launches at dates all over the range: before and after the cursor.
    const pages = await follow<Summary>('/v1/launches?limit=20', () =>
      Promise.all(Array.from({ length: 5 }, () => create(`During ${created}`, dates(created++ * 7)))),
    );
    const seen = pages.flat().map((l) => l.launchId);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => before.some((l) => l.launchId === id))).toEqual(before.map((l) => l.launchId));
    expect(created).toBeGreaterThanOrEqual(35);
  });

  it('a launch whose sort key changes between pages moves: behind the cursor it is missed, ahead of it seen again', async () => {
    const ids: Record<string, string> = {};
    for (const [i, name] of ['A', 'B', 'C', 'D', 'E', 'F'].entries()) ids[name] = (await create(name, `2030-01-0${i + 1}`)).body.launchId;
    const reschedule = (name: string, targetDate: string) =>
      t.http.post(`/v1/launches/${ids[name]}/reschedule`).set(bearer(manager)).send({ targetDate, reason: 'moved' }).expect(200);
    const pages = await follow<Summary>('/v1/launches?limit=2', async (page) => {
      if (page !== 1) return;
      await reschedule('E', '2029-12-01'); // from the unread part to the read part
      await reschedule('A', '2030-12-01'); // from the read part to the unread part
    });
    expect(pages.map((page) => page.map((l) => l.name))).toEqual([
      ['A', 'B'],
      ['C', 'D'],
      ['F', 'A'],
    ]);
    // a walk started afresh sees each once, in its new place
    expect((await follow<Summary>('/v1/launches?limit=4')).flat().map((l) => l.name)).toEqual(['E', 'B', 'C', 'D', 'F', 'A']);
  });

  it('sorts by readiness in the store: least (or most, with -readiness) signed off first', async () => {
    const none = await seedLaunch(t, { name: 'None', targetDate: '2030-05-01' });
    const all = await seedLaunch(t, { name: 'All', targetDate: '2030-06-01', complete: 'required' });
    const some = await seedLaunch(t, { name: 'Some', targetDate: '2030-04-01', complete: (task) => task.kind === 'docs' });
    const read = async (sort: string) =>
      ((await t.http.get(`/v1/launches?sort=${sort}`).set(bearer(manager)).expect(200)).body as Summary[]).map((l) => l.name);
    const percent = (await t.http.get(`/v1/launches/${some.launchId}/readiness`).set(bearer(manager)).expect(200)).body.overall.percent;
    expect(percent).toBeGreaterThan(0);
    expect(percent).toBeLessThan(100);
    expect(await read('readiness')).toEqual(['None', 'Some', 'All']);
    expect(await read('-readiness')).toEqual(['All', 'Some', 'None']);
    expect((await follow<Summary>('/v1/launches?sort=-readiness&limit=1')).flat().map((l) => l.launchId)).toEqual([all.launchId, some.launchId, none.launchId]);
  });

  it('bad limit, cursor, sort, status or q: 400 problems naming the parameter', async () => {
    await create('Any', '2030-03-01');
    const cases: Array<[string, string, RegExp?]> = [
      ['/v1/launches?limit=0', 'limit'],
      ['/v1/launches?limit=501', 'limit'],
      ['/v1/launches?limit=1.5', 'limit'],
      ['/v1/launches?limit=ten', 'limit'],
      ['/v1/launches?cursor=', 'cursor'],
      ['/v1/launches?cursor=abc.def', 'cursor'],
      ['/v1/launches?sort=readiness,name', 'sort'],
      ['/v1/launches?sort=priority', 'sort'],
      ['/v1/launches?status=planning,paused', 'status', /"paused"/],
      ['/v1/launches?status=', 'status'],
      [`/v1/launches?q=${'x'.repeat(201)}`, 'q'],
      ['/v1/departments/sales/tasks?status=open,stale,done', 'status', /"done"/],
      ['/v1/departments/sales/tasks?sort=readiness', 'sort'],
      ['/v1/departments/sales/tasks?limit=600', 'limit'],
      ['/v1/departments/sales/tasks?cursor=x', 'cursor'],
    ];
    for (const [url, field, mention] of cases) {
      const response = await t.http.get(url).set(bearer(manager));
      expect([url, response.status]).toEqual([url, 400]);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      if (mention) expect(response.body.detail).toMatch(mention);
    }
  });

  it('inbox: comma-separated status shows open and stale together, pages through Link, and q and sort apply', async () => {
    const first = await seedLaunch(t, { name: 'Aurora GA', targetDate: '2030-06-01', tier: 2 });
    const second = await seedLaunch(t, { name: 'Borealis', targetDate: '2030-04-01', tier: 2 });
    const third = await seedLaunch(t, { name: 'Cirrus', targetDate: '2030-05-01', tier: 1 });
    // Sales training depends on messaging: reopening a signed-off messaging makes the training stale.
    const messaging = first.task('messaging');
    const training = first.task('sales-training');
    await t.http
      .post(`/v1/launches/${first.launchId}/tasks/${messaging.taskId}/complete`)
      .set(bearer(manager))
      .send({ details: { documentUrl: 'https://docs.example.com/p', version: 'v1' } })
      .expect(200);
    await t.http
      .post(`/v1/launches/${first.launchId}/tasks/${training.taskId}/complete`)
      .set(bearer(manager))
      .send({ details: { sessionDate: '2030-05-20', repsTrained: 9, repsTotal: 10 } })
      .expect(200);
    await t.http
      .post(`/v1/launches/${first.launchId}/tasks/${messaging.taskId}/reopen`)
      .set(bearer(manager))
      .send({ reason: 'positioning changed' })
      .expect(200);

    const blocked = third.task('sales-training').taskId;
    await t.http.post(`/v1/launches/${third.launchId}/tasks/${blocked}/block`).set(bearer(manager)).send({ reason: 'no trainer' }).expect(200);

    const inbox = async (query: string) => (await t.http.get(`/v1/departments/sales/tasks${query}`).set(bearer(manager)).expect(200)).body as InboxItem[];
    const whole = await inbox('');
    expect(whole.map((i) => i.status).sort()).toEqual(['blocked', 'open', 'stale']);
    expect(whole.filter((i) => i.status === 'stale').map((i) => i.taskId)).toEqual([training.taskId]);
    const openOrStale = await inbox('?status=open,stale');
    expect(openOrStale.map((i) => i.taskId)).toEqual(whole.filter((i) => i.status === 'open' || i.status === 'stale').map((i) => i.taskId));
    expect(openOrStale.map((i) => i.status).sort()).toEqual(['open', 'stale']);
    expect((await inbox('?status=open')).some((i) => i.status === 'stale')).toBe(false);

    for (const sort of ['dueDate', '-dueDate', 'targetDate', '-targetDate', 'name', '-name']) {
      const sorted = await inbox(`?sort=${sort}`);
      expect(new Set(sorted.map((i) => i.taskId))).toEqual(new Set(whole.map((i) => i.taskId)));
      const key = (i: InboxItem) => (sort.endsWith('ueDate') ? i.dueDate : sort.endsWith('argetDate') ? i.targetDate : i.launchName);
      const keys = sorted.map(key);
      expect(keys).toEqual([...keys].sort((a, b) => (sort.startsWith('-') ? (a < b ? 1 : a > b ? -1 : 0) : a < b ? -1 : a > b ? 1 : 0)));
      const pages = await follow<InboxItem>(`/v1/departments/sales/tasks?sort=${sort}&limit=2`);
      expect(pages.every((page) => page.length <= 2)).toBe(true);
      expect(pages.flat().map((i) => i.taskId)).toEqual(sorted.map((i) => i.taskId));
    }
    expect(await inbox('?limit=500')).toEqual(whole);

    const matched = await inbox('?q=BOREALIS');
    expect(matched.map((i) => i.launchId)).toEqual(whole.filter((i) => i.launchId === second.launchId).map((i) => i.launchId));
    const training2 = await inbox(`?q=${encodeURIComponent(training.title.toUpperCase())}`);
    expect(training2.map((i) => i.title.toLowerCase())).toEqual(
      whole.filter((i) => i.title.toLowerCase().includes(training.title.toLowerCase())).map((i) => i.title.toLowerCase()),
    );
    expect(training2.length).toBeGreaterThan(0);
  });

  it('without limit the answers are the whole lists in their former order, with no Link', async () => {
    await create('Later', '2030-09-01', 2);
    await create('Sooner', '2030-04-01', 3);
    await create('Same day B', '2030-04-01', 3);
    const launches = await t.http.get('/v1/launches').set(bearer(manager)).expect(200);
    expect(launches.headers.link).toBeUndefined();
    expect(launches.body.map((l: Summary) => l.name)).toEqual(['Same day B', 'Sooner', 'Later']);
    const inbox = await t.http.get('/v1/departments/support/tasks').set(bearer(manager)).expect(200);
    expect(inbox.headers.link).toBeUndefined();
    const order = inbox.body.map((i: InboxItem) => `${i.dueDate}|${i.targetDate}|${i.launchName}|${i.title}`);
    expect(order).toEqual([...order].sort());
  });
});
