import { expect, jest } from '@jest/globals';
import type { Response } from 'superagent';
import { CLOCK, type Clock } from '../../apps/api/src/infrastructure/injection-tokens.js';
import { csvObjects } from './audit-csv.js';
import { EVIDENCE_OF_KIND } from './seed-launch.js';
import { bearer, type TestApp } from './test-app.js';

const asText = (res: Response, done: (err: Error | null, body: string) => void) => {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (body += chunk));
  res.on('end', () => done(null, body));
};

/**
 * A launch manager sending commands on a clock the test sets (`at`), so that what a test scripts
 * happens on the days it names; `position` is that of the last command sent.
 */
export class DatedLaunches {
  position = 0;
  private now = new Date('2030-01-01T09:00:00.000Z');

  private constructor(
    private readonly t: TestApp,
    private readonly manager: string,
  ) {}

  static async on(t: TestApp): Promise<DatedLaunches> {
    const dated = new DatedLaunches(t, await t.principal('launch-manager'));
    jest.spyOn(t.app.get<Clock>(CLOCK), 'now').mockImplementation(() => new Date(dated.now));
    return dated;
  }

  at(instant: string): void {
    this.now = new Date(instant);
  }

  async post(path: string, body: Record<string, unknown>, status = 200) {
    const response = await this.t.http.post(path).set(bearer(this.manager)).send(body).expect(status);
    if (response.body.position !== undefined) this.position = response.body.position;
    return response.body;
  }

  async patch(path: string, body: Record<string, unknown>) {
    return (await this.t.http.patch(path).set(bearer(this.manager)).send(body).expect(200)).body;
  }

  /** Creates a launch; tasks are then named by kind. */
  async create(name: string, targetDate: string, tier: 1 | 2 | 3) {
    const created = await this.post('/v1/launches', { name, product: 'Reports', targetDate, tier }, 201);
    const launchId = created.launchId as string;
    const tasks = (await this.t.http.get(`/v1/launches/${launchId}?atRevision=0`).set(bearer(this.manager)).expect(200)).body.tasks as Array<{
      taskId: string;
      kind: string;
    }>;
    const id = (kind: string) => tasks.find((task) => task.kind === kind)!.taskId;
    const task = (kind: string) => `/v1/launches/${launchId}/tasks/${id(kind)}`;
    const evidence = (kind: string) => (EVIDENCE_OF_KIND[kind] ? { details: EVIDENCE_OF_KIND[kind] } : {});
    return { launchId, created, id, task, complete: (kind: string) => this.post(`${task(kind)}/complete`, evidence(kind)) };
  }
}

/** A CSV download, checked for its media type and disposition, as objects by header. */
export async function csvDownload(t: TestApp, token: string, path: string): Promise<Array<Record<string, string>>> {
  const response = await t.http.get(path).set(bearer(token)).buffer(true).parse(asText).expect(200);
  expect(response.headers['content-type']).toMatch(/^text\/csv/);
  expect(response.headers['content-disposition']).toMatch(/^attachment; filename=".+\.csv"$/);
  return csvObjects(response.body as string);
}
