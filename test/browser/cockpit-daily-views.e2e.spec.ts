import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { seedLaunch, type SeededLaunch } from '../support/seed-launch.js';
import { ADMIN_TOKEN, bearer, type TestApp } from '../support/test-app.js';
import { launchChromium } from './support/chromium.js';
import { COMMAND_BUTTON, DESKTOP, expectAccessibleAtBothSizes, READING_BUTTON, signIn } from './support/cockpit-page.js';
import { screenshotPath, startListeningApp } from './support/dashboard-app.js';

jest.setTimeout(120_000);

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
/** More launches than the list's first page (25) holds; tier 2, so Support owes more than the inbox's first page (50). */
const SEEDED_LAUNCHES = 27;

/**
 * The daily-work API in the dashboard, against the real server: the launch list's paging, the inbox's
 * statuses, owners and dependencies, one person's tasks, calendar feeds, reports, department settings.
 */
describe('the dashboard does the daily work of a launch team', () => {
  let t: TestApp & { baseUrl: string };
  let browser: Browser;
  let context: BrowserContext;
  const pageErrors: string[] = [];
  let manager: string;
  let sales: string;
  let auditor: string;
  let beacon: SeededLaunch;

  const open = async (token: string, hash: string): Promise<Page> => {
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await signIn(page, t.baseUrl, token);
    await page.goto(`${t.baseUrl}/#${hash}`);
    return page;
  };
  const command = (path: string, body: Record<string, unknown>, token = manager) => t.http.post(path).set(bearer(token)).send(body).expect(200);

  beforeAll(async () => {
    browser = await launchChromium();
    t = await startListeningApp();
    manager = await t.principal('launch-manager', undefined, 'Lee Manager');
    sales = await t.principal('department', 'sales', 'Sam Sales');
    auditor = await t.principal('auditor', undefined, 'Ada Auditor');
    for (let i = 0; i < SEEDED_LAUNCHES - 2; i++)
      await t.http
        .post('/v1/launches')
        .set(bearer(manager))
        .send({ name: `Filler ${String(i).padStart(2, '0')}`, product: 'Filler', targetDate: inDays(60 + i), tier: 2 })
        .expect(201);
    // Beacon: sales training signed off, then its messaging reopened: the sign-off is stale and waits on messaging.
    beacon = await seedLaunch(t, {
      name: 'Beacon',
      product: 'Beacon',
      tier: 1,
      targetDate: inDays(30),
      as: manager,
      complete: (task) => ['messaging', 'sales-training'].includes(task.kind),
    });
    const launchPath = `/v1/launches/${beacon.launchId}`;
    await command(`${launchPath}/tasks/${beacon.task('messaging').taskId}/reopen`, { reason: 'New positioning' });
    await t.http
      .patch(`${launchPath}/tasks/${beacon.task('sales-training').taskId}`)
      .set(bearer(manager))
      .send({ owner: { name: 'Sam Sales', email: 'sam@example.com' } })
      .expect(200);
    // Comet: launched today, for the reports.
    const comet = await seedLaunch(t, { name: 'Comet', product: 'Comet', tier: 3, targetDate: inDays(10), as: manager, complete: 'required' });
    await command(`/v1/launches/${comet.launchId}/decision`, { decision: 'go' });
    await command(`/v1/launches/${comet.launchId}/launched`, {});
    context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', timezoneId: 'UTC' });
    context.setDefaultTimeout(10_000);
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  it('pages the launch list through the real server’s Link header, filters by a status list, and offers "New launch" to managers only', async () => {
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const listRequests: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/v1/launches') listRequests.push(new URL(request.url()).search);
    });
    await signIn(page, t.baseUrl, manager);
    await page.locator('#launch-count').filter({ hasText: '25 launches shown, more available.' }).waitFor();
    expect(await page.getByRole('link', { name: 'New launch' }).getAttribute('href')).toBe('#/launches/new');
    await page.getByRole('button', { name: 'Load more' }).click();
    await page
      .locator('#launch-count')
      .filter({ hasText: `${SEEDED_LAUNCHES} launches shown.` })
      .waitFor();
    const ids = await page
      .locator('tr[data-launch-id]')
      .evaluateAll((rows) => rows.map((row) => (row as unknown as { dataset: { launchId: string } }).dataset.launchId));
    expect(new Set(ids).size).toBe(SEEDED_LAUNCHES);
    expect(await page.getByRole('button', { name: 'Load more' }).isVisible()).toBe(false);
    // The second page came from the server's own cursor.
    expect(listRequests.some((search) => /[?&]cursor=/.test(search))).toBe(true);
    await expectAccessibleAtBothSizes(page, 'launch list, two pages');
    await page.setViewportSize(DESKTOP);

    await page.getByLabel('Status').selectOption('launched,cancelled');
    await page.locator('#launch-count').filter({ hasText: '1 launch shown.' }).waitFor();
    expect(await page.locator('tr[data-launch-id] th a').allTextContents()).toEqual(['Comet']);
    expect(listRequests.at(-1)).toContain(`status=${encodeURIComponent('launched,cancelled')}`);
    await page.close();

    for (const token of [sales, auditor]) {
      const other = await open(token, '/launches');
      await other.locator('#launch-count').filter({ hasText: 'launches shown' }).waitFor();
      expect(await other.getByRole('link', { name: 'New launch' }).count()).toBe(0);
      await other.close();
    }
  });

  it('shows the inbox’s stale sign-off with its owner, offers "Complete…" only once its dependency stands, and filters by statuses', async () => {
    const page = await open(sales, '/inbox');
    await page.getByRole('heading', { name: 'Sales: still owed' }).waitFor();
    const filter = page.getByRole('group', { name: 'Show tasks that are' });
    expect(await filter.getByRole('checkbox', { checked: true }).evaluateAll((boxes) => boxes.map((b) => (b as unknown as { value: string }).value))).toEqual([
      'open',
      'blocked',
      'stale',
    ]);
    const training = page.locator(`li[data-task-id="${beacon.task('sales-training').taskId}"]`);
    await training.getByText('Stale').waitFor();
    expect(await training.textContent()).toContain('Owner: Sam Sales <sam@example.com>');
    expect(await training.textContent()).toContain('waits on Positioning and messaging approved');
    expect(await training.getByRole('button', { name: 'Complete…' }).count()).toBe(0);
    await expectAccessibleAtBothSizes(page, 'inbox with statuses and owners');
    await page.setViewportSize(DESKTOP);

    // Messaging signed off again: the stale sign-off can be re-confirmed from the inbox.
    await command(`/v1/launches/${beacon.launchId}/tasks/${beacon.task('messaging').taskId}/complete`, {
      details: { documentUrl: 'https://docs.example.com/positioning-2', version: 'v3' },
    });
    await page.reload();
    await training.getByRole('button', { name: 'Complete…' }).waitFor();

    // Only what is ticked comes back from the server.
    await filter.getByLabel('Open').uncheck();
    await page.getByRole('heading', { name: 'Sales: still owed' }).waitFor();
    // The heading stays while the list is fetched again: wait for the refetched list, then judge it.
    await page.locator('li.inbox-item').nth(1).waitFor({ state: 'detached', timeout: 10_000 });
    await expect(page.locator('li.inbox-item').count()).resolves.toBe(1);
    await filter.getByLabel('Completed').check();
    await page.getByRole('heading', { name: 'Sales: tasks' }).waitFor();
    await page.close();
  });

  it('pages a department inbox through the real server’s Link header', async () => {
    const all = (await t.http.get('/v1/departments/support/tasks?status=open,blocked,stale').set(bearer(manager)).expect(200)).body as Array<{
      taskId: string;
    }>;
    expect(all.length).toBeGreaterThan(50);
    const page = await open(manager, '/inbox/support');
    await page.locator('#inbox-count').filter({ hasText: '50 tasks shown, more available' }).waitFor();
    await page.getByRole('button', { name: 'Load more' }).click();
    await page
      .locator('#inbox-count')
      .filter({ hasText: new RegExp(`^${all.length} tasks$`) })
      .waitFor();
    const shown = await page
      .locator('li.inbox-item')
      .evaluateAll((items) => items.map((item) => (item as unknown as { dataset: { taskId: string } }).dataset.taskId));
    expect(shown.sort()).toEqual(all.map((task) => task.taskId).sort());
    expect(await page.getByRole('button', { name: 'Load more' }).isVisible()).toBe(false);
    await page.close();
  });

  it('lists one person’s tasks by the e-mail remembered in the tab', async () => {
    const page = await open(sales, '/my-tasks');
    await page.getByRole('heading', { name: 'My tasks', level: 1 }).waitFor();
    await page.getByLabel('Owner’s e-mail').fill('sam@');
    await page.getByRole('button', { name: 'Show tasks' }).click();
    expect(await page.getByLabel('Owner’s e-mail').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Owner’s e-mail').fill('SAM@example.com');
    await page.getByRole('button', { name: 'Show tasks' }).click();
    await page.locator('#my-tasks-count').filter({ hasText: '1 task owned by SAM@example.com.' }).waitFor();
    expect(await page.locator('li.inbox-item').textContent()).toContain('Sales team trained');
    await page.reload();
    await page.locator('#my-tasks-count').filter({ hasText: '1 task owned by SAM@example.com.' }).waitFor();
    await expectAccessibleAtBothSizes(page, 'my tasks');
    await page.close();
  });

  it('subscribes a calendar to a department from its inbox: the secret address once, then revoked', async () => {
    const page = await open(sales, '/inbox/sales');
    await page.getByRole('button', { name: 'Subscribe in a calendar…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Calendar feed: Sales' });
    await dialog.getByText('None.').waitFor();
    await dialog.getByRole('button', { name: 'Create a feed' }).click();
    const url = await dialog.getByLabel('Feed address').inputValue();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1\/calendar-feeds\/[0-9a-f-]{36}\/lcf_[^/]+\.ics$/);
    expect(await dialog.getByRole('link', { name: 'Open in your calendar application' }).getAttribute('href')).toBe(url.replace('http://', 'webcal://'));
    const path = new URL(url).pathname;
    const feed = await t.http.get(path).expect(200);
    expect(feed.headers['content-type']).toMatch(/^text\/calendar/);
    await dialog.locator('li[data-feed-id]').waitFor();
    await expectAccessibleAtBothSizes(page, 'calendar feed dialog');
    await page.setViewportSize(DESKTOP);
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await dialog.getByRole('button', { name: 'Yes, revoke' }).click();
    await dialog.getByText('None.').waitFor();
    await t.http.get(path).expect(404);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.close();
  });

  it('shows the launch report in the room with its CSV, and the departments report over a window', async () => {
    const page = await open(auditor, `/launches/${beacon.launchId}`);
    const report = page.getByRole('region', { name: 'Delivery report' });
    const salesRow = report.locator('tr[data-department="sales"]');
    await salesRow.waitFor();
    expect(await salesRow.locator('td[data-label="Sign-offs invalidated"]').textContent()).toBe('1');
    expect(await report.locator('.report-summary').textContent()).toContain('not decided go yet');
    const [download] = await Promise.all([page.waitForEvent('download'), report.getByRole('link', { name: 'Download the report (CSV)' }).click()]);
    expect(download.suggestedFilename()).toBe('Beacon-report.csv');
    // Reading only: the auditor's buttons open a thread or a calendar subscription, nothing else.
    expect(await page.locator(`main ${COMMAND_BUTTON}`).count()).toBe(0);
    expect(new Set(await page.locator(`main ${READING_BUTTON}`).allTextContents())).toEqual(new Set(['Comments…', 'Subscribe in a calendar…']));
    await expectAccessibleAtBothSizes(page, 'room with the delivery report');
    await page.setViewportSize(DESKTOP);
    // The room's own feed: this launch's dates, no bearer token needed to read it.
    await page.getByRole('button', { name: 'Subscribe in a calendar…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Calendar feed: Beacon' });
    await dialog.getByRole('button', { name: 'Create a feed' }).click();
    const feed = await t.http
      .get(new URL(await dialog.getByLabel('Feed address').inputValue()).pathname)
      .buffer(true)
      .expect(200);
    expect(String(feed.text ?? feed.body)).toContain('SUMMARY:Launch: Beacon');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.goto(`${t.baseUrl}/#/calendar-feeds`);
    await page.locator('main li[data-feed-id]').filter({ hasText: 'Beacon (launch)' }).waitFor();
    await expectAccessibleAtBothSizes(page, 'calendar feeds page');
    await page.setViewportSize(DESKTOP);

    await page.goto(`${t.baseUrl}/#/reports`);
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    await page.locator('.report-summary').filter({ hasText: '1 launch launched' }).waitFor();
    expect(await page.locator('.report-summary').textContent()).toContain('Comet');
    const engineering = page.locator('tr[data-department="engineering"]');
    expect(await engineering.locator('td[data-label="On-time rate"]').textContent()).toMatch(/^\d+%$/);
    await expectAccessibleAtBothSizes(page, 'departments report');
    await page.setViewportSize(DESKTOP);
    await page.getByLabel('Launched from').fill(inDays(-400));
    await page.getByRole('button', { name: 'Show report' }).click();
    await page.locator('.report .problem').waitFor();
    await page.getByLabel('Launched from').fill(inDays(-5));
    await page.getByRole('button', { name: 'Show report' }).click();
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download the report (CSV)' }).click()]);
    expect(csv.suggestedFilename()).toBe(`departments-${inDays(-5)}-${inDays(0)}.csv`);
    await page.close();
  });

  it('lets an admin set a department’s digest address and send today’s digests', async () => {
    const page = await open(ADMIN_TOKEN, '/admin/departments');
    const salesForm = page.locator('form[data-department="sales"]');
    await salesForm.getByLabel('Sales: digest e-mail').fill('not-an-address');
    await salesForm.getByRole('button', { name: 'Save Sales' }).click();
    await salesForm.locator('.field-error').filter({ hasText: /\S/ }).waitFor();
    await salesForm.getByLabel('Sales: digest e-mail').fill('sales-team@example.com');
    await salesForm.getByRole('button', { name: 'Save Sales' }).click();
    await salesForm.getByText('Saved: sales-team@example.com').waitFor();
    const stored = await t.http.get('/v1/departments/sales/settings').set(bearer(ADMIN_TOKEN)).expect(200);
    expect(stored.body.email).toBe('sales-team@example.com');

    await page.getByRole('button', { name: 'Send today’s digests now' }).click();
    const result = page.locator('.digest-result');
    await result.getByText(/^Digests for \d{4}-\d{2}-\d{2}: \d+ sent/).waitFor();
    expect(await result.locator('li[data-recipient="department:sales"]').textContent()).toContain('e-mail no SMTP_URL');
    await expectAccessibleAtBothSizes(page, 'department settings and digests');
    await page.setViewportSize(DESKTOP);
    // Once a day: a second run skips what was sent.
    await page.getByRole('button', { name: 'Send today’s digests now' }).click();
    await result.locator('li[data-recipient="department:sales"]').filter({ hasText: 'skipped, already sent' }).waitFor();
    await page.screenshot({ path: screenshotPath('daily-01-department-settings'), fullPage: true });
    await page.close();
  });

  it('ran every page without a script error', () => {
    expect(pageErrors).toEqual([]);
  });
});
