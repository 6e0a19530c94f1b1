import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../apps/cli/src/audit.js';
import { bearer, startTestApp } from './support/test-app.js';

/** Starts the app on an existing DATA_DIR, asks for a launch's verification, and stops it. */
async function verifyThroughApi(dataDir: string, launchId: string) {
  const t = await startTestApp({ DATA_DIR: dataDir });
  try {
    const auditor = await t.principal('auditor');
    return (await t.http.get(`/v1/launches/${launchId}/verify`).set(bearer(auditor)).expect(200)).body;
  } finally {
    await t.close();
  }
}

/** Runs the audit CLI in-process against a DATA_DIR; returns its exit code and what it printed. */
async function audit(dataDir: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), env: { DATA_DIR: dataDir } });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('audit: the hash chain proves nothing was altered', () => {
  const base = mkdtempSync(join(tmpdir(), 'launch-control-audit-'));
  const original = join(base, 'original');
  let launchId: string;
  let otherLaunchId: string;

  /** A copy of the stopped store with one stored event changed directly in SQLite. */
  const tampered = (name: string, sql: string[]): string => {
    const dir = join(base, name);
    cpSync(original, dir, { recursive: true });
    const db = new Database(join(dir, 'events.sqlite'));
    db.transaction(() => {
      for (const statement of sql) expect(db.prepare(statement).run(`launch-${launchId}`).changes).toBe(1);
    })();
    db.close();
    return dir;
  };

  beforeAll(async () => {
    const t = await startTestApp({ DATA_DIR: original });
    const manager = await t.principal('launch-manager');
    const create = async (name: string) =>
      (await t.http.post('/v1/launches').set(bearer(manager)).send({ name, product: name, targetDate: '2030-06-01', tier: 3 }).expect(201)).body
        .launchId as string;
    launchId = await create('Audited');
    otherLaunchId = await create('Bystander');
    const tasks = (await t.http.get(`/v1/launches/${launchId}?atRevision=0`).set(bearer(manager)).expect(200)).body.tasks;
    const id = (kind: string) => tasks.find((task: { kind: string }) => task.kind === kind).taskId;
    await t.http
      .post(`/v1/launches/${launchId}/tasks/${id('messaging')}/complete`)
      .set(bearer(manager))
      .send({ note: 'approved', details: { documentUrl: 'https://d.example.com/m', version: '3' } })
      .expect(200);
    await t.http
      .post(`/v1/launches/${launchId}/tasks/${id('release')}/block`)
      .set(bearer(manager))
      .send({ reason: 'waiting for QA' })
      .expect(200);
    await t.http
      .post(`/v1/launches/${launchId}/tasks/${id('release')}/unblock`)
      .set(bearer(manager))
      .send({ note: 'QA passed' })
      .expect(200);
    await t.close(); // the store is tampered with only while no app holds it open
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('verifies an untouched store as valid, counting every event', async () => {
    expect(await verifyThroughApi(original, launchId)).toEqual({ launchId, valid: true, events: 4 });
  });

  it.each([
    ['data', ["UPDATE events SET data = json_set(data, '$.note', 'forged') WHERE stream_id = ? AND revision = 2"], 2],
    ['type', ["UPDATE events SET type = 'TaskCompleted' WHERE stream_id = ? AND revision = 1"], 1],
    [
      'order',
      [
        'UPDATE events SET revision = 100 WHERE stream_id = ? AND revision = 1',
        'UPDATE events SET revision = 1 WHERE stream_id = ? AND revision = 2',
        'UPDATE events SET revision = 2 WHERE stream_id = ? AND revision = 100',
      ],
      1,
    ],
    ['removal', ['DELETE FROM events WHERE stream_id = ? AND revision = 1'], 1],
    ['metadata', ["UPDATE events SET metadata = json_set(metadata, '$.actor.name', 'Somebody Else') WHERE stream_id = ? AND revision = 3"], 3],
  ])('reports the first altered revision when a stored event’s %s is changed', async (name, sql, revision) => {
    const dir = tampered(name, sql);
    const verification = await verifyThroughApi(dir, launchId);
    expect(verification).toEqual({ launchId, valid: false, events: name === 'removal' ? 3 : 4, firstInvalidRevision: revision });
    expect(await verifyThroughApi(dir, otherLaunchId)).toEqual({ launchId: otherLaunchId, valid: true, events: 1 });
  });

  it('answers 404 for an unknown launch and 400 for an id that is not one', async () => {
    const t = await startTestApp({ DATA_DIR: original });
    try {
      const auditor = await t.principal('auditor');
      const missing = await t.http.get('/v1/launches/00000000-0000-4000-8000-000000000000/verify').set(bearer(auditor)).expect(404);
      expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
      await t.http.get('/v1/launches/not-an-id/verify').set(bearer(auditor)).expect(400);
      await t.http.get(`/v1/launches/${launchId}/verify`).expect(401);
    } finally {
      await t.close();
    }
  });

  describe('the audit command line', () => {
    it('verifies one launch and exits 0 when its chain is intact', async () => {
      const result = await audit(original, 'verify', launchId);
      expect(result).toMatchObject({ code: 0, out: `launch ${launchId}: valid (4 events)` });
    });

    it('exits 1 naming the launch and the revision when a chain is broken, also with --all', async () => {
      const dir = tampered('cli-data', ["UPDATE events SET data = json_set(data, '$.reason', 'no reason') WHERE stream_id = ? AND revision = 2"]);
      const one = await audit(dir, 'verify', launchId);
      expect(one.code).toBe(1);
      expect(one.out).toContain(`launch ${launchId}: BROKEN at revision 2`);
      const all = await audit(dir, 'verify', '--all');
      expect(all.code).toBe(1);
      expect(all.out.split('\n')).toEqual([
        `launch ${launchId}: BROKEN at revision 2 (4 events)`,
        `launch ${otherLaunchId}: valid (1 events)`,
        '2 launches verified, 1 broken',
      ]);
      expect((await audit(original, 'verify', '--all')).code).toBe(0);
    });

    it('exits 2 for an unknown launch or bad usage', async () => {
      expect((await audit(original, 'verify', '00000000-0000-4000-8000-000000000000')).code).toBe(2);
      expect((await audit(original, 'verify')).code).toBe(2);
      expect((await audit(original, 'history', launchId, '--as-of', 'yesterday')).code).toBe(2);
    });

    it('prints a readable timeline, and with --as-of stops there and judges readiness then', async () => {
      const full = await audit(original, 'history', launchId);
      expect(full.code).toBe(0);
      const lines = full.out.split('\n');
      expect(lines.slice(0, 4).map((line) => line.split('  ')[2])).toEqual(['LaunchCreated', 'MessagingApproved', 'TaskBlocked', 'TaskUnblocked']);
      expect(lines[1]).toMatch(
        /r1 {2}MessagingApproved {2}by launch-manager \(launch-manager\) .*note=approved .*details=\{"documentUrl":"https:\/\/d.example.com\/m","version":"3"\}/,
      );
      expect(lines[2]).toContain('reason=waiting for QA');
      const firstTwo = lines[1]!.slice(0, 24);
      const partial = await audit(original, 'history', launchId, '--as-of', firstTwo);
      expect(partial.out.split('\n').filter((l) => / r\d+ /.test(l))).toHaveLength(2);
      expect(partial.out).toContain(`-- as of ${firstTwo}: planning, readiness 33%`);
      const before = await audit(original, 'history', launchId, '--as-of', '2000-01-01T00:00:00Z');
      expect(before.code).toBe(2);
    });
  });
});
