import { ADMIN_TOKEN, bearer, type TestApp } from './test-app.js';

/** Evidence that fits each task kind, for completing a task of that kind. */
export const EVIDENCE_OF_KIND: Readonly<Record<string, Record<string, unknown> | undefined>> = {
  messaging: { documentUrl: 'https://docs.example.com/positioning', version: 'v2' },
  'sales-training': { sessionDate: '2026-11-20', repsTrained: 38, repsTotal: 40 },
  pr: { announceAt: '2030-03-01T09:00:00Z', outlets: ['TechCrunch', 'The Verge'] },
  pricing: { currency: 'USD', listPrice: 99 },
  'support-training': { sessionDate: '2026-11-19', agentsTrained: 25 },
  docs: { url: 'https://help.example.com/aurora' },
  release: { version: '3.0.0' },
  generic: undefined,
};

export interface SeededTask {
  taskId: string;
  key: string;
  title: string;
  department: string;
  kind: string;
  required: boolean;
  dueDate: string;
  status: string;
  dependsOn?: string[];
}

export interface SeededLaunch {
  launchId: string;
  /** The tasks as the launch held them once seeded. */
  tasks: SeededTask[];
  /** The launch stream's revision and the global position after the last seeding command. */
  revision: number;
  position: number;
  /** The first task of `kind` (throws if the launch has none). */
  task(kind: string): SeededTask;
}

export interface LaunchSeed {
  name?: string;
  product?: string;
  targetDate?: string;
  tier?: 1 | 2 | 3;
  description?: string;
  /** The bearer token that sends the seeding commands: the admin's unless given. */
  as?: string;
  /** Which tasks to complete (with fitting evidence, dependencies first): `required`, or a test on each task. */
  complete?: 'required' | ((task: SeededTask) => boolean);
}

/**
 * Given: a launch created over HTTP, and optionally some of its tasks completed, so that a test
 * seeds the stream it needs instead of relying on what an earlier test left behind.
 */
export async function seedLaunch(t: TestApp, seed: LaunchSeed = {}): Promise<SeededLaunch> {
  const auth = bearer(seed.as ?? ADMIN_TOKEN);
  const { name = 'Seeded launch', product = 'Seeded', targetDate = '2030-03-01', tier = 3, description, complete } = seed;
  const created = await t.http
    .post('/v1/launches')
    .set(auth)
    .send({ name, product, targetDate, tier, ...(description !== undefined && { description }) })
    .expect(201);
  const launchId = created.body.launchId as string;
  let revision = created.body.revision as number;
  let position = created.body.position as number;
  const planned: SeededTask[] = (await t.http.get(`/v1/launches/${launchId}?atRevision=0`).set(auth).expect(200)).body.tasks;

  const wanted = complete === undefined ? [] : planned.filter(complete === 'required' ? (task) => task.required : complete);
  const done = new Set<string>();
  while (done.size < wanted.length) {
    const ready = wanted.filter((task) => !done.has(task.taskId) && (task.dependsOn ?? []).every((id) => done.has(id) || !wanted.some((w) => w.taskId === id)));
    if (ready.length === 0) throw new Error('seedLaunch: the tasks to complete depend on tasks left open');
    for (const task of ready) {
      const evidence = EVIDENCE_OF_KIND[task.kind];
      const response = await t.http
        .post(`/v1/launches/${launchId}/tasks/${task.taskId}/complete`)
        .set(auth)
        .send({ note: `${task.key} done`, evidenceUrl: 'https://evidence.example.com/1', ...(evidence && { details: evidence }) })
        .expect(200);
      ({ revision, position } = response.body);
      done.add(task.taskId);
    }
  }

  const tasks: SeededTask[] = (await t.http.get(`/v1/launches/${launchId}?atRevision=${revision}`).set(auth).expect(200)).body.tasks;
  return {
    launchId,
    tasks,
    revision,
    position,
    task(kind) {
      const found = tasks.find((task) => task.kind === kind);
      if (!found) throw new Error(`seedLaunch: the launch has no ${kind} task`);
      return found;
    },
  };
}
