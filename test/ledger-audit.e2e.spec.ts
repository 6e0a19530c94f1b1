import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../apps/cli/src/audit.js';
import { forgeAppend, headCovering, rehash, tamper } from './support/ledger-fixtures.js';
import { bearer, startTestApp, type TestApp } from './support/test-app.js';

/**
 * The attacks of issue 15, each made on a copy of a stopped store by editing events.sqlite, then
 * `audit check` with a receipt taken before: every one is named and exits 1; the untouched store exits 0.
 */
describe('audit check: the log only grew since a receipt', () => {
  const base = mkdtempSync(join(tmpdir(), 'launch-control-ledger-audit-'));
  const original = join(base, 'original');
  const keyFile = join(base, 'keys', 'ledger.pem');
  const receiptFile = join(base, 'head.json');
  let launchId: string;
  let stream: string;
  let salesTaskId: string;
  let copies = 0;

  const audit = async (dataDir: string, ...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(args, { out: (l) => out.push(l), err: (l) => err.push(l), env: { DATA_DIR: dataDir, LEDGER_KEY_FILE: keyFile } });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const copy = (): string => {
    const dir = join(base, `copy-${++copies}`);
    cpSync(original, dir, { recursive: true });
    return dir;
  };
  const start = (dataDir: string) => startTestApp({ DATA_DIR: dataDir, LEDGER_KEY_FILE: keyFile });

  beforeAll(async () => {
    const t = await start(original);
    const manager = await t.principal('launch-manager');
    const auditor = await t.principal('auditor');
    launchId = (await t.http.post('/v1/launches').set(bearer(manager)).send({ name: 'Audited', product: 'A', targetDate: '2030-06-01', tier: 2 }).expect(201))
      .body.launchId;
    stream = `launch-${launchId}`;
    await t.http.post('/v1/launches').set(bearer(manager)).send({ name: 'Bystander', product: 'B', targetDate: '2030-06-01', tier: 3 }).expect(201);
    const tasks = (await t.http.get(`/v1/launches/${launchId}`).set(bearer(manager))).body.tasks as Array<{ taskId: string; kind: string; department: string }>;
    salesTaskId = tasks.find((task) => task.kind === 'sales-training')!.taskId;
    const others = tasks.filter((task) => task.kind !== 'sales-training' && task.kind !== 'pr').slice(0, 3);
    expect(others).toHaveLength(3);
    for (const task of others)
      await t.http
        .post(`/v1/launches/${launchId}/tasks/${task.taskId}/block`)
        .set(bearer(manager))
        .send({ reason: `waiting ${task.department}` })
        .expect(200);
    await headCovering(t, auditor, await t.headPosition());
    await t.close();
    const receipt = await audit(original, 'receipt');
    expect(receipt.code).toBe(0);
    writeFileSync(receiptFile, `> launch-control@0.1.0 audit\n> node dist/apps/cli/src/audit.js receipt\n\n${receipt.out}\n`);
  }, 60_000);
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('checks an untouched store clean (exit 0), also the receipt as npm printed it', async () => {
    const result = await audit(original, 'check', receiptFile);
    expect(result.out).toMatch(/^OK: the log extends the receipt/);
    expect(result.code).toBe(0);
  });

  it.each([
    [
      "deleting a launch's last event",
      (dir: string) => tamper(dir, [`DELETE FROM events WHERE position = (SELECT MAX(position) FROM events WHERE stream_id = ?)`, `launch-${launchId}`]),
      /fewer than the receipt|differs from the one signed/,
    ],
    [
      'changing who signed the last event, hash recomputed',
      (dir: string) => {
        tamper(dir, [
          `UPDATE events SET metadata = json_set(metadata, '$.actor.id', 'someone-else') WHERE position = (SELECT MAX(position) FROM events WHERE stream_id = ?)`,
          stream,
        ]);
        rehash(dir, stream, 3); // the launch's revisions are 0 (created) to 3 (three blocks)
      },
      /unauthenticated event at leaf \d+: stream launch-/,
    ],
    [
      'rewriting a sign-off mid-stream, every later hash recomputed',
      (dir: string) => {
        tamper(dir, [`UPDATE events SET data = json_set(data, '$.reason', 'rewritten') WHERE stream_id = ? AND revision = 2`, stream]);
        rehash(dir, stream, 2);
      },
      /unauthenticated event at leaf \d+: stream launch-.* revision 2/,
    ],
    [
      'truncating several events',
      (dir: string) => tamper(dir, ['DELETE FROM events WHERE position > (SELECT MAX(position) - 3 FROM events)']),
      /fewer than the receipt/,
    ],
    [
      'reordering two events of different launches (each chain intact)',
      (dir: string) =>
        tamper(
          dir,
          ['UPDATE events SET position = -1 WHERE position = 2'],
          ['UPDATE events SET position = 2 WHERE position = 3'],
          ['UPDATE events SET position = 3 WHERE position = -1'],
        ),
      /differs from the one signed|root differs/,
    ],
  ])('names %s and exits 1', async (_attack, attack, message) => {
    const dir = copy();
    attack(dir);
    const result = await audit(dir, 'check', receiptFile);
    expect(result.out).toMatch(message);
    expect(result.code).toBe(1);
  });

  it('names a forged, correctly chained sign-off by an unknown principal; verify and history report it too', async () => {
    const dir = copy();
    forgeAppend(
      dir,
      stream,
      'ReleaseApproved',
      { taskId: salesTaskId, details: { version: '9.9' } },
      { id: 'ghost', name: 'Ghost', role: 'department', department: 'sales' },
    );
    const result = await audit(dir, 'check', receiptFile);
    expect(result.out).toMatch(/unauthenticated event at leaf \d+: stream launch-.* \(ReleaseApproved\)/);
    expect(result.code).toBe(1);
    const verify = await audit(dir, 'verify', launchId);
    expect(verify.out).toMatch(/UNAUTHENTICATED event at revision \d+/);
    expect(verify.code).toBe(1);
    const history = await audit(dir, 'history', launchId);
    expect(history.out.split('\n')[0]).toMatch(/^!! launch .*UNAUTHENTICATED/);
    expect(history.code).toBe(1);
    expect((await audit(original, 'history', launchId)).code).toBe(0);
  });

  it('catches a deleted last event even after the server appended again at the reused revision', async () => {
    const dir = copy();
    tamper(dir, [`DELETE FROM events WHERE position = (SELECT MAX(position) FROM events WHERE stream_id = ?)`, stream]);
    const t: TestApp = await start(dir);
    try {
      const manager = await t.principal('launch-manager');
      const tasks = (await t.http.get(`/v1/launches/${launchId}?atRevision=0`).set(bearer(manager))).body.tasks as Array<{ taskId: string; kind: string }>;
      await t.http
        .post(`/v1/launches/${launchId}/tasks/${tasks.find((task) => task.kind === 'pr')!.taskId}/block`)
        .set(bearer(manager))
        .send({ reason: 'later' })
        .expect(200);
    } finally {
      await t.close();
    }
    const result = await audit(dir, 'check', receiptFile);
    expect(result.out).toMatch(/differs from the one signed|root differs/);
    expect(result.code).toBe(1);
  });

  it('proves a rollback of the whole DATA_DIR to an older copy', async () => {
    const older = copy();
    const t = await start(original);
    let laterReceipt: string;
    try {
      const manager = await t.principal('launch-manager');
      const auditor = await t.principal('auditor');
      await t.http.post('/v1/launches').set(bearer(manager)).send({ name: 'Later', product: 'L', targetDate: '2030-06-01', tier: 3 }).expect(201);
      laterReceipt = JSON.stringify(await headCovering(t, auditor, await t.headPosition()));
    } finally {
      await t.close();
    }
    const file = join(base, 'later.json');
    writeFileSync(file, laterReceipt);
    expect((await audit(original, 'check', file)).code).toBe(0);
    // The first receipt, older than the grown log's head: still extended by it.
    const grown = await audit(original, 'check', receiptFile);
    expect(grown.out).toMatch(/^OK: the log extends the receipt: (\d+) → (?!\1 )\d+ events/);
    expect(grown.code).toBe(0);
    const result = await audit(older, 'check', file);
    expect(result.out).toMatch(/FAILED: size shrank/);
    expect(result.code).toBe(1);
  });

  it('exits 1 on a receipt with a bad signature, 2 on a missing or malformed one', async () => {
    const receipt = JSON.parse((await audit(original, 'receipt')).out);
    const forged = join(base, 'forged.json');
    writeFileSync(forged, JSON.stringify({ ...receipt, treeSize: receipt.treeSize - 1 }));
    const result = await audit(original, 'check', forged);
    expect(result.out).toMatch(/FAILED: bad signature/);
    expect(result.code).toBe(1);
    expect((await audit(original, 'check', join(base, 'absent.json'))).code).toBe(2);
    writeFileSync(join(base, 'junk.json'), '{"treeSize": "many"}');
    expect((await audit(original, 'check', join(base, 'junk.json'))).code).toBe(2);
    expect((await audit(original, 'check')).code).toBe(2);
  });
});
