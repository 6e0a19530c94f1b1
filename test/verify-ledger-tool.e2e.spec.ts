import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync } from 'node:crypto';
import { eventHash } from '#event-store';
import { publicKeyDocument } from '#ledger';
import { main as audit } from '../apps/cli/src/audit.js';
import { headCovering } from './support/ledger-fixtures.js';
import { bearer, startTestApp, type TestApp } from './support/test-app.js';

const TOOL = new URL('../tools/verify-ledger.mjs', import.meta.url).pathname;

/** Runs the dependency-free verifier as an auditor would: plain node, files in, exit code out. */
function verifier(...args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [TOOL, ...args], { timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, out: `${stdout}${stderr}` });
    });
  });
}

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

describe('tools/verify-ledger.mjs: an auditor verifies without the server', () => {
  const base = mkdtempSync(join(tmpdir(), 'launch-control-verifier-'));
  const file = (name: string, content: string) => {
    const path = join(base, name);
    writeFileSync(path, content);
    return path;
  };
  let t: TestApp;
  let exportText: string;
  let keyFile: string;
  let receiptFile: string;
  let headFile: string;

  beforeAll(async () => {
    t = await startTestApp({ DATA_DIR: join(base, 'data'), LEDGER_KEY_FILE: join(base, 'keys', 'ledger.pem') });
    const manager = await t.principal('launch-manager');
    const auditor = await t.principal('auditor');
    const create = (name: string) =>
      t.http.post('/v1/launches').set(bearer(manager)).send({ name, product: name, targetDate: '2030-06-01', tier: 3 }).expect(201);
    const first = (await create('First')).body.launchId;
    receiptFile = file('receipt.json', JSON.stringify(await headCovering(t, auditor, await t.headPosition())));
    const tasks = (await t.http.get(`/v1/launches/${first}`).set(bearer(manager))).body.tasks;
    await t.http.post(`/v1/launches/${first}/tasks/${tasks[0].taskId}/block`).set(bearer(manager)).send({ reason: 'waiting, "quoted"' }).expect(200);
    await create('Second');
    const head = await headCovering(t, auditor, await t.headPosition());
    headFile = file('head.json', JSON.stringify(head));
    keyFile = file('key.json', JSON.stringify((await t.http.get('/v1/ledger/key').set(bearer(auditor)).expect(200)).body));
    const exported = await t.http
      .get('/v1/ledger/export')
      .set(bearer(auditor))
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => done(null, text));
      });
    expect(exported.headers['content-type']).toMatch(/^application\/x-ndjson/);
    exportText = exported.body as string;
    const receipt = readJson(receiptFile);
    file(
      'consistency.json',
      JSON.stringify((await t.http.get(`/v1/ledger/proofs/consistency?from=${receipt.treeSize}&to=${head.treeSize}`).set(bearer(auditor)).expect(200)).body),
    );
  }, 60_000);
  afterAll(async () => {
    await t.close();
    rmSync(base, { recursive: true, force: true });
  });

  const lines = () => exportText.trimEnd().split('\n');

  it("verifies the export against the key and an earlier receipt, and the server's consistency proof (exit 0)", async () => {
    const log = file('log.ndjson', exportText);
    const result = await verifier('--log', log, '--key', keyFile, '--receipt', receiptFile, '--consistency', join(base, 'consistency.json'));
    expect(result.out).toMatch(/OK: the head of \d+ events .* extends the receipt/);
    expect(result.code).toBe(0);
    expect((await verifier('--log', log, '--key', keyFile, '--receipt', headFile)).code).toBe(0);
  });

  it('names an export edited after the fact, and with the hash recomputed', async () => {
    const at = lines().findIndex((line) => line.includes('TaskBlocked'));
    const edit = (rehash: boolean) =>
      lines().map((line, i) => {
        if (i !== at) return line;
        const event = JSON.parse(line);
        event.data.reason = 'nothing to see';
        if (rehash) event.hash = eventHash({ ...event, metadata: { ...event.metadata, prevHash: event.prevHash } });
        return JSON.stringify(event);
      });
    const plain = await verifier('--log', file('edited.ndjson', `${edit(false).join('\n')}\n`), '--key', keyFile, '--receipt', receiptFile);
    expect(plain.out).toMatch(new RegExp(`FAILED: altered event at leaf ${at}`));
    expect(plain.code).toBe(1);
    const rehashed = await verifier('--log', file('rehashed.ndjson', `${edit(true).join('\n')}\n`), '--key', keyFile, '--receipt', receiptFile);
    expect(rehashed.out).not.toMatch(/altered event/);
    expect(rehashed.out).toMatch(/FAILED: root differs at the head's size/);
    expect(rehashed.code).toBe(1);
  });

  it('names events removed, reordered or appended beyond the signed head', async () => {
    const all = lines();
    const removed = [...all.slice(0, 1), ...all.slice(2)];
    expect((await verifier('--log', file('removed.ndjson', removed.join('\n')), '--key', keyFile, '--receipt', receiptFile)).out).toMatch(
      /FAILED: .*(missing or reordered|fewer than)/,
    );
    const extra = JSON.stringify({ ...JSON.parse(all[0]), leafIndex: all.length - 1 });
    const appended = [...all.slice(0, -1), extra, all[all.length - 1]];
    const result = await verifier('--log', file('appended.ndjson', appended.join('\n')), '--key', keyFile, '--receipt', receiptFile);
    expect(result.out).toMatch(/FAILED: unauthenticated events: leaves \d+\.\.\d+ are not covered by the signed head/);
    expect(result.code).toBe(1);
  });

  it('proves a rollback: an export whose head is older than the receipt', async () => {
    const head = JSON.parse(lines().at(-1)!).signedHead;
    const receipt = readJson(receiptFile);
    const old = lines()
      .slice(0, receipt.treeSize)
      .concat(JSON.stringify({ signedHead: receipt }));
    const result = await verifier('--log', file('old.ndjson', old.join('\n')), '--key', keyFile, '--receipt', file('newer.json', JSON.stringify(head)));
    expect(result.out).toMatch(/FAILED: size shrank/);
    expect(result.code).toBe(1);
  });

  it('verifies what `npm run audit -- export` and `receipt` print, banner lines and all', async () => {
    const run = async (command: string) => {
      const out = ['> launch-control@0.1.0 audit', `> node dist/apps/cli/src/audit.js ${command}`, ''];
      const env = { DATA_DIR: join(base, 'data'), LEDGER_KEY_FILE: join(base, 'keys', 'ledger.pem') };
      expect(await audit([command], { out: (l) => out.push(l), err: () => undefined, env })).toBe(0);
      return file(`cli-${command}.txt`, `${out.join('\n')}\n`);
    };
    const result = await verifier('--log', await run('export'), '--key', keyFile, '--receipt', await run('receipt'));
    expect(result.out).toMatch(/^OK: /);
    expect(result.code).toBe(0);
  });

  it('refuses another key (exit 1) and bad usage (exit 2)', async () => {
    const other = file('other.json', JSON.stringify(publicKeyDocument(generateKeyPairSync('ed25519').publicKey)));
    const result = await verifier('--log', file('log2.ndjson', exportText), '--key', other, '--receipt', receiptFile);
    expect(result.out).toMatch(/FAILED: bad signature/);
    expect(result.code).toBe(1);
    expect((await verifier('--log', 'x')).code).toBe(2);
  });
});
