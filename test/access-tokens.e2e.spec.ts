import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createApp } from '../apps/api/src/app.factory.js';
import { loadConfig } from '../apps/api/src/config/app-config.js';

/** Tokens are secrets: shown once, kept only as hashes, never written to a log. */
describe('bearer tokens', () => {
  const dirs: string[] = [];
  afterEach(() => {
    jest.restoreAllMocks();
    dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true }));
  });

  /** Everything the process prints, whichever way it prints it (console or the Nest logger's stdout/stderr). */
  function captureOutput(): () => string {
    const chunks: string[] = [];
    const keep = (...args: unknown[]) => {
      chunks.push(args.map(String).join(' '));
    };
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) jest.spyOn(console, method).mockImplementation(keep);
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => (keep(chunk), true));
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => (keep(chunk), true));
    return () => chunks.join('\n');
  }

  async function start(dataDir: string) {
    const app = await createApp({ config: loadConfig({ DATA_DIR: dataDir }), logger: ['log', 'error', 'warn', 'fatal', 'debug', 'verbose'] });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return { app, http: request(app.getHttpServer()) };
  }

  it('prints the generated admin token once, at the first start, and never logs it or any other token again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'launch-control-tokens-'));
    dirs.push(dataDir);
    const output = captureOutput();

    let { app, http } = await start(dataDir);
    const adminToken = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    const auth = { Authorization: `Bearer ${adminToken}` };
    const created = await http.post('/v1/principals').set(auth).send({ name: 'Lee', role: 'launch-manager' }).expect(201);
    const token = created.body.token as string;
    await http
      .get('/v1/me')
      .set({ Authorization: `Bearer ${token}` })
      .expect(200);
    await http
      .post('/v1/launches')
      .set({ Authorization: `Bearer ${token}` })
      .send({ name: 'x', tier: 9 })
      .expect(400);
    await http
      .get('/v1/me')
      .set({ Authorization: `Bearer ${token}x` })
      .expect(401);
    await http.delete(`/v1/principals/${created.body.id}`).set(auth).expect(204);
    await http
      .get('/v1/me')
      .set({ Authorization: `Bearer ${token}` })
      .expect(401);
    await app.close();
    ({ app, http } = await start(dataDir));
    await http.get('/v1/me').set(auth).expect(200);
    await app.close();

    const printed = output();
    expect(printed.split(adminToken).length - 1).toBe(1);
    expect(printed).not.toContain(token);
    expect(printed).not.toContain(token.slice(3, 20));
  });

  it('keeps only hashes at rest: no token is in any file of DATA_DIR but the 0600 admin-token file', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'launch-control-tokens-'));
    dirs.push(dataDir);
    captureOutput();
    const { app, http } = await start(dataDir);
    const adminToken = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
    const tokens = [adminToken];
    for (const role of ['launch-manager', 'auditor']) {
      tokens.push(
        (
          await http
            .post('/v1/principals')
            .set({ Authorization: `Bearer ${adminToken}` })
            .send({ name: role, role })
            .expect(201)
        ).body.token,
      );
    }
    const listed = await http
      .get('/v1/principals')
      .set({ Authorization: `Bearer ${adminToken}` })
      .expect(200);
    await app.close();

    for (const file of readdirSync(dataDir).filter((f) => f !== 'admin-token')) {
      const bytes = readFileSync(join(dataDir, file));
      for (const token of tokens) expect({ file, containsToken: bytes.includes(Buffer.from(token)) }).toEqual({ file, containsToken: false });
    }
    for (const token of tokens) expect(JSON.stringify(listed.body)).not.toContain(token);
    expect(JSON.stringify(listed.body)).not.toMatch(/hash/i);
    expect(new Set(tokens).size).toBe(tokens.length);
    for (const token of tokens) expect(Buffer.from(token.replace(/^lc_/, ''), 'base64url').length).toBeGreaterThanOrEqual(32);
  });
});
