import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { csvDownload, DatedLaunches } from './support/dated-launches.js';
import { ADMIN_TOKEN, bearer, startTestApp, type TestApp } from './support/test-app.js';

/**
 * Launches driven over HTTP on a clock the test sets, then their reports compared with numbers
 * worked out by hand from the script (never by calling the report code).
 */
describe('reports from the log', () => {
  let t: TestApp;
  let d: DatedLaunches;
  let manager: string;
  let auditor: string;
  const at = (instant: string) => d.at(instant);
  const post = (path: string, body: Record<string, unknown>, status?: number) => d.post(path, body, status);
  const report = async (launchId: string, token = auditor) => (await t.http.get(`/v1/launches/${launchId}/report`).set(bearer(token)).expect(200)).body;
  const window = async (from: string, to: string, token = auditor) =>
    (await t.http.get(`/v1/reports/departments?from=${from}&to=${to}&minPosition=${d.position}`).set(bearer(token)).expect(200)).body;
  const csv = (path: string) => csvDownload(t, auditor, path);

  let scripted: string;
  const windowLaunches: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    d = await DatedLaunches.on(t);
    manager = await t.principal('launch-manager');
    auditor = await t.principal('auditor');

    // Tier 2, target 03-31: messaging due 03-10, sales 03-21 (after messaging), pr 03-24, support-training 03-26, release 03-28, docs 03-29.
    at('2030-03-01T09:00:00.000Z');
    const l = await d.create('=Scripted', '2030-03-31', 2);
    scripted = l.launchId;
    at('2030-03-08T10:00:00.000Z');
    await l.complete('messaging'); // on time, but not the sign-off that stands
    at('2030-03-09T10:00:00.000Z');
    await d.patch(l.task('pr'), { dueDate: '2030-03-15' });
    at('2030-03-16T22:00:00.000Z');
    await l.complete('pr'); // due 03-15: 1 day late
    at('2030-03-18T10:00:00.000Z');
    await l.complete('sales-training');
    at('2030-03-19T10:00:00.000Z');
    await post(`${l.task('messaging')}/reopen`, { reason: 'wrong claims' }); // messaging and sales invalidated
    // +4 days for what is not signed off: messaging 03-14, sales 03-25, support 03-30, release 04-01, docs 04-02
    at('2030-03-20T10:00:00.000Z');
    const moved = await post(`/v1/launches/${scripted}/reschedule`, { targetDate: '2030-04-04', reason: 'slip' });
    expect(moved.warnings).toEqual([
      {
        code: 'TaskAlreadyOverdue',
        taskId: l.id('messaging'),
        title: 'Positioning and messaging approved',
        department: 'product-marketing',
        dueDate: '2030-03-14',
      },
    ]);
    at('2030-03-22T10:00:00.000Z');
    await l.complete('messaging'); // due 03-14: 8 days late
    at('2030-03-27T10:00:00.000Z');
    await l.complete('sales-training'); // due 03-25: 2 days late
    at('2030-03-28T10:00:00.000Z');
    await l.complete('support-training'); // due 03-30: on time
    at('2030-03-29T10:00:00.000Z');
    await post(`${l.task('docs')}/waive`, { reason: 'covered by release notes' });
    at('2030-04-01T23:00:00.000Z');
    await l.complete('release'); // due 04-01: on time, on the day
    at('2030-04-02T09:00:00.000Z');
    await post(`/v1/launches/${scripted}/decision`, { decision: 'go' });
    at('2030-04-04T10:00:00.000Z');
    await post(`/v1/launches/${scripted}/launched`, {});

    // Tier 3 launches for the window: messaging due target-5, release target-2, docs target-1.
    const launchOn = async (name: string, target: string, lateKinds: string[], waive: string[] = [], launch = true) => {
      at('2030-05-01T09:00:00.000Z');
      const w = await d.create(name, target, 3);
      windowLaunches[name] = w.launchId;
      const due: Record<string, number> = { messaging: 5, release: 2, docs: 1 };
      for (const kind of ['messaging', 'release', 'docs']) {
        const day = new Date(Date.parse(`${target}T12:00:00.000Z`) - (due[kind] - (lateKinds.includes(kind) ? 1 : 0)) * 86_400_000);
        at(day.toISOString());
        if (waive.includes(kind)) await post(`${w.task(kind)}/waive`, { reason: 'n/a' });
        else await w.complete(kind);
      }
      if (!launch) return;
      at(`${target}T08:00:00.000Z`);
      await post(`/v1/launches/${w.launchId}/decision`, { decision: 'go' });
      at(`${target}T10:00:00.000Z`);
      await post(`/v1/launches/${w.launchId}/launched`, {});
    };
    await launchOn('W1', '2030-05-10', ['release']);
    await launchOn('W2', '2030-05-20', ['messaging'], ['docs']);
    await launchOn('W3', '2030-06-01', []);
    await launchOn('W4', '2030-05-15', ['messaging'], [], false);
  });
  afterAll(() => t.close());

  /** One department's figures, in the order of the answer's fields (a table worked out by hand). */
  const row = (department: string, ...n: Array<number | null>) => {
    const [tasks, completed, onTime, late, daysLate, averageDaysLate, waived, notDone, signOffsInvalidated, onTimeRate] = n;
    return { department, tasks, completed, onTime, late, daysLate, averageDaysLate, waived, notDone, signOffsInvalidated, onTimeRate };
  };
  // prettier-ignore
  const SCRIPTED_DEPARTMENTS = [
    //                       tasks done onTime late days avg  waived notDone invalid rate
    row('product-marketing', 1,    1,   0,     1,   8,   8,   0,     0,      1,      0),
    row('marketing',         1,    1,   0,     1,   1,   1,   0,     0,      0,      0),
    row('sales',             1,    1,   0,     1,   2,   2,   0,     0,      1,      0),
    row('support',           2,    1,   1,     0,   0,   null, 1,    0,      0,      1),
    row('engineering',       1,    1,   1,     0,   0,   null, 0,    0,      0,      1),
  ];
  // prettier-ignore
  const WINDOW_DEPARTMENTS = [
    { ...row('product-marketing', 2, 2, 1, 1, 1, 1,    0, 0, 0, 0.5), launches: 2 },
    { ...row('support',           2, 1, 1, 0, 0, null, 1, 0, 0, 1),   launches: 2 },
    { ...row('engineering',       2, 2, 1, 1, 1, 1,    0, 0, 0, 0.5), launches: 2 },
  ];

  it('reports a scripted launch as worked out by hand, to every principal who may read it', async () => {
    const answer = await report(scripted);
    expect(answer).toMatchObject({
      launchId: scripted,
      name: '=Scripted',
      status: 'launched',
      targetDate: '2030-04-04',
      createdAt: '2030-03-01T09:00:00.000Z',
      goDecidedAt: '2030-04-02T09:00:00.000Z',
      launchedAt: '2030-04-04T10:00:00.000Z',
      daysToGo: 32,
      daysToLaunch: 34,
      departments: SCRIPTED_DEPARTMENTS,
    });
    const byKey = Object.fromEntries((answer.tasks as Array<{ key: string }>).map((task) => [task.key, task]));
    expect(byKey.messaging).toMatchObject({
      completedAt: '2030-03-22T10:00:00.000Z',
      dueDateAtCompletion: '2030-03-14',
      daysLate: 8,
      completions: 2,
      signOffsInvalidated: 1,
    });
    expect(byKey.pr).toMatchObject({ dueDate: '2030-03-15', daysLate: 1, onTime: false });
    expect(byKey.release).toMatchObject({ dueDateAtCompletion: '2030-04-01', daysLate: 0, onTime: true });
    expect(byKey.docs).toMatchObject({ status: 'waived', daysLate: null, onTime: null });
    for (const token of [ADMIN_TOKEN, manager, await t.principal('department', 'legal')]) expect(await report(scripted, token)).toEqual(answer);
  });

  it('answers the on-time rate per department over the launches that launched in the window, both ends included', async () => {
    const answer = await window('2030-05-10', '2030-05-20');
    expect(answer.launches.map((l: { name: string }) => l.name)).toEqual(['W1', 'W2']);
    expect(answer.departments).toEqual(WINDOW_DEPARTMENTS);
    expect((await window('2030-05-11', '2030-05-19')).departments).toEqual([]);
    expect((await window('2030-06-01', '2030-06-01')).launches.map((l: { launchId: string }) => l.launchId)).toEqual([windowLaunches.W3]);
    const april = await window('2030-04-01', '2030-04-30');
    expect(april.launches.map((l: { launchId: string }) => l.launchId)).toEqual([scripted]);
    expect(april.departments.map(({ launches, ...rest }: { launches: number }) => (expect(launches).toBe(1), rest))).toEqual(SCRIPTED_DEPARTMENTS);
  });

  it('gives both reports as formula-safe CSV', async () => {
    const rows = await csv(`/v1/launches/${scripted}/report?format=csv`);
    expect(rows.map((row) => row.department)).toEqual(SCRIPTED_DEPARTMENTS.map((d) => d.department));
    expect(rows[0]).toMatchObject({
      launchId: scripted,
      launchName: "'=Scripted",
      daysToGo: '32',
      daysToLaunch: '34',
      daysLate: '8',
      averageDaysLate: '8',
      onTimeRate: '0',
    });
    expect(rows[3]).toMatchObject({ department: 'support', averageDaysLate: '', onTimeRate: '1', waived: '1' });
    const window = await csv('/v1/reports/departments?from=2030-05-10&to=2030-05-20&format=csv');
    expect(window).toEqual(
      WINDOW_DEPARTMENTS.map((d) => ({
        from: '2030-05-10',
        to: '2030-05-20',
        ...Object.fromEntries(Object.entries(d).map(([key, value]) => [key, value === null ? '' : String(value)])),
      })),
    );
  });

  it('answers the same reports after the read models are rebuilt from zero', async () => {
    const before = { launch: await report(scripted), window: await window('2030-03-01', '2030-06-30') };
    expect(before.window.launches).toHaveLength(4);
    await t.http.post('/v1/admin/projections/rebuild').set(bearer(ADMIN_TOKEN)).expect(202);
    for (let i = 0; ; i++) {
      const status = (await t.http.get('/v1/admin/projections').set(bearer(ADMIN_TOKEN)).expect(200)).body;
      if (status.state !== 'rebuilding' && status.generation === 1) break;
      if (i > 400) throw new Error('the rebuild did not finish');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect({ launch: await report(scripted), window: await window('2030-03-01', '2030-06-30') }).toEqual(before);
  });

  it('refuses a bad window or format with a 400 problem, departments with a 403, and appends nothing', async () => {
    const before = await t.headPosition();
    for (const query of [
      'from=2030-05-20&to=2030-05-10',
      'from=2030-01-01&to=2031-01-02',
      'from=2030-01-01',
      'from=2030-02-30&to=2030-03-01',
      'from=yesterday&to=2030-03-01',
      'from=2030-01-01&to=2030-01-31&format=xlsx',
      'from=2030-01-01&to=2030-01-31&launchId=x',
    ]) {
      const response = await t.http.get(`/v1/reports/departments?${query}`).set(bearer(auditor));
      expect({ query, status: response.status, type: response.headers['content-type'] }).toEqual({
        query,
        status: 400,
        type: expect.stringMatching(/^application\/problem\+json/),
      });
    }
    await t.http.get(`/v1/launches/${scripted}/report?format=pdf`).set(bearer(auditor)).expect(400);
    await t.http.get('/v1/launches/00000000-0000-4000-8000-000000000000/report').set(bearer(auditor)).expect(404);
    await t.http
      .get('/v1/reports/departments?from=2030-05-10&to=2030-05-20')
      .set(bearer(await t.principal('department', 'sales')))
      .expect(403);
    expect(await t.headPosition()).toBe(before);
  });
});
