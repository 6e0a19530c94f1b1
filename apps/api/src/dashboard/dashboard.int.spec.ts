import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { HTML_CSP } from '../http/security-headers.js';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.js';

describe('the dashboard is served at / without a token; the API stays behind it', () => {
  let t: TestApp;

  beforeAll(async () => {
    const build = spawnSync(process.execPath, [join(process.cwd(), 'apps', 'web', 'build.mjs')], { encoding: 'utf8' });
    expect(build.status).toBe(0);
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers / with the page, under the self-only HTML policy, and its script and styles without a token', async () => {
    const page = await t.http.get('/').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toBe(HTML_CSP);
    expect(page.text).toContain('<script type="module" src="/js/main.js"></script>');
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|https?:\/\//);

    const script = await t.http.get('/js/main.js').expect(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    await t.http
      .get('/styles.css')
      .expect(200)
      .expect('Content-Type', /text\/css/);
  });

  it('never answers 304 (a 304 would carry the API policy over the cached page)', async () => {
    const page = await t.http.get('/').expect(200);
    expect(page.headers.etag).toBeUndefined();
    expect(page.headers['last-modified']).toBeUndefined();
    expect(page.headers['cache-control']).toBe('no-cache');
  });

  it('keeps every API route behind a token and unknown paths as problem documents', async () => {
    await t.http.get('/v1/launches').expect(401);
    const unknown = await t.http.get('/no-such-file.js').expect(404);
    expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});
