import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { bearer, type TestApp } from '../support/test-app.js';
import { launchChromium } from './support/chromium.js';
import { screenshotPath, startListeningApp } from './support/dashboard-app.js';
import { axeFindings, DESKTOP } from './support/page-checks.js';

jest.setTimeout(90_000);

/** The server goes away under an open dashboard and comes back on the same address and data: the page recovers alone. */
describe('the dashboard recovers by itself when the server comes back', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'launch-control-restart-'));
  let t: TestApp & { baseUrl: string };
  let browser: Browser;
  let context: BrowserContext;
  let port: number;

  beforeAll(async () => {
    browser = await launchChromium();
    t = await startListeningApp({ DATA_DIR: dataDir });
    port = Number(new URL(t.baseUrl).port);
    context = await browser.newContext({ viewport: DESKTOP });
    context.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${dataDir}-ledger-key`, { recursive: true, force: true });
  });

  it('shows a clear message with Retry while the server is down, then renders the view and reconnects the live stream', async () => {
    const manager = await t.principal('launch-manager', undefined, 'Lee Manager');
    const launchId = (
      await t.http
        .post('/v1/launches')
        .set(bearer(manager))
        .send({ name: 'Aurora', product: 'Aurora Cloud', targetDate: new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10), tier: 2 })
        .expect(201)
    ).body.launchId as string;
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(t.baseUrl);
    await page.getByLabel('API token').fill(manager);
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: 'Aurora' }).waitFor();
    await page.evaluate(() => ((globalThis as unknown as { notReloaded: boolean }).notReloaded = true));

    await t.close(); // the app only: its data lives in dataDir, kept for the restart
    // The list's refresh notices within a few seconds; the banner says what is going on.
    await page.locator('#connection').filter({ hasText: 'Connection to the server lost' }).waitFor();
    // Navigating while it is down: a message and a Retry button, never a bare "Failed to fetch".
    await page.getByRole('link', { name: 'Aurora' }).click();
    await page.getByText('The server cannot be reached right now').waitFor();
    expect(await page.locator('main').textContent()).not.toContain('Failed to fetch');
    await page.getByRole('button', { name: 'Retry' }).click(); // still down: the same message again
    await page.getByRole('button', { name: 'Retry' }).waitFor();
    expect(await axeFindings(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('restart-01-server-down'), fullPage: true });

    t = await startListeningApp({ DATA_DIR: dataDir }, {}, port);
    // Back without a click or a reload: the room renders and its live stream is up again.
    await page.getByRole('heading', { name: 'Aurora', level: 1 }).waitFor();
    await page
      .locator('#live-status')
      .filter({ hasText: /^Live: / })
      .waitFor();
    expect(await page.locator('#connection').isVisible()).toBe(false);
    expect(page.url()).toContain(`#/launches/${launchId}`);
    expect(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await page.screenshot({ path: screenshotPath('restart-02-recovered'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
