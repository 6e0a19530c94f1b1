import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import ICAL from 'ical.js';
import { addDays, utcDate } from '#launch';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/test-app.js';

interface CalendarEvent {
  uid: string;
  summary: string;
  description: string;
  start: string;
  allDay: boolean;
}

/** The feed as a calendar application reads it: parsed by ical.js. */
function eventsOf(text: string): CalendarEvent[] {
  const calendar = new ICAL.Component(ICAL.parse(text));
  return calendar.getAllSubcomponents('vevent').map((component) => {
    const event = new ICAL.Event(component);
    return { uid: event.uid, summary: event.summary, description: event.description, start: event.startDate.toString(), allDay: event.startDate.isDate };
  });
}

const pathOf = (url: string) => new URL(url).pathname;

describe('calendar feeds', () => {
  let t: TestApp;
  let manager: string;
  let legal: string;
  let launchId: string;
  let legalTaskId: string;
  let salesTaskId: string;
  const today = utcDate(new Date());

  beforeAll(async () => {
    t = await startTestApp();
    manager = await t.principal('launch-manager');
    legal = await t.principal('department', 'legal');
    const created = await t.http
      .post('/v1/launches')
      .set(bearer(manager))
      .send({ name: 'Aurora GA', product: 'Aurora', targetDate: addDays(today, 60), tier: 3 })
      .expect(201);
    launchId = created.body.launchId;
    const addTask = async (title: string, department: string, dueDate: string) =>
      (await t.http.post(`/v1/launches/${launchId}/tasks`).set(bearer(manager)).send({ title, department, dueDate }).expect(201)).body.taskId as string;
    legalTaskId = await addTask('Sign the DPA', 'legal', addDays(today, 10));
    salesTaskId = await addTask('Train the reps', 'sales', addDays(today, 20));
  });
  afterAll(() => t.close());

  const fetchFeed = async (url: string, headers: Record<string, string> = {}) =>
    t.http
      .get(pathOf(url))
      .set(headers)
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => done(null, text));
      });

  it("serves a department's feed without a token: its tasks' due dates and their launches' target dates, as all-day events with stable UIDs", async () => {
    const created = await t.http.post('/v1/calendar-feeds').set(bearer(legal)).send({ department: 'legal' }).expect(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      department: 'legal',
      url: expect.stringMatching(/^http:\/\/.+\/v1\/calendar-feeds\/.+\.ics$/),
      createdAt: expect.any(String),
    });
    expect(created.headers.location).toBe(`/v1/calendar-feeds/${created.body.id}`);
    const position = await t.headPosition();
    await t.http.get(`/v1/launches/${launchId}?minPosition=${position}`).set(bearer(manager)).expect(200);

    const feed = await fetchFeed(created.body.url);
    expect(feed.status).toBe(200);
    expect(feed.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const events = eventsOf(feed.body as string);
    const byUid = new Map(events.map((e) => [e.uid, e]));
    expect(byUid.get(`launch-${launchId}-target@launch-control`)).toMatchObject({ start: addDays(today, 60), allDay: true, summary: 'Launch: Aurora GA' });
    expect(byUid.get(`task-${legalTaskId}@launch-control`)).toMatchObject({
      start: addDays(today, 10),
      allDay: true,
      summary: 'Due: Sign the DPA (legal, open)',
    });
    expect(byUid.get(`task-${legalTaskId}@launch-control`)!.description).toContain('Department: legal');
    expect(byUid.has(`task-${salesTaskId}@launch-control`)).toBe(false); // another department's task
    // The tier-3 template's legal tasks are in it too; no sales or other department's.
    expect(events.filter((e) => e.uid.startsWith('task-')).every((e) => e.summary.includes('(legal,'))).toBe(true);

    // Unchanged: the same ETag, and If-None-Match gets 304.
    const again = await fetchFeed(created.body.url, { 'If-None-Match': feed.headers.etag });
    expect(again.status).toBe(304);
  });

  it("serves a launch's feed with every task and, once made, the go/no-go decision; a change replaces events by UID", async () => {
    const created = await t.http.post('/v1/calendar-feeds').set(bearer(manager)).send({ launchId }).expect(201);
    const before = await fetchFeed(created.body.url);
    const tasksBefore = eventsOf(before.body as string).filter((e) => e.uid.startsWith('task-'));
    expect(tasksBefore.map((e) => e.uid)).toEqual(expect.arrayContaining([`task-${legalTaskId}@launch-control`, `task-${salesTaskId}@launch-control`]));
    expect(eventsOf(before.body as string).some((e) => e.uid.endsWith('-decision@launch-control'))).toBe(false);

    const decided = await t.http.post(`/v1/launches/${launchId}/decision`).set(bearer(manager)).send({ decision: 'no-go', note: 'pricing open' }).expect(200);
    await t.http
      .get(`/v1/launches/${launchId}?minPosition=${decided.body.position ?? (await t.headPosition())}`)
      .set(bearer(manager))
      .expect(200);
    const after = await fetchFeed(created.body.url, { 'If-None-Match': before.headers.etag });
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    const events = eventsOf(after.body as string);
    expect(events.find((e) => e.uid === `launch-${launchId}-decision@launch-control`)).toMatchObject({
      start: today,
      allDay: true,
      summary: 'NO-GO: Aurora GA',
    });
    expect(new Set(events.map((e) => e.uid)).size).toBe(events.length);
  });

  it('lists the caller its own feeds (an admin every feed), never their URLs', async () => {
    const mine = await t.http.get('/v1/calendar-feeds').set(bearer(legal)).expect(200);
    expect(mine.body).toEqual([{ id: expect.any(String), department: 'legal', createdAt: expect.any(String) }]);
    const all = await t.http.get('/v1/calendar-feeds').set(bearer(ADMIN_TOKEN)).expect(200);
    expect(all.body.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(all.body)).not.toMatch(/lcf_|\.ics|secret/i);
  });

  it('answers 404 alike for a revoked feed, a wrong secret and an unknown feed; only its creator or an admin revokes it', async () => {
    const created = await t.http.post('/v1/calendar-feeds').set(bearer(legal)).send({ department: 'legal' }).expect(201);
    const url = created.body.url as string;
    expect((await fetchFeed(url)).status).toBe(200);
    const wrongSecret = url.replace(/(.)\.ics$/, (_, last: string) => `${last === 'A' ? 'B' : 'A'}.ics`);
    const unknown = url.replace(created.body.id, '00000000-0000-4000-8000-000000000000');
    for (const bad of [wrongSecret, unknown, url.replace(/\.ics$/, ''), url.replace(/\.ics$/, '.txt')]) {
      const answer = await fetchFeed(bad);
      expect({ bad, status: answer.status }).toEqual({ bad, status: 404 });
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    await t.http.delete(`/v1/calendar-feeds/${created.body.id}`).set(bearer(manager)).expect(403);
    await t.http.delete(`/v1/calendar-feeds/${created.body.id}`).set(bearer(legal)).expect(204);
    const revoked = await fetchFeed(url);
    expect(revoked.status).toBe(404);
    expect(revoked.body).not.toContain('revoked');
    await t.http.delete(`/v1/calendar-feeds/${created.body.id}`).set(bearer(legal)).expect(404);
  });

  it('keeps no secret in DATA_DIR: only its hash is stored', async () => {
    const created = await t.http.post('/v1/calendar-feeds').set(bearer(legal)).send({ department: 'legal' }).expect(201);
    const secret = /(lcf_[^/]+)\.ics$/.exec(created.body.url)![1];
    const { readdirSync, readFileSync } = await import('node:fs');
    for (const file of readdirSync(t.dataDir)) {
      if (!file.startsWith('access')) continue;
      expect(readFileSync(`${t.dataDir}/${file}`).includes(Buffer.from(secret))).toBe(false);
    }
  });

  it('refuses bad input with a 400 problem and stores nothing', async () => {
    const before = (await t.http.get('/v1/calendar-feeds').set(bearer(ADMIN_TOKEN)).expect(200)).body.length;
    for (const body of [{}, { department: 'legal', launchId }, { department: 'astrology' }, { launchId: 'not-a-uuid' }, { department: 'legal', extra: 1 }]) {
      const answer = await t.http.post('/v1/calendar-feeds').set(bearer(legal)).send(body);
      expect({ body, status: answer.status }).toEqual({ body, status: 400 });
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    await t.http.post('/v1/calendar-feeds').set(bearer(legal)).send({ launchId: '00000000-0000-4000-8000-000000000000' }).expect(404);
    await t.http.get('/v1/calendar-feeds/not-a-uuid/x.ics').expect(400);
    expect((await t.http.get('/v1/calendar-feeds').set(bearer(ADMIN_TOKEN)).expect(200)).body.length).toBe(before);
  });
});
