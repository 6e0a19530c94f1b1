import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/app-config.js';
import { startupBanner } from './startup-banner.js';
import { parseWorkers, restartDelay, WorkersSettingError } from './workers.js';

describe('WORKERS', () => {
  it.each([
    [undefined, 1],
    ['', 1],
    ['1', 1],
    [' 4 ', 4],
  ])('%j means %d process(es)', (value, workers) => {
    expect(parseWorkers(value)).toBe(workers);
  });

  it.each(['0', '-2', '1.5', 'two', '65'])('%j is refused', (value) => {
    expect(() => parseWorkers(value)).toThrow(WorkersSettingError);
  });

  it('a worker that keeps dying is restarted after a delay that doubles, up to 30 s', () => {
    expect([1, 2, 3, 4].map(restartDelay)).toEqual([250, 500, 1000, 2000]);
    expect(restartDelay(40)).toBe(30_000);
  });
});

describe('the startup banner', () => {
  it('names the API, docs and dashboard addresses and where the admin token is, never the token', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'banner-'));
    try {
      const token = 'lc_a-generated-token-that-must-not-be-printed';
      writeFileSync(join(dataDir, 'admin-token'), token);
      const banner = startupBanner(loadConfig({ DATA_DIR: dataDir }), 3000, 2);
      expect(banner).toContain('(2 workers)');
      expect(banner).toContain('http://localhost:3000/v1');
      expect(banner).toContain('http://localhost:3000/docs');
      expect(banner).toMatch(/dashboard\s+http:\/\/localhost:3000\//);
      expect(banner).toContain(`admin token  in ${join(dataDir, 'admin-token')}`);
      expect(banner).not.toContain(token);
      const withUrls = startupBanner(
        loadConfig({
          DATA_DIR: dataDir,
          EVENT_STORE_URL: 'kurrentdb://u:secret@db:2113',
          MONGODB_URL: 'mongodb://u:secret@m:27017/x',
          ADMIN_TOKEN: 'x'.repeat(40),
        }),
        8080,
        1,
      );
      expect(withUrls).not.toContain('secret');
      expect(withUrls).not.toContain('x'.repeat(40));
      expect(withUrls).toContain('admin token  the ADMIN_TOKEN you set');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('says when the daily digests go out, and that without SMTP_URL no e-mail is sent (never the SMTP password)', () => {
    expect(startupBanner(loadConfig({ DATA_DIR: '/tmp/unused' }), 3000, 1)).toContain(
      'digests      daily at 07:00 UTC, webhooks only: no SMTP_URL, no e-mail is sent',
    );
    const withSmtp = startupBanner(
      loadConfig({ DATA_DIR: '/tmp/unused', SMTP_URL: 'smtp://u:mail-pass@mail:587', DIGEST_TIME: '6:30', DIGEST_TIMEZONE: 'Europe/Berlin' }),
      3000,
      1,
    );
    expect(withSmtp).toContain('digests      daily at 06:30 Europe/Berlin, e-mail through smtp://mail:587 and webhooks');
    expect(withSmtp).not.toContain('mail-pass');
  });
});
