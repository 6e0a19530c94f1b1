import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ADMIN_TOKEN, bearer, type TestApp } from '../support/test-app.js';
import { launchChromium } from './support/chromium.js';
import { screenshotPath, startListeningApp } from './support/dashboard-app.js';
import { axeFindings, DESKTOP, focused, PHONE, sidewaysOverflow, textsOnceEqual } from './support/page-checks.js';

jest.setTimeout(90_000);
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** The dashboard's shell in Chromium: keyboard-only use, admin pages, session endings, the launch list, the inbox. */
describe('the dashboard shell in a real browser', () => {
  let t: TestApp & { baseUrl: string };
  let browser: Browser;
  let manager: string;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];

  const newPage = async (viewport = DESKTOP) => {
    const context = await browser.newContext({ viewport });
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    return page;
  };
  const signIn = async (page: Page, token: string) => {
    await page.goto(t.baseUrl);
    await page.getByLabel('API token').fill(token);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
  };
  const createLaunch = async (name: string, product: string, days: number, tier: number) =>
    (
      await t.http
        .post('/v1/launches')
        .set(bearer(manager))
        .send({ name, product, targetDate: inDays(days), tier })
        .expect(201)
    ).body.launchId as string;

  beforeAll(async () => {
    browser = await launchChromium();
    t = await startListeningApp();
    manager = await t.principal('launch-manager', undefined, 'Lee Manager');
    await createLaunch('Aurora', 'Aurora Cloud', 14, 1);
    await createLaunch('Borealis', 'Borealis API', 40, 2);
    await createLaunch('Cygnus', 'Cygnus Mobile', 7, 3);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t?.close();
  });

  it('works by keyboard alone: sign in, then Tab to a launch and open its room', async () => {
    const page = await newPage();
    await page.goto(t.baseUrl);
    await page.getByLabel('API token').waitFor();
    expect((await focused(page)).tag).toBe('input'); // the token field has focus on arrival
    await page.keyboard.type(manager);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Launches', level: 1 }).waitFor();
    await page.locator('table.launches tbody tr').first().waitFor();
    let reached = false;
    for (let presses = 0; presses < 30 && !reached; presses++) {
      await page.keyboard.press('Tab');
      reached = (await focused(page)).text === 'Borealis';
    }
    expect(reached).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Borealis', level: 1 }).waitFor();
    await page
      .locator('#live-status')
      .filter({ hasText: /^Live: / })
      .waitFor();
  });

  it('lets an admin create a principal (field messages from the API, the token shown once) and revoke it; the revoked session is told', async () => {
    const admin = await newPage();
    await signIn(admin, ADMIN_TOKEN);
    await admin.getByRole('link', { name: 'Principals' }).click();
    await admin.getByRole('heading', { name: 'All principals' }).waitFor();

    // Refused by the API: the message sits next to the field it names.
    await admin.getByLabel('Role').selectOption('department');
    await admin.getByRole('button', { name: 'Create principal' }).click();
    await admin.locator('#new-principal-name-error').filter({ hasText: /\S/ }).waitFor();
    expect(await admin.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
    await admin.getByLabel('Name').fill('Riley Temporary');
    await admin.getByRole('button', { name: 'Create principal' }).click();
    await admin.locator('#new-principal-department-error').filter({ hasText: 'is required for the department role' }).waitFor();
    expect(await admin.getByLabel('Name').getAttribute('aria-invalid')).toBeNull();
    expect(await admin.getByLabel('Department', { exact: true }).getAttribute('aria-invalid')).toBe('true');

    await admin.getByLabel('Role').selectOption('launch-manager');
    await admin.getByRole('button', { name: 'Create principal' }).click();
    const tokenField = admin.locator('#new-token');
    await tokenField.waitFor();
    const token = await tokenField.inputValue();
    expect(token.length).toBeGreaterThan(20);
    expect(await admin.locator('.token-once').textContent()).toContain('shown only this once');
    await admin.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.baseUrl });
    await admin.getByRole('button', { name: 'Copy token' }).click();
    await admin.getByText('Copied to the clipboard.').waitFor();
    expect(
      await admin.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText()),
    ).toBe(token);
    await admin.screenshot({ path: screenshotPath('shell-01-principal-created'), fullPage: true });

    // The new principal signs in elsewhere (a phone) and sits on the launch list.
    const riley = await newPage(PHONE);
    await signIn(riley, token);
    expect(await riley.locator('#who').textContent()).toContain('Riley Temporary');

    const row = admin.locator('tr', { has: admin.getByRole('rowheader', { name: 'Riley Temporary' }) });
    await row.getByRole('button', { name: 'Revoke Riley Temporary' }).click();
    await row.getByRole('button', { name: 'Cancel' }).click(); // asking first
    expect(await row.getByRole('button', { name: 'Yes, revoke' }).count()).toBe(0);
    await row.getByRole('button', { name: 'Revoke Riley Temporary' }).click();
    await row.getByRole('button', { name: 'Yes, revoke' }).click();
    await admin.locator('#principals-status').filter({ hasText: 'Revoked Riley Temporary' }).waitFor();
    expect(await row.textContent()).toContain('Revoked');

    // Told without touching anything: the list's own refresh meets the 401.
    await riley.getByText(/your access was revoked/).waitFor({ timeout: 15_000 });
    expect(await riley.locator('#who').textContent()).toBe('');
    expect(await riley.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(false);
    expect(await riley.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(false);
    await riley.screenshot({ path: screenshotPath('shell-02-revoked-session-told'), fullPage: true });
    expect(await sidewaysOverflow(riley)).toBe(0);
    expect(await axeFindings(riley)).toEqual([]);
  });

  it('says so after signing out', async () => {
    const page = await newPage();
    await signIn(page, manager);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You have signed out.').waitFor();
    expect(await axeFindings(page)).toEqual([]);
    expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(false);
  });

  it('searches, filters and sorts the launch list, keeping the choice in the address', async () => {
    const page = await newPage();
    await signIn(page, manager);
    const rows = 'table.launches tbody th a';
    const names = (expected: string[]) => textsOnceEqual(page, rows, expected);
    await page.locator('table.launches tbody tr').first().waitFor();
    expect(await names(['Cygnus', 'Aurora', 'Borealis'])).toEqual(['Cygnus', 'Aurora', 'Borealis']); // soonest first
    await page.getByLabel('Search').fill('BORE');
    expect(await names(['Borealis'])).toEqual(['Borealis']);
    expect(page.url()).toContain('q=BORE');
    await page.getByLabel('Search').fill('');
    await page.getByLabel('Tier').selectOption('3');
    expect(await names(['Cygnus'])).toEqual(['Cygnus']);
    expect(await page.locator('#launch-count').textContent()).toBe('1 launch shown.');
    await page.getByLabel('Tier').selectOption('');
    await page.getByLabel('Sort by').selectOption('-name');
    // The list with the tier cleared but not yet re-sorted also shows three: wait for the order.
    expect(await names(['Cygnus', 'Borealis', 'Aurora'])).toEqual(['Cygnus', 'Borealis', 'Aurora']);
    expect(page.url()).toContain('sort=-name');
    await page.getByLabel('Status').selectOption('cancelled');
    await page.getByText('No launch matches.').waitFor();
  });

  it('shows a new launch without a reload (paging against the real server: cockpit-daily-views)', async () => {
    const page = await newPage();
    await signIn(page, manager);
    await page.locator('#launch-count').filter({ hasText: 'launches shown' }).waitFor();
    // Live: a launch created elsewhere appears by itself.
    await page.evaluate(() => ((globalThis as unknown as { notReloaded: boolean }).notReloaded = true));
    await createLaunch('Draco', 'Draco Edge', 3, 3);
    await page.getByRole('link', { name: 'Draco' }).waitFor({ timeout: 12_000 });
    expect(await page.evaluate(() => (globalThis as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  });

  it('groups the inbox by launch or by status, with counts, each group collapsible', async () => {
    const page = await newPage(PHONE);
    await signIn(page, manager);
    await page.goto(`${t.baseUrl}/#/inbox/support`);
    await page.getByRole('heading', { name: 'Support: still owed' }).waitFor();
    const toggles = page.locator('.group-toggle');
    await toggles.first().waitFor();
    const labels = await toggles.allTextContents();
    expect(labels.length).toBeGreaterThanOrEqual(3);
    expect(labels[0]).toMatch(/^Draco \(launch .+\)\d+ tasks?$/); // soonest launch first, with its count
    const first = toggles.first();
    const count = Number((await first.locator('.count').textContent())?.replace(/\D/g, ''));
    const list = page.locator(`#${await first.getAttribute('aria-controls')}`);
    expect(await list.locator('li.inbox-item').count()).toBe(count);
    const expanded = await first.getAttribute('aria-expanded');
    await first.click();
    expect(await first.getAttribute('aria-expanded')).not.toBe(expanded);
    expect(await list.isVisible()).toBe(expanded !== 'true');

    await page.getByLabel('Group by').selectOption('status');
    await page.locator('.group-toggle', { hasText: 'Open' }).waitFor();
    await page.screenshot({ path: screenshotPath('shell-03-inbox-grouped-by-status'), fullPage: true });
  });

  it('ran without a script error', () => {
    expect(pageErrors).toEqual([]);
  });
});
