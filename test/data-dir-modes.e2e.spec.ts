import { afterEach, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { chmodSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createApp } from '../apps/api/src/app.factory.js';
import { loadConfig } from '../apps/api/src/config/app-config.js';
import { bearer } from './support/test-app.js';

/** Every folder and file under `dir` with its permission bits. */
function modes(dir: string): Array<[string, string]> {
  const all: Array<[string, string]> = [];
  const walk = (path: string) => {
    const stat = lstatSync(path);
    all.push([path, (stat.mode & 0o777).toString(8)]);
    if (stat.isDirectory()) for (const entry of readdirSync(path)) walk(join(path, entry));
  };
  walk(dir);
  return all;
}

describe('DATA_DIR is private: the folder 0700, every file in it 0600', () => {
  let parent: string | undefined;
  let app: NestFastifyApplication | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
    if (parent) rmSync(parent, { recursive: true, force: true });
  });

  /** Starts on `dataDir` with a generated admin token, creates a principal and a launch, waits for the views. */
  async function startAndWrite(dataDir: string): Promise<void> {
    app = await createApp({ config: loadConfig({ DATA_DIR: dataDir }), logger: false });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    const http = request(app.getHttpServer());
    const admin = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    const manager = (await http.post('/v1/principals').set(bearer(admin)).send({ name: 'M', role: 'launch-manager' }).expect(201)).body.token;
    const created = await http
      .post('/v1/launches')
      .set(bearer(manager))
      .set('Idempotency-Key', 'modes-1')
      .send({ name: 'Modes', product: 'P', targetDate: '2030-06-01', tier: 3 })
      .expect(201);
    await http.get(`/v1/launches/${created.body.launchId}?minPosition=${created.body.position}`).set(bearer(manager)).expect(200);
  }

  const expectPrivate = (dataDir: string) => {
    const found = modes(dataDir);
    const names = found.map(([path]) => path.slice(dataDir.length + 1));
    expect(names).toEqual(expect.arrayContaining(['admin-token', 'access.sqlite', 'access.sqlite-wal']));
    expect(names.filter((name) => name.endsWith('.sqlite') || name.endsWith('.db')).length).toBeGreaterThanOrEqual(2);
    for (const [path, mode] of found) expect([path, mode]).toEqual([path, path === dataDir ? '700' : '600']);
  };

  it('creates a fresh DATA_DIR 0700 and every store file, WAL and SHM 0600, whatever the umask was', async () => {
    parent = mkdtempSync(join(tmpdir(), 'launch-control-modes-'));
    const dataDir = join(parent, 'data');
    const previous = process.umask(0o022);
    try {
      await startAndWrite(dataDir);
      expectPrivate(dataDir);
    } finally {
      process.umask(previous);
    }
  });

  it('tightens a DATA_DIR left readable by an older version at the next start', async () => {
    parent = mkdtempSync(join(tmpdir(), 'launch-control-modes-'));
    const dataDir = join(parent, 'data');
    await startAndWrite(dataDir);
    await app!.close();
    app = undefined;
    for (const [path] of modes(dataDir)) chmodSync(path, path === dataDir ? 0o755 : 0o644);

    app = await createApp({ config: loadConfig({ DATA_DIR: dataDir }), logger: false });
    await app.init();
    expectPrivate(dataDir);
  });
});
