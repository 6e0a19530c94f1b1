import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { bearer, type TestApp } from '../support/test-app.js';
import { launchChromium } from './support/chromium.js';
import { screenshotPath, startListeningApp } from './support/dashboard-app.js';

const VIEWPORT = { width: 1366, height: 768 };
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** What page.evaluate() reads in the page (this file is typed for Node, not the DOM). */
interface BrowserGlobals {
  sessionStorage: { getItem(key: string): string | null };
  notReloaded?: boolean;
}

interface Task {
  taskId: string;
  kind: string;
  key: string;
  department: string;
}

jest.setTimeout(60_000);

describe('the launch room in a real browser', () => {
  let t: TestApp & { baseUrl: string };
  let browser: Browser;
  let managerContext: BrowserContext;
  let engineeringContext: BrowserContext;
  let manager: string;
  let engineering: string;
  let aurora: string;
  let auroraTasks: Task[];
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];

  const watch = (page: Page) => {
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  };

  const signIn = async (page: Page, token: string) => {
    await page.goto(t.baseUrl);
    const input = page.getByLabel('API token');
    await expect(input.isVisible()).resolves.toBe(true);
    // Keyboard only: the field has focus on arrival, Enter submits.
    await page.keyboard.type(token);
    await page.keyboard.press('Enter');
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
  };

  const overallPercent = (page: Page) => page.getByRole('progressbar', { name: 'Overall readiness', exact: true }).getAttribute('aria-valuenow');

  beforeAll(async () => {
    browser = await launchChromium();
    t = await startListeningApp();
    manager = await t.principal('launch-manager', undefined, 'Lee Manager');
    engineering = await t.principal('department', 'engineering', 'Eve Engineer');
    aurora = (
      await t.http
        .post('/v1/launches')
        .set(bearer(manager))
        .send({ name: 'Aurora', product: 'Aurora Cloud', targetDate: inDays(14), tier: 1 })
        .expect(201)
    ).body.launchId;
    await t.http
      .post('/v1/launches')
      .set(bearer(manager))
      .send({ name: 'Borealis', product: 'Borealis API', targetDate: inDays(40), tier: 2 })
      .expect(201);
    auroraTasks = (await t.http.get(`/v1/launches/${aurora}`).set(bearer(manager)).expect(200)).body.tasks;
    const byKey = (key: string) => auroraTasks.find((task) => task.key === key)!;
    await t.http
      .post(`/v1/launches/${aurora}/tasks/${byKey('messaging').taskId}/complete`)
      .set(bearer(manager))
      .send({ details: { documentUrl: 'https://docs.example.com/aurora-messaging', version: '3' }, note: 'Approved by the CMO' })
      .expect(200);
    await t.http
      .post(`/v1/launches/${aurora}/tasks/${byKey('scope-freeze').taskId}/complete`)
      .set(bearer(manager))
      .send({})
      .expect(200);
    await t.http
      .post(`/v1/launches/${aurora}/tasks/${byKey('legal-review').taskId}/block`)
      .set(bearer(manager))
      .send({ reason: 'Trademark search pending' })
      .expect(200);
    managerContext = await browser.newContext({ viewport: VIEWPORT });
    engineeringContext = await browser.newContext({ viewport: VIEWPORT });
    // A step that cannot happen fails with the locator it waited for, well inside jest's timeout.
    for (const context of [managerContext, engineeringContext]) context.setDefaultTimeout(10_000);
  }, 60_000);

  afterAll(async () => {
    await managerContext?.close();
    await engineeringContext?.close();
    await browser?.close();
    await t?.close();
  });

  it('signs in with a pasted token kept in session storage, never in the URL, and lists the launches', async () => {
    const page = watch(await managerContext.newPage());
    await signIn(page, manager);
    await page.getByRole('heading', { name: 'Launches' }).waitFor();
    expect(page.url()).not.toContain(manager);
    expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).sessionStorage.getItem('launch-control.token'))).toBe(manager);

    const rows = page.locator('table.launches tbody tr');
    await expect(rows.count()).resolves.toBe(2);
    const first = rows.nth(0);
    expect(await first.locator('th a').textContent()).toBe('Aurora');
    expect(await first.textContent()).toContain('Tier 1');
    expect(await first.textContent()).toContain(inDays(14));
    expect(await first.textContent()).toContain('in 14 days');
    expect(await first.getByRole('progressbar').getAttribute('aria-valuenow')).toMatch(/^\d+$/);
    await page.screenshot({ path: screenshotPath('01-launches'), fullPage: true });
    await page.close();
  });

  it('shows a launch live: a completion from a second session moves the readiness bar without a reload', async () => {
    // Session storage is per tab: every new tab signs in.
    const page = watch(await managerContext.newPage());
    await signIn(page, manager);
    await page.getByRole('link', { name: 'Aurora' }).click();
    await page.getByRole('heading', { name: 'Aurora', level: 1 }).waitFor();
    await page
      .locator('#live-status')
      .filter({ hasText: /^Live: / })
      .waitFor();

    const legal = page.locator('section[data-department="legal"]');
    expect(await legal.locator('.badge').first().textContent()).toBe('Blocked');
    expect(await legal.textContent()).toContain('Blocked: Trademark search pending');
    const marketing = page.locator('section[data-department="product-marketing"]');
    expect(await marketing.getByRole('link', { name: 'https://docs.example.com/aurora-messaging' }).count()).toBe(1);
    expect(await page.locator('.flag-overdue').count()).toBeGreaterThan(0);
    const engineeringBar = page.getByRole('progressbar', { name: 'Engineering readiness' });
    expect(await engineeringBar.getAttribute('aria-valuenow')).toBe('0');
    const before = Number(await overallPercent(page));
    await page.evaluate(() => ((globalThis as unknown as BrowserGlobals).notReloaded = true));
    await page.screenshot({ path: screenshotPath('02-launch-before'), fullPage: true });

    // The second session: engineering signs in and works from its inbox.
    const inbox = watch(await engineeringContext.newPage());
    await signIn(inbox, engineering);
    await inbox.goto(`${t.baseUrl}/#/inbox`);
    await inbox.getByRole('heading', { name: 'Engineering: still owed' }).waitFor();
    const release = auroraTasks.find((task) => task.key === 'release')!;
    const item = inbox.locator(`li[data-task-id="${release.taskId}"]`);
    await item.getByRole('button', { name: 'Complete…' }).click();
    await item.getByRole('button', { name: 'Complete task' }).click();
    // The API's problem document: the message sits next to the field it is about.
    const version = item.getByLabel('Version');
    await item.locator('.field-error').filter({ hasText: 'must be a non-empty string' }).waitFor();
    expect(await version.getAttribute('aria-invalid')).toBe('true');
    await inbox.screenshot({ path: screenshotPath('03-inbox-validation'), fullPage: true });
    await version.fill('4.2.0');
    await item.getByLabel('Evidence link (optional)').fill('https://ci.example.com/aurora/4.2.0');
    await item.getByRole('button', { name: 'Complete task' }).click();
    await inbox.getByText('Completed "Release signed off" for Aurora.').first().waitFor();
    expect(await inbox.locator(`li[data-task-id="${release.taskId}"]`).count()).toBe(0);

    // Back on the first page: the bar moved by itself.
    await engineeringBar.and(page.locator('[aria-valuenow="100"]')).waitFor({ timeout: 5000 });
    const after = Number(await overallPercent(page));
    expect(after).toBeGreaterThan(before);
    expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).notReloaded)).toBe(true);
    const engineeringCard = page.locator('section[data-department="engineering"]');
    expect(await engineeringCard.locator('.badge').first().textContent()).toBe('Ready');
    expect(await engineeringCard.textContent()).toContain('4.2.0');
    expect(await engineeringCard.textContent()).toContain('Eve Engineer');
    // The live region is emptied, then filled 50 ms later (so screen readers announce it again).
    await page
      .locator('#announcer')
      .filter({ hasText: `Overall readiness now ${after}%` })
      .waitFor({ timeout: 5000 });
    await page.screenshot({ path: screenshotPath('04-launch-after-live-update'), fullPage: true });
    await inbox.close();
    await page.close();
  });

  it('scrubs the history: readiness as of the first event, the timeline, and the verified hash chain', async () => {
    const page = watch(await managerContext.newPage());
    await signIn(page, manager);
    await page.goto(`${t.baseUrl}/#/launches/${aurora}`);
    await page.getByRole('link', { name: 'History and audit' }).click();
    await page.getByRole('heading', { name: 'Aurora: history' }).waitFor();
    expect(await page.locator('#verify').textContent()).toBe('Hash chain verified: all 5 events are intact.');
    expect(await page.locator('#ledger-verify').count()).toBe(0); // the ledger's proofs are for auditors and admins
    const events = page.locator('ol.timeline > li');
    await expect(events.count()).resolves.toBe(5);
    expect(await events.nth(1).textContent()).toContain('MessagingApproved');
    expect(await events.nth(1).textContent()).toContain('Lee Manager');
    expect(await events.nth(4).textContent()).toContain('ReleaseApproved');
    expect(await events.nth(4).textContent()).toContain('Eve Engineer');

    const asOfOverall = page.getByRole('progressbar', { name: 'Overall readiness as of this moment' });
    const slider = page.getByLabel('Move through the launch’s events');
    await page.locator('#as-of-readiness [role="progressbar"]').first().waitFor();
    const now = Number(await asOfOverall.getAttribute('aria-valuenow'));
    expect(now).toBeGreaterThan(0);

    await slider.focus();
    await page.keyboard.press('Home');
    await asOfOverall.and(page.locator('[aria-valuenow="0"]')).waitFor();
    expect(await page.locator('#as-of-output').textContent()).toContain('LaunchCreated');
    expect(await events.nth(0).getAttribute('aria-current')).toBe('step');
    await page.screenshot({ path: screenshotPath('05-history-first-event'), fullPage: true });

    await page.keyboard.press('End');
    await asOfOverall.and(page.locator(`[aria-valuenow="${now}"]`)).waitFor();
    expect(await page.getByRole('progressbar', { name: 'Engineering readiness' }).getAttribute('aria-valuenow')).toBe('100');
    await page.keyboard.press('ArrowLeft');
    await page.getByRole('progressbar', { name: 'Engineering readiness' }).and(page.locator('[aria-valuenow="0"]')).waitFor();
    await page.screenshot({ path: screenshotPath('06-history-scrubbed'), fullPage: true });
    await page.close();
  });

  it("shows an auditor a department's inbox without offering actions the API would refuse", async () => {
    const auditor = await t.principal('auditor', undefined, 'Ada Auditor');
    const page = watch(await managerContext.newPage());
    await signIn(page, auditor);
    await page.goto(`${t.baseUrl}/#/inbox/marketing`);
    await page.getByRole('heading', { name: 'Marketing: still owed' }).waitFor();
    expect(await page.locator('li.inbox-item').count()).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: 'Complete…' }).count()).toBe(0);
    await page.close();
  });

  it('shows an auditor the history verified against the latest signed head, the proof checked in the browser', async () => {
    const auditor = await t.principal('auditor', undefined, 'Ada Auditor');
    const page = watch(await managerContext.newPage());
    await signIn(page, auditor);
    await page.goto(`${t.baseUrl}/#/launches/${aurora}/history`);
    await page.getByRole('heading', { name: 'Aurora: history' }).waitFor();
    const line = await page.locator('#ledger-verify').textContent();
    expect(line).toMatch(/^Verified against signed head #\d+ \(.+\)/);
    expect(line).not.toContain('NOT');
    await page.screenshot({ path: screenshotPath('07-history-ledger'), fullPage: true });
    await page.close();
  });

  it('signs out, forgetting the token', async () => {
    const page = watch(await managerContext.newPage());
    await signIn(page, manager);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API token').waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).sessionStorage.getItem('launch-control.token'))).toBeNull();
    await page.close();
  });

  it('ran every page under the strict same-origin CSP without a violation or a script error', () => {
    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
