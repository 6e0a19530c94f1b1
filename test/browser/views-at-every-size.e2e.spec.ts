import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Browser, Page } from 'playwright-core';
import { ADMIN_TOKEN, bearer, type TestApp } from '../support/test-app.js';
import { launchChromium } from './support/chromium.js';
import { screenshotPath, startListeningApp } from './support/dashboard-app.js';
import { axeFindings, DESKTOP, PHONE, sidewaysOverflow } from './support/page-checks.js';

jest.setTimeout(120_000);
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Every view of the dashboard on a phone (390×844) and a laptop (1366×768): nothing scrolls
 * sideways, axe-core finds nothing, and a screenshot is kept for each.
 */
describe('every view at phone and laptop size: no sideways scrolling, no axe violation', () => {
  let t: TestApp & { baseUrl: string };
  let browser: Browser;
  let aurora: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    t = await startListeningApp({}, { webhooks: { timeoutMs: 1000, allowPrivate: true } });
    const manager = await t.principal('launch-manager', undefined, 'Lee Manager');
    await t.principal('department', 'engineering', 'Eve Engineer');
    aurora = (
      await t.http
        .post('/v1/launches')
        .set(bearer(manager))
        .send({ name: 'Aurora with a rather long launch name for small screens', product: 'Aurora Cloud', targetDate: inDays(14), tier: 1 })
        .expect(201)
    ).body.launchId;
    await t.http
      .post('/v1/launches')
      .set(bearer(manager))
      .send({ name: 'Borealis', product: 'Borealis API', targetDate: inDays(40), tier: 2 })
      .expect(201);
    const tasks: Array<{ taskId: string; key: string }> = (await t.http.get(`/v1/launches/${aurora}`).set(bearer(manager)).expect(200)).body.tasks;
    const byKey = (key: string) => tasks.find((task) => task.key === key)!.taskId;
    await t.http
      .post(`/v1/launches/${aurora}/tasks/${byKey('messaging')}/complete`)
      .set(bearer(manager))
      .send({ details: { documentUrl: 'https://docs.example.com/aurora/messaging/a-very-long-path-that-must-wrap-on-a-phone', version: '3' } })
      .expect(200);
    await t.http
      .post(`/v1/launches/${aurora}/tasks/${byKey('legal-review')}/block`)
      .set(bearer(manager))
      .send({ reason: 'Trademark search pending' })
      .expect(200);
    // A receiver nobody listens on (loopback only): its failed attempts fill the delivery log.
    await t.http
      .post('/v1/webhooks')
      .set(bearer(ADMIN_TOKEN))
      .send({ url: 'http://127.0.0.1:9/launch-events', secret: 'a-long-shared-secret-0123456789', fromPosition: 0 })
      .expect(201);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** Waits for the view to finish rendering, then checks and photographs it. */
  const check = async (page: Page, name: string, size: string) => {
    await page.locator('main:not([aria-busy])').waitFor();
    expect({ view: name, size, overflow: await sidewaysOverflow(page) }).toEqual({ view: name, size, overflow: 0 });
    expect({ view: name, size, violations: await axeFindings(page) }).toEqual({ view: name, size, violations: [] });
    await page.screenshot({ path: screenshotPath(`views-${name}-${size}`), fullPage: true });
  };

  for (const [size, viewport] of [
    ['390', PHONE],
    ['1366', DESKTOP],
  ] as const) {
    it(`at ${viewport.width}×${viewport.height}: sign-in, launches, room, inbox, history with the ledger check, principals, webhooks`, async () => {
      const context = await browser.newContext({ viewport });
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error.message));
      try {
        await page.goto(t.baseUrl);
        await page.getByLabel('API token').waitFor();
        expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(false);
        expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(false);
        await check(page, 'sign-in', size);

        await page.getByLabel('API token').fill(ADMIN_TOKEN);
        await page.keyboard.press('Enter');
        await page.getByRole('heading', { name: 'Launches', level: 1 }).waitFor();
        await page.locator('table.launches tbody tr').first().waitFor();
        // The header fits and "Sign out" is on screen.
        const signOut = await page.getByRole('button', { name: 'Sign out' }).boundingBox();
        expect(signOut).not.toBeNull();
        expect(signOut!.x + signOut!.width).toBeLessThanOrEqual(viewport.width);
        await check(page, 'launches', size);

        await page.goto(`${t.baseUrl}/#/launches/${aurora}`);
        await page
          .locator('#live-status')
          .filter({ hasText: /^Live: / })
          .waitFor();
        await check(page, 'launch-room', size);

        await page.goto(`${t.baseUrl}/#/inbox/engineering`);
        await page.getByRole('heading', { name: 'Engineering: still owed' }).waitFor();
        await check(page, 'inbox', size);

        await page.goto(`${t.baseUrl}/#/launches/${aurora}/history`);
        await page.locator('#ledger-verify').waitFor();
        await page.locator('#as-of-readiness [role="progressbar"]').first().waitFor();
        await check(page, 'history-ledger-check', size);

        await page.goto(`${t.baseUrl}/#/admin/principals`);
        await page.getByRole('heading', { name: 'All principals' }).waitFor();
        await check(page, 'admin-principals', size);

        await page.goto(`${t.baseUrl}/#/admin/webhooks`);
        await page.getByRole('heading', { name: 'Registered webhooks' }).waitFor();
        await page.getByRole('button', { name: 'Deliveries' }).click();
        await page
          .getByRole('table', { name: /Recent delivery attempts/ })
          .or(page.getByText('No delivery attempts yet.'))
          .waitFor();
        await check(page, 'admin-webhooks', size);
      } finally {
        await context.close();
      }
    });
  }

  it('ran every view without a script error', () => {
    expect(pageErrors).toEqual([]);
  });
});
