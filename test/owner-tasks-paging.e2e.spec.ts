import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, startTestApp, type TestApp } from './support/test-app.js';

type Item = { launchId: string; launchName: string; taskId: string; title: string; department: string; dueDate: string; targetDate: string; status: string };
type Task = { taskId: string; kind: string; department: string };

function nextLink(headers: Record<string, string | undefined>): string | undefined {
  const match = headers.link === undefined ? null : /^<([^>]+)>; rel="next"$/.exec(headers.link);
  if (headers.link !== undefined && !match) throw new Error(`unexpected Link header ${headers.link}`);
  return match?.[1];
}

// The primary key of each sort, as a client can check it from the answer alone (ties: see docs/api.md).
const PRIMARY: Record<string, (item: Item) => string> = {
  dueDate: (item) => item.dueDate,
  targetDate: (item) => item.targetDate,
  name: (item) => item.launchName,
};
const inOrder = (items: Item[], sort: string) => {
  const keys = items.map(PRIMARY[sort.replace('-', '')]!);
  const sorted = [...keys].sort();
  return JSON.stringify(keys) === JSON.stringify(sort.startsWith('-') ? sorted.reverse() : sorted);
};

const lin = { name: 'Lin Owner', email: 'lin.owner@example.com' };
const grace = { name: 'Grace Hopper', email: 'grace@example.com' };

describe("one person's tasks at scale: GET /v1/tasks?owner= pages, sorts and searches like the inbox", () => {
  let t: TestApp;
  let manager: string;
  let position = 0;
  const linTasks: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    manager = await t.principal('launch-manager');
    // Five launches of six tasks; two share a target date so due dates tie across launches. Lin owns
    // every task of the first four (one of which is then cancelled), Grace those of the fifth.
    const launches = [
      ['Vega', '2030-06-01'],
      ['Altair', '2030-06-01'],
      ['Deneb', '2030-05-10'],
      ['Rigel', '2030-07-20'],
      ['Sirius', '2030-05-15'],
    ] as const;
    for (const [index, [name, targetDate]] of launches.entries()) {
      const created = await t.http.post('/v1/launches').set(bearer(manager)).send({ name, product: name, targetDate, tier: 2 }).expect(201);
      const launchId = created.body.launchId as string;
      const launch = await t.http.get(`/v1/launches/${launchId}?minPosition=${created.body.position}`).set(bearer(manager)).expect(200);
      for (const task of launch.body.tasks as Task[]) {
        const owner = index === 4 ? grace : { ...lin, email: index % 2 ? lin.email.toUpperCase() : lin.email };
        const patched = await t.http.patch(`/v1/launches/${launchId}/tasks/${task.taskId}`).set(bearer(manager)).send({ owner }).expect(200);
        position = patched.body.position;
        if (index < 3) linTasks.push(task.taskId);
      }
      if (index === 0) {
        const release = (launch.body.tasks as Task[]).find((task) => task.kind === 'release')!;
        const blocked = await t.http
          .post(`/v1/launches/${launchId}/tasks/${release.taskId}/block`)
          .set(bearer(manager))
          .send({ reason: 'waiting' })
          .expect(200);
        position = blocked.body.position;
      }
      if (index === 3) {
        const cancelled = await t.http.post(`/v1/launches/${launchId}/cancel`).set(bearer(manager)).send({ reason: 'dropped' }).expect(200);
        position = cancelled.body.position;
      }
    }
  }, 60_000);
  afterAll(() => t.close());

  /** Follows every `Link` from `first`; the pages and the links. */
  async function follow(first: string): Promise<{ pages: Item[][]; links: string[] }> {
    const pages: Item[][] = [];
    const links: string[] = [];
    let url: string | undefined = first;
    while (url !== undefined) {
      if (pages.length > 50) throw new Error('paging did not end');
      const response = await t.http.get(url).set(bearer(manager)).expect(200);
      pages.push(response.body);
      url = nextLink(response.headers);
      if (url !== undefined) links.push(url);
    }
    return { pages, links };
  }
  const whole = async (query: string) => {
    const response = await t.http.get(`/v1/tasks?minPosition=${position}&${query}`).set(bearer(manager)).expect(200);
    expect(response.headers.link).toBeUndefined();
    return response.body as Item[];
  };
  const ids = (items: Item[]) => items.map((item) => item.taskId);

  it('without limit the answer is complete; with limit every page is followed, each task once, in the same order, for every sort', async () => {
    const all = await whole('owner=Lin.Owner@example.COM');
    expect(ids(all).sort()).toEqual([...linTasks].sort());
    expect(new Set(all.map((item) => item.launchId)).size).toBe(3);
    expect(inOrder(all, 'dueDate')).toBe(true);

    for (const sort of ['dueDate', '-dueDate', 'targetDate', '-targetDate', 'name', '-name']) {
      const sorted = await whole(`owner=lin.owner@example.com&sort=${sort}`);
      expect(inOrder(sorted, sort)).toBe(true);
      const { pages, links } = await follow(`/v1/tasks?owner=lin.owner@example.com&sort=${encodeURIComponent(sort)}&limit=4`);
      expect(pages.map((page) => page.length)).toEqual([4, 4, 4, 4, 2]);
      for (const link of links) expect(link).toMatch(new RegExp(`^/v1/tasks\\?owner=lin.owner@example.com&sort=${sort}&limit=4&cursor=[\\w.-]+$`));
      const paged = ids(pages.flat());
      expect(new Set(paged).size).toBe(linTasks.length);
      expect(paged).toEqual(ids(sorted));
    }
    // A limit at least as large as the list: one page, no Link.
    const single = await t.http.get('/v1/tasks?owner=lin.owner@example.com&limit=18').set(bearer(manager)).expect(200);
    expect(single.headers.link).toBeUndefined();
    expect(ids(single.body)).toEqual(ids(all));
  });

  it('status (a list) and q filter before paging, and the Link keeps them', async () => {
    const all = await whole('owner=lin.owner@example.com');
    const expected = all.filter((item) => ['open', 'blocked'].includes(item.status) && /trained|vega/i.test(`${item.title} ${item.launchName}`));
    // Vega's six tasks (one blocked) and the two training tasks of each other launch
    expect(expected).toHaveLength(6 + 2 * 2);
    expect(expected.some((item) => item.status === 'blocked')).toBe(true);
    const trained = await follow('/v1/tasks?owner=lin.owner@example.com&status=open,blocked&q=TRAINED&limit=3');
    const vega = await follow('/v1/tasks?owner=lin.owner@example.com&status=open,blocked&q=vEgA&limit=3');
    expect(trained.links[0]).toMatch(/^\/v1\/tasks\?owner=lin.owner@example.com&status=open,blocked&q=TRAINED&limit=3&cursor=/);
    const seen = [...trained.pages.flat(), ...vega.pages.flat()];
    expect(new Set(ids(seen))).toEqual(new Set(ids(expected)));

    const blocked = (await follow('/v1/tasks?owner=lin.owner@example.com&status=blocked&limit=1')).pages.flat();
    expect(blocked.map((item) => [item.launchName, item.department, item.status])).toEqual([['Vega', 'engineering', 'blocked']]);
    expect(await whole('owner=grace@example.com&q=vega')).toEqual([]);
  });

  it('refuses bad parameters and cursors of another owner, sort or list with 400 problems', async () => {
    const first = await t.http.get('/v1/tasks?owner=lin.owner@example.com&limit=2').set(bearer(manager)).expect(200);
    const cursor = new URLSearchParams(nextLink(first.headers)!.split('?')[1]).get('cursor')!;
    const refused = async (query: string, detail: RegExp) => {
      const response = await t.http.get(`/v1/tasks?${query}`).set(bearer(manager)).expect(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(JSON.stringify(response.body)).toMatch(detail);
    };
    await refused(`owner=grace@example.com&limit=2&cursor=${cursor}`, /other filters/);
    await refused(`owner=lin.owner@example.com&limit=2&sort=name&cursor=${cursor}`, /another sort/);
    await refused(`owner=lin.owner@example.com&limit=2&status=open&cursor=${cursor}`, /other filters/);
    await refused('owner=lin.owner@example.com&limit=2&cursor=not-a-cursor', /cursor/);
    const inbox = await t.http.get('/v1/departments/support/tasks?limit=1').set(bearer(manager)).expect(200);
    const inboxCursor = new URLSearchParams(nextLink(inbox.headers)!.split('?')[1]).get('cursor')!;
    await refused(`owner=lin.owner@example.com&limit=1&cursor=${inboxCursor}`, /another list/);
    for (const limit of ['0', '501', '1.5', 'ten']) await refused(`owner=lin.owner@example.com&limit=${limit}`, /"field":"limit"/);
    await refused('owner=lin.owner@example.com&sort=dueDate,name', /"field":"sort"/);
    await refused('owner=lin.owner@example.com&status=open,done', /unknown value \\"done\\"/);
    await refused(`owner=lin.owner@example.com&q=${'x'.repeat(201)}`, /"field":"q"/);
    await refused('status=open&limit=2', /"field":"owner"/);
    // the same cursor with the same query, in any case of the address, is fine
    await t.http.get(`/v1/tasks?owner=LIN.OWNER@example.com&limit=2&cursor=${cursor}`).set(bearer(manager)).expect(200);
  });
});
