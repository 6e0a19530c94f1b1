import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Browser, BrowserContext } from 'playwright-core';
import { bearer, type TestApp } from '../support/test-app.js';
import { launchChromium } from './support/chromium.js';
import { COMMAND_BUTTON, DESKTOP, expectAccessibleAtBothSizes, READING_BUTTON, signIn } from './support/cockpit-page.js';
import { screenshotPath, startListeningApp } from './support/dashboard-app.js';

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

jest.setTimeout(90_000);

interface Task {
  taskId: string;
  key: string;
  title: string;
  status: string;
}

describe('the launch room explains itself and offers each role only its commands', () => {
  let t: TestApp & { baseUrl: string };
  let browser: Browser;
  let context: BrowserContext;
  const pageErrors: string[] = [];
  let manager: string;
  let auditor: string;
  let sales: string;
  let beacon: string;
  let tasks: Task[];
  const task = (key: string) => tasks.find((candidate) => candidate.key === key)!;

  const open = async (token: string, path: string) => {
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
    });
    await signIn(page, t.baseUrl, token);
    await page.goto(`${t.baseUrl}/#${path}`);
    return page;
  };
  const events = async () =>
    (await t.http.get(`/v1/launches/${beacon}/history`).set(bearer(manager)).expect(200)).body.events.map((e: { type: string }) => e.type) as string[];

  beforeAll(async () => {
    browser = await launchChromium();
    t = await startListeningApp();
    manager = await t.principal('launch-manager', undefined, 'Lee Manager');
    auditor = await t.principal('auditor', undefined, 'Ada Auditor');
    sales = await t.principal('department', 'sales', 'Sol Sales');
    beacon = (
      await t.http
        .post('/v1/launches')
        .set(bearer(manager))
        .send({ name: 'Beacon', product: 'Beacon', targetDate: inDays(30), tier: 1 })
        .expect(201)
    ).body.launchId;
    tasks = (await t.http.get(`/v1/launches/${beacon}`).set(bearer(manager)).expect(200)).body.tasks;
    await t.http
      .post(`/v1/launches/${beacon}/tasks/${task('messaging').taskId}/block`)
      .set(bearer(manager))
      .send({ reason: 'Legal hold on the claims' })
      .expect(200);
    context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', timezoneId: 'UTC', acceptDownloads: true });
    context.setDefaultTimeout(10_000);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  it('names what a task waits on and why a department is at risk, and offers no "Complete…" while a dependency is open', async () => {
    const page = await open(manager, `/launches/${beacon}`);
    const salesCard = page.locator('section[data-department="sales"]');
    await salesCard.waitFor();
    // The API alone calls Sales on track; its training waits on the blocked messaging task.
    const api = (await t.http.get(`/v1/launches/${beacon}/readiness`).set(bearer(manager)).expect(200)).body;
    expect(api.departments.find((d: { department: string }) => d.department === 'sales').status).toBe('on-track');
    expect(await salesCard.locator('.badge').first().textContent()).toBe('At risk');
    const cause = 'Sales team trained waits on Positioning and messaging approved, which is blocked: Legal hold on the claims';
    expect(await salesCard.locator('.causes li').allTextContents()).toEqual([cause]);
    const training = salesCard.locator(`li[data-task-id="${task('sales-training').taskId}"]`);
    expect(await training.locator('.waiting-blocked').textContent()).toBe(cause);
    expect(await training.textContent()).toContain('Depends on: Positioning and messaging approved (blocked)');
    expect(await training.getByRole('button', { name: 'Complete…' }).count()).toBe(0);
    const marketing = page.locator('section[data-department="product-marketing"]');
    expect(await marketing.locator('.causes li').allTextContents()).toEqual(['Positioning and messaging approved is blocked: Legal hold on the claims']);
    expect(await marketing.getByRole('button', { name: 'Unblock' }).count()).toBe(1);
    expect(
      await page
        .locator(`li[data-task-id="${task('pricing').taskId}"]`)
        .getByRole('button', { name: 'Complete…' })
        .count(),
    ).toBe(1);
    await page.screenshot({ path: screenshotPath('cockpit-05-room-waiting-on'), fullPage: true });

    // The department sees the same, and only its own tasks' commands.
    const salesPage = await open(sales, `/launches/${beacon}`);
    const salesTraining = salesPage.locator(`li[data-task-id="${task('sales-training').taskId}"]`);
    await salesTraining.waitFor();
    expect(await salesTraining.locator(COMMAND_BUTTON).allTextContents()).toEqual(['Block…']);
    expect(await salesTraining.locator(READING_BUTTON).allTextContents()).toEqual(['Comments…']);
    expect(await salesPage.locator(`section.department:not([data-department="sales"]) ${COMMAND_BUTTON}`).count()).toBe(0);
    expect(await salesPage.getByRole('group', { name: 'Launch actions' }).count()).toBe(0);
    expect(await salesPage.getByRole('button', { name: 'Vote go' }).count()).toBe(1);
    await salesPage.close();
    await page.close();
  });

  it('shows the API’s messages next to the fields of the room’s forms, and explains a 412 by reloading', async () => {
    const page = await open(manager, `/launches/${beacon}`);
    const pricing = page.locator(`li[data-task-id="${task('pricing').taskId}"]`);
    await pricing.getByRole('button', { name: 'Waive…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Waive "Pricing approved"' });
    await expectAccessibleAtBothSizes(page, 'waive dialog');
    await page.setViewportSize(DESKTOP);
    await dialog.getByRole('button', { name: 'Waive task' }).click();
    await dialog
      .locator('#waive-' + task('pricing').taskId.slice(0, 8) + '-reason-error')
      .filter({ hasText: /\S/ })
      .waitFor();
    expect(await dialog.getByLabel('Why is it waived?').getAttribute('aria-invalid')).toBe('true');

    // Someone else changes the launch while the dialog is open: the waive is refused (412), not acted over.
    const before = await events();
    await t.http
      .post(`/v1/launches/${beacon}/tasks/${task('operations').taskId}/block`)
      .set(bearer(manager))
      .send({ reason: 'Billing not ready' })
      .expect(200);
    await dialog.getByLabel('Why is it waived?').fill('Pricing unchanged from the previous release');
    await dialog.getByRole('button', { name: 'Waive task' }).click();
    await dialog.getByText(/changed meanwhile .*reloaded/).waitFor();
    expect(await events()).toEqual([...before, 'TaskBlocked']);
    // The room behind shows the change, and submitting again acts on the latest state.
    await page.locator('section[data-department="operations"] .badge').filter({ hasText: 'Blocked' }).waitFor();
    await page.screenshot({ path: screenshotPath('cockpit-06-changed-meanwhile'), fullPage: true });
    await dialog.getByRole('button', { name: 'Waive task' }).click();
    await page.locator('#room-status').filter({ hasText: 'Waived "Pricing approved".' }).waitFor();
    expect(await events()).toEqual([...before, 'TaskBlocked', 'TaskWaived']);
    expect(await pricing.textContent()).toContain('Waived: Pricing unchanged from the previous release');

    // Adding a task: the title's message next to the title.
    await page.getByRole('button', { name: 'Add task…' }).click();
    const add = page.getByRole('dialog', { name: 'Add a task' });
    await expectAccessibleAtBothSizes(page, 'add-task dialog');
    await page.setViewportSize(DESKTOP);
    await add.getByRole('button', { name: 'Add task' }).click();
    await add.locator('#add-task-title-error').filter({ hasText: /\S/ }).waitFor();
    await add.getByLabel('Title').fill('Partner briefing');
    await add.getByLabel('Department').selectOption('sales');
    await add.getByLabel('Depends on (optional)').selectOption(task('pricing').taskId);
    await add.getByRole('button', { name: 'Add task' }).click();
    const briefing = page.locator('section[data-department="sales"] li').filter({ hasText: 'Partner briefing' });
    await briefing.waitFor();
    expect(await briefing.textContent()).toContain('Depends on: Pricing approved (waived)');
    expect(await briefing.getByRole('button', { name: 'Complete…' }).count()).toBe(1);
    await page.close();
  });

  it('offers an auditor no command anywhere in the room or on the new-launch page', async () => {
    const page = await open(auditor, `/launches/${beacon}`);
    await page.getByRole('region', { name: 'Go / no-go' }).locator('table.votes').waitFor();
    await page.getByRole('region', { name: 'Readiness over time' }).waitFor();
    expect(await page.locator(`main ${COMMAND_BUTTON}`).allTextContents()).toEqual([]);
    expect(await page.locator('main form').count()).toBe(0);
    // What an auditor may press only reads: the launch's calendar feed, and each task's comment thread, which opens without a form.
    const tasks = await page.locator('li[data-task-id]').count();
    expect(await page.locator(`main ${READING_BUTTON}`).allTextContents()).toEqual([
      'Subscribe in a calendar…',
      ...Array.from({ length: tasks }, () => 'Comments…'),
    ]);
    await page.locator(`main li[data-task-id] ${READING_BUTTON}`).first().click();
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).waitFor();
    expect(await page.locator('dialog[open] form textarea, dialog[open] form [type="submit"]').count()).toBe(0);
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
    await expectAccessibleAtBothSizes(page, 'launch room (auditor)');
    await page.setViewportSize(DESKTOP);
    await page.goto(`${t.baseUrl}/#/launches/new`);
    await page.getByText('Only launch managers and admins create launches.').waitFor();
    expect(await page.locator('main form').count()).toBe(0);
    await page.close();
  });

  it('draws readiness over time from the log, with the same numbers as a table', async () => {
    const page = await open(manager, `/launches/${beacon}`);
    const chart = page.getByRole('region', { name: 'Readiness over time' });
    await chart.getByRole('img').waitFor();
    expect(await chart.locator('polyline').count()).toBe(9);
    await chart.getByText('Show the numbers as a table').click();
    const rows = chart.locator('#readiness-over-time-table tbody tr');
    // Every event that changed a department's readiness is a row; the waive took Finance to 100%.
    const finance = await chart.locator('#readiness-over-time-table thead th').allTextContents();
    const column = finance.indexOf('Finance');
    expect(column).toBeGreaterThan(0);
    const last = rows.last();
    expect(await last.locator('th, td').nth(column).textContent()).toBe('100%');
    expect(await rows.first().locator('th, td').nth(column).textContent()).toBe('0%');
    await page.close();
  });

  it('exports the history as NDJSON and CSV from the history page, with readable labels in the timeline', async () => {
    const page = await open(auditor, `/launches/${beacon}/history`);
    await page.getByRole('heading', { name: 'Beacon: history' }).waitFor();
    const blocked = page.locator('ol.timeline > li').filter({ hasText: 'TaskBlocked' }).first();
    expect(await blocked.locator('dt').allTextContents()).toContain('Reason');
    const stored = await events();
    for (const [format, check] of [
      [
        'ndjson',
        (text: string) =>
          expect(
            text
              .trim()
              .split('\n')
              .map((line) => JSON.parse(line).type),
          ).toEqual(stored),
      ],
      ['csv', (text: string) => expect(text.split('\r\n')[0]).toMatch(/^revision,position,eventId,type,occurredAt/)],
    ] as const) {
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`a.export-link[data-format="${format}"]`).click()]);
      expect(download.suggestedFilename()).toBe(`Beacon-history.${format}`);
      check(readFileSync((await download.path())!, 'utf8'));
    }
    await expectAccessibleAtBothSizes(page, 'history');
    await page.close();
  });

  it('ran every page without a script error or a CSP violation', () => {
    expect(pageErrors).toEqual([]);
  });
});
