import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Browser, BrowserContext } from 'playwright-core';
import { ADMIN_TOKEN, bearer, type TestApp } from '../support/test-app.js';
import { launchChromium } from './support/chromium.js';
import { COMMAND_BUTTON, DESKTOP, signIn } from './support/cockpit-page.js';
import { startListeningApp } from './support/dashboard-app.js';

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

jest.setTimeout(90_000);

interface Task {
  taskId: string;
  key: string;
}

describe('the launch manager changes a launch in the browser', () => {
  let t: TestApp & { baseUrl: string };
  let browser: Browser;
  let context: BrowserContext;
  const pageErrors: string[] = [];
  let manager: string;

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

  beforeAll(async () => {
    browser = await launchChromium();
    t = await startListeningApp();
    manager = await t.principal('launch-manager', undefined, 'Lee Manager');
    context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', timezoneId: 'UTC' });
    context.setDefaultTimeout(10_000);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  it('reopens a sign-off (its dependents going stale), reschedules a task and the launch, and cancels it', async () => {
    const dawn = (
      await t.http
        .post('/v1/launches')
        .set(bearer(manager))
        .send({ name: 'Dawn', product: 'Dawn', targetDate: inDays(40), tier: 2 })
        .expect(201)
    ).body.launchId;
    const dawnTasks: Task[] = (await t.http.get(`/v1/launches/${dawn}`).set(bearer(manager)).expect(200)).body.tasks;
    const dawnTask = (key: string) => dawnTasks.find((candidate) => candidate.key === key)!;
    await t.http
      .post(`/v1/launches/${dawn}/tasks/${dawnTask('messaging').taskId}/complete`)
      .set(bearer(manager))
      .send({ details: { documentUrl: 'https://docs.example.com/dawn', version: 1 } })
      .expect(200);
    await t.http
      .post(`/v1/launches/${dawn}/tasks/${dawnTask('sales-training').taskId}/complete`)
      .set(bearer(manager))
      .send({ details: { sessionDate: inDays(-1), repsTrained: 5, repsTotal: 5 } })
      .expect(200);
    const page = await open(manager, `/launches/${dawn}`);
    const row = (key: string) => page.locator(`li[data-task-id="${dawnTask(key).taskId}"]`);

    await row('messaging').getByRole('button', { name: 'Reopen…' }).click();
    const reopen = page.getByRole('dialog');
    expect(await reopen.textContent()).toContain('must be signed off again: Sales team trained');
    await reopen.getByLabel('Why is it reopened?').fill('Positioning changed');
    await reopen.getByRole('button', { name: 'Reopen task' }).click();
    await row('sales-training').getByText('Stale: sign off again').waitFor();
    expect(await row('messaging').textContent()).not.toContain('Completed');

    await row('pr').getByRole('button', { name: 'Reschedule…' }).click();
    const moveTask = page.getByRole('dialog');
    await moveTask.getByLabel('New due date').fill(inDays(20));
    await moveTask.getByRole('button', { name: 'Reschedule task' }).click();
    await row('pr')
      .getByText(`due ${inDays(20)}`)
      .waitFor();

    await page.getByRole('button', { name: 'Reschedule launch…' }).click();
    const moveLaunch = page.getByRole('dialog');
    await moveLaunch.getByLabel('New target date').fill(inDays(47));
    await moveLaunch.getByRole('button', { name: 'Reschedule launch' }).click();
    await moveLaunch.locator('.field-error').filter({ hasText: /\S/ }).first().waitFor(); // the reason is required
    expect(await moveLaunch.getByLabel('Why?').getAttribute('aria-invalid')).toBe('true');
    await moveLaunch.getByLabel('Why?').fill('Release slipped a week');
    await moveLaunch.getByRole('button', { name: 'Reschedule launch' }).click();
    await page
      .locator('.meta time')
      .filter({ hasText: inDays(47) })
      .waitFor();
    await row('pr')
      .getByText(`due ${inDays(27)}`)
      .waitFor(); // open tasks move with the launch

    await page.getByRole('button', { name: 'Cancel launch…' }).click();
    const cancel = page.getByRole('dialog');
    await cancel.getByLabel('Why is it cancelled?').fill('Product withdrawn');
    await cancel.getByRole('button', { name: 'Cancel the launch' }).click();
    await page.locator('.launch-status').filter({ hasText: 'cancelled' }).waitFor();
    expect(await page.locator(`main ${COMMAND_BUTTON}`).count()).toBe(0);
    const types = (await t.http.get(`/v1/launches/${dawn}/history`).set(bearer(manager)).expect(200)).body.events.map((e: { type: string }) => e.type);
    expect(types.slice(3)).toEqual(['TaskReopened', 'SignOffInvalidated', 'TaskRescheduled', 'LaunchRescheduled', 'LaunchCancelled']);
    await page.close();
  });

  it('shows the warnings a creation answers with in the new launch’s room', async () => {
    const page = await open(manager, '/launches/new');
    await page.getByRole('heading', { name: 'New launch', level: 1 }).waitFor();
    // The answer as a server with creation warnings gives it: the real answer plus `warnings`.
    let warned: { taskId: string; title: string; department: string; dueDate: string } | undefined;
    await page.route('**/v1/launches', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      const response = await route.fetch();
      const body = await response.json();
      const created = (await t.http.get(`/v1/launches/${body.launchId}`).set(bearer(manager)).expect(200)).body.tasks[0];
      warned = { taskId: created.taskId, title: created.title, department: created.department, dueDate: created.dueDate };
      await route.fulfill({ response, json: { ...body, warnings: [{ code: 'TaskAlreadyOverdue', ...warned }] } });
    });
    await page.getByLabel('Name', { exact: true }).fill('Comet');
    await page.getByLabel('Product').fill('Comet');
    await page.getByLabel('Target date', { exact: true }).fill(inDays(10));
    await page.getByRole('button', { name: 'Create launch' }).click();
    await page.getByRole('heading', { name: 'Comet', level: 1 }).waitFor();
    const flash = await page.locator('.flash').textContent();
    expect(flash).toContain('Created Comet.');
    expect(flash).toContain(`Warning: ${warned!.title} (Product Management) was due ${warned!.dueDate}, before today`);
    expect(warned!.department).toBe('product-management');
    await page.close();
  });

  it('creates a launch once when its answer is lost and the manager submits again', async () => {
    const page = await open(manager, '/launches/new');
    let lost = false;
    await page.route('**/v1/launches', async (route) => {
      if (route.request().method() !== 'POST' || lost) return route.continue();
      lost = true;
      await route.fetch(); // the server creates the launch; its answer never reaches the page
      await route.abort('connectionreset');
    });
    await page.getByLabel('Name', { exact: true }).fill('Glow');
    await page.getByLabel('Product').fill('Glow');
    await page.getByLabel('Target date', { exact: true }).fill(inDays(15));
    await page.getByRole('button', { name: 'Create launch' }).click();
    await page.locator('.form-problem').filter({ hasText: 'could not be reached' }).waitFor();
    await page.getByRole('button', { name: 'Create launch' }).click();
    await page.getByRole('heading', { name: 'Glow', level: 1 }).waitFor();
    const glows = (await t.http.get('/v1/launches').set(bearer(manager)).expect(200)).body.filter((l: { name: string }) => l.name === 'Glow');
    expect(glows).toHaveLength(1);
    expect(page.url()).toContain(glows[0].launchId);
    await page.close();
  });

  it('lets an admin vote on a department’s behalf, naming it', async () => {
    const launchId = (
      await t.http
        .post('/v1/launches')
        .set(bearer(manager))
        .send({ name: 'Ember', product: 'Ember', targetDate: inDays(20), tier: 3 })
        .expect(201)
    ).body.launchId;
    const page = await open(ADMIN_TOKEN, `/launches/${launchId}`);
    const panel = page.getByRole('region', { name: 'Go / no-go' });
    await panel.getByLabel('On behalf of').selectOption('engineering');
    await panel.getByLabel('Vote note (optional)').fill('Release candidate is not signed yet');
    await panel.getByRole('button', { name: 'Vote no-go' }).click();
    await panel.locator('tr[data-department="engineering"] .vote-no-go').waitFor();
    const record = (await t.http.get(`/v1/launches/${launchId}/decision-record`).set(bearer(manager)).expect(200)).body;
    expect(record.votes).toMatchObject([{ department: 'engineering', vote: 'no-go', note: 'Release candidate is not signed yet' }]);
    await page.close();
  });

  it('ran every page without a script error or a CSP violation', () => {
    expect(pageErrors).toEqual([]);
  });
});
