import { bearer, type TestApp } from './test-app.js';

export interface LaunchFields {
  name?: string;
  product?: string;
  targetDate?: string;
  tier?: 1 | 2 | 3;
}

/**
 * A test's writes and reads as a client makes them: each read waits (`minPosition`) until the views
 * hold every write whose answer the test has seen, so it reads its own writes.
 */
export class WrittenSoFar {
  position = 0;

  constructor(private readonly t: TestApp) {}

  /** Notes a write's answer: later reads wait for its position. */
  saw<R extends { body?: { position?: unknown } }>(response: R): R {
    const position = response.body?.position;
    if (typeof position === 'number') this.position = Math.max(this.position, position);
    return response;
  }

  /** A GET as `token`, once the views hold every write seen so far. */
  read(path: string, token: string) {
    return this.t.http.get(`${path}${path.includes('?') ? '&' : '?'}minPosition=${this.position}`).set(bearer(token));
  }

  /** A launch created as `token` (`Comet`, tier 3, 2030-05-20 unless told), read back as it stands. */
  async createLaunch<Task = { taskId: string; kind: string }>(token: string, fields: LaunchFields = {}): Promise<{ launchId: string; tasks: Task[] }> {
    const { name = 'Comet', product = name, targetDate = '2030-05-20', tier = 3 } = fields;
    const created = await this.t.http.post('/v1/launches').set(bearer(token)).send({ name, product, targetDate, tier }).expect(201);
    this.saw(created);
    return (await this.read(`/v1/launches/${created.body.launchId}`, token).expect(200)).body;
  }
}
