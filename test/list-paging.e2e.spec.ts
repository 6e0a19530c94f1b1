import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bearer, startTestApp, type TestApp } from './support/test-app.js';

type Summary = { launchId: string; name: string; product: string; tier: number; targetDate: string; status: string; readiness: { percent: number } };

/** Runs `work` over `items` with at most `concurrency` in flight. */
async function inParallel<T>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** The URL of `rel="next"` in a Link header, or undefined on the last page. */
function nextLink(headers: Record<string, string | undefined>): string | undefined {
  const link = headers.link;
  if (link === undefined) return undefined;
  const match = /^<([^>]+)>; rel="next"$/.exec(link);
  if (!match) throw new Error(`unexpected Link header ${link}`);
  return match[1];
}

const ids = (list: Summary[]) => list.map((l) => l.launchId);

// Every sort, as the API defines it: the order a client can check from the answer alone.
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const ORDERS: Record<string, (a: Summary, b: Summary) => number> = {
  targetDate: (a, b) => byCodePoint(a.targetDate, b.targetDate) || byCodePoint(a.name, b.name) || byCodePoint(a.launchId, b.launchId),
  '-targetDate': (a, b) => byCodePoint(b.targetDate, a.targetDate) || byCodePoint(a.name, b.name) || byCodePoint(a.launchId, b.launchId),
  name: (a, b) => byCodePoint(a.name, b.name) || byCodePoint(a.launchId, b.launchId),
  '-name': (a, b) => byCodePoint(b.name, a.name) || byCodePoint(a.launchId, b.launchId),
  readiness: (a, b) => a.readiness.percent - b.readiness.percent || byCodePoint(a.targetDate, b.targetDate) || byCodePoint(a.launchId, b.launchId),
  '-readiness': (a, b) => b.readiness.percent - a.readiness.percent || byCodePoint(a.targetDate, b.targetDate) || byCodePoint(a.launchId, b.launchId),
};

describe('lists at scale: paging 1,200 launches', () => {
  let t: TestApp;
  let manager: string;
  const LAUNCHES = 1200;
  const PRODUCTS = ['Aurora', 'Borealis', 'Cirrus', 'Delta Cloud'];

  /** Follows every `Link: rel="next"` from `first`, returning the pages. */
  async function allPages(first: string, token = manager): Promise<{ pages: Summary[][]; links: string[] }> {
    const pages: Summary[][] = [];
    const links: string[] = [];
    let url: string | undefined = first;
    for (let guard = 0; url !== undefined && guard < 200; guard++) {
      const response = await t.http.get(url).set(bearer(token)).expect(200);
      pages.push(response.body);
      url = nextLink(response.headers);
      if (url !== undefined) links.push(url);
    }
    if (url !== undefined) throw new Error('paging did not end');
    return { pages, links };
  }

  beforeAll(async () => {
    t = await startTestApp();
    manager = await t.principal('launch-manager');
    // Names repeat (ties broken by id) and mix case; target dates spread over two years with many ties.
    await inParallel(
      Array.from({ length: LAUNCHES }, (_, i) => i),
      8,
      (i) =>
        t.http
          .post('/v1/launches')
          .set(bearer(manager))
          .send({
            name: `${i % 3 === 0 ? 'launch' : 'Launch'} ${String(i % 400).padStart(3, '0')}`,
            product: PRODUCTS[i % PRODUCTS.length],
            targetDate: new Date(Date.UTC(2030, 0, 1) + (i % 700) * 86_400_000).toISOString().slice(0, 10),
            tier: 3,
          })
          .expect(201),
    );
  }, 120_000);
  afterAll(() => t.close());

  it('limit=100: every Link followed, each launch exactly once, in the order of the whole list', async () => {
    const whole = (await t.http.get('/v1/launches').set(bearer(manager)).expect(200)) as { body: Summary[]; headers: Record<string, string> };
    expect(whole.body).toHaveLength(LAUNCHES);
    expect(whole.headers.link).toBeUndefined();
    // Without limit: today's order, soonest target date first.
    expect(ids(whole.body)).toEqual(ids([...whole.body].sort(ORDERS.targetDate)));

    const { pages, links } = await allPages('/v1/launches?minPosition=0&limit=100');
    expect(pages.map((page) => page.length)).toEqual(Array(12).fill(100));
    expect(links).toHaveLength(11);
    for (const link of links) expect(link).toMatch(/^\/v1\/launches\?minPosition=0&limit=100&cursor=[\w.-]+$/);
    const paged = ids(pages.flat());
    expect(new Set(paged).size).toBe(LAUNCHES);
    expect(paged).toEqual(ids(whole.body));
  });

  it('every sort pages to the whole sorted list, and the whole list is in that order', async () => {
    for (const sort of Object.keys(ORDERS)) {
      const whole = (await t.http.get(`/v1/launches?sort=${sort}`).set(bearer(manager)).expect(200)).body as Summary[];
      expect(ids(whole)).toEqual(ids([...whole].sort(ORDERS[sort])));
      const { pages } = await allPages(`/v1/launches?sort=${encodeURIComponent(sort)}&limit=500`);
      expect(pages.map((page) => page.length)).toEqual([500, 500, 200]);
      expect(ids(pages.flat())).toEqual(ids(whole));
    }
  });

  it('q matches name or product ignoring case; status takes a list; both page with the other parameters kept', async () => {
    const whole = (await t.http.get('/v1/launches').set(bearer(manager)).expect(200)).body as Summary[];
    const expected = whole.filter((l) => [l.name, l.product].some((field) => field.toLowerCase().includes('delta c')));
    expect(expected.length).toBeGreaterThan(0);
    const { pages, links } = await allPages('/v1/launches?q=DELTA%20c&status=planning,go&tier=3&limit=120');
    expect(ids(pages.flat())).toEqual(ids(expected));
    for (const link of links) expect(link).toMatch(/^\/v1\/launches\?q=DELTA%20c&status=planning,go&tier=3&limit=120&cursor=/);

    const byName = (await t.http.get('/v1/launches?q=LAUNCH%20007').set(bearer(manager)).expect(200)).body as Summary[];
    expect(byName.map((l) => l.name.toLowerCase())).toEqual(Array(3).fill('launch 007'));
    expect((await t.http.get('/v1/launches?status=go,launched').set(bearer(manager)).expect(200)).body).toEqual([]);
    expect((await t.http.get('/v1/launches?status=planning,cancelled').set(bearer(manager)).expect(200)).body).toHaveLength(LAUNCHES);
  });

  it('a cursor is refused with another sort, other filters, another list, or altered: 400 problems', async () => {
    const first = await t.http.get('/v1/launches?limit=10').set(bearer(manager)).expect(200);
    const cursor = new URLSearchParams(nextLink(first.headers)!.split('?')[1]).get('cursor')!;
    const refused = async (url: string, detail: RegExp) => {
      const response = await t.http.get(url).set(bearer(manager)).expect(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(JSON.stringify(response.body)).toMatch(detail);
    };
    await refused(`/v1/launches?limit=10&sort=name&cursor=${cursor}`, /another sort/);
    await refused(`/v1/launches?limit=10&q=x&cursor=${cursor}`, /other filters/);
    await refused(`/v1/departments/support/tasks?limit=10&cursor=${cursor}`, /cursor/);
    const altered = `${cursor.slice(0, 5)}${cursor[5] === 'A' ? 'B' : 'A'}${cursor.slice(6)}`;
    await refused(`/v1/launches?limit=10&cursor=${altered}`, /cursor/);
    await refused('/v1/launches?limit=10&cursor=not-a-cursor', /cursor/);
    await refused(`/v1/launches?limit=10&cursor=${Buffer.from('{"k":[]}').toString('base64url')}.x`, /cursor/);
    // the same cursor with the same query is fine
    await t.http.get(`/v1/launches?limit=10&cursor=${cursor}`).set(bearer(manager)).expect(200);
  });
});
