import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { get as httpGet, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HTML_CSP } from '../http/security-headers.js';
import { startTestApp, type TestApp } from '../../../../test/support/test-app.js';

describe('the dashboard is served at / without a token: hashed bundles cached for good, the page revalidated', () => {
  let t: TestApp;
  let scriptPath: string;
  let stylesPath: string;

  beforeAll(async () => {
    const build = spawnSync(process.execPath, [join(process.cwd(), 'apps', 'web', 'build.mjs')], { encoding: 'utf8' });
    expect(build.status).toBe(0);
    t = await startTestApp();
    const page = await t.http.get('/').expect(200);
    scriptPath = /<script type="module" src="(\/assets\/main-[0-9a-f]{12}\.js)"><\/script>/.exec(page.text)?.[1] ?? '';
    stylesPath = /<link rel="stylesheet" href="(\/assets\/styles-[0-9a-f]{12}\.css)" \/>/.exec(page.text)?.[1] ?? '';
  });
  afterAll(() => t.close());

  it('answers / with the page, under the self-only HTML policy, referencing one hashed script and one hashed stylesheet', async () => {
    const page = await t.http.get('/').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toBe(HTML_CSP);
    expect(scriptPath).not.toBe('');
    expect(stylesPath).not.toBe('');
    expect(page.text.match(/<script/g)).toHaveLength(1);
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|\sstyle=|https?:\/\//);

    const script = await t.http.get(scriptPath).expect(200);
    expect(script.headers['content-type']).toMatch(/javascript/);
    expect(script.text).toContain(`sourceMappingURL=${scriptPath.split('/').pop()}.map`);
    await t.http.get(`${scriptPath}.map`).expect(200).expect('Content-Type', /json/);
    const styles = await t.http
      .get(stylesPath)
      .expect(200)
      .expect('Content-Type', /text\/css/);
    // Every stylesheet of apps/web/static is in the one bundle, in name order.
    const sheets = readdirSync(join(process.cwd(), 'apps', 'web', 'static'))
      .filter((name) => name.endsWith('.css'))
      .sort();
    expect(sheets.length).toBeGreaterThan(1);
    const positions = sheets.map((name) => styles.text.indexOf(`/* ${name} */`));
    expect(positions.every((position) => position >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('caches the hashed bundles for a year as immutable', async () => {
    for (const path of [scriptPath, stylesPath]) {
      const answer = await t.http.get(path).expect(200);
      expect(answer.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(answer.headers.etag).toMatch(/^"[^"]+"$/);
    }
  });

  it('revalidates the page: no-cache with a strong ETag, 304 on If-None-Match, still under the HTML policy', async () => {
    const page = await t.http.get('/').expect(200);
    expect(page.headers['cache-control']).toBe('no-cache');
    const etag = page.headers.etag;
    expect(etag).toMatch(/^"[^"]+"$/); // strong: no W/
    const again = await t.http.get('/').set('If-None-Match', etag).expect(304);
    expect(again.text ?? '').toBe('');
    expect(again.headers.etag).toBe(etag);
    // A browser merges a 304's headers into its cached page: they must carry the page's policy.
    expect(again.headers['content-security-policy']).toBe(HTML_CSP);
    await t.http.get('/').set('If-None-Match', '"something-else"').expect(200);
  });

  it('sends the precompressed brotli or gzip copy by Accept-Encoding, each its own validator', async () => {
    // node:http gives the bytes as sent (supertest would decode them on the way).
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    const get = (path: string, headers: Record<string, string>) =>
      new Promise<{ statusCode: number; headers: IncomingHttpHeaders; rawPayload: Buffer }>((resolve, reject) => {
        httpGet({ host: '127.0.0.1', port, path, headers }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ statusCode: response.statusCode ?? 0, headers: response.headers, rawPayload: Buffer.concat(chunks) }));
        }).on('error', reject);
      });
    const identity = await get(scriptPath, { 'accept-encoding': 'identity' });
    expect(identity.statusCode).toBe(200);
    expect(identity.headers['content-encoding']).toBeUndefined();
    const original = identity.rawPayload;

    const br = await get(scriptPath, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/Accept-Encoding/);
    expect(brotliDecompressSync(br.rawPayload).equals(original)).toBe(true);
    expect(br.rawPayload.length).toBeLessThan(original.length / 2);

    const gzip = await get(scriptPath, { 'accept-encoding': 'gzip, br;q=0' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.rawPayload).equals(original)).toBe(true);
    expect(new Set([identity.headers.etag, br.headers.etag, gzip.headers.etag]).size).toBe(3);

    const page = await get('/', { 'accept-encoding': 'br' });
    expect(page.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(page.rawPayload).toString()).toContain(scriptPath);
    expect((await get('/', { 'accept-encoding': 'br', 'if-none-match': String(page.headers.etag) })).statusCode).toBe(304);
  });

  it('keeps every API route behind a token and unknown paths (old per-module files too) as problem documents', async () => {
    await t.http.get('/v1/launches').expect(401);
    for (const path of ['/no-such-file.js', '/js/main.js', '/assets/main-000000000000.js']) {
      const unknown = await t.http.get(path).expect(404);
      expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
    }
  });
});
