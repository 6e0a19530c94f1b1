import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { bearer, type TestApp } from '../support/test-app.js';
import { launchChromium } from './support/chromium.js';
import { COMMAND_BUTTON, DESKTOP, expectAccessibleAtBothSizes, signIn } from './support/cockpit-page.js';
import { screenshotPath, startListeningApp } from './support/dashboard-app.js';

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

jest.setTimeout(90_000);

/** Owners, comments and launch editing in the room, against the real API. */
describe('the room assigns owners, keeps comments and edits the launch', () => {
  let t: TestApp & { baseUrl: string };
  let browser: Browser;
  let context: BrowserContext;
  const pageErrors: string[] = [];
  let manager: string;
  let auditor: string;
  let launchId: string;
  let releaseId: string;

  const open = async (token: string): Promise<Page> => {
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await signIn(page, t.baseUrl, token);
    await page.goto(`${t.baseUrl}/#/launches/${launchId}`);
    return page;
  };

  beforeAll(async () => {
    browser = await launchChromium();
    t = await startListeningApp();
    manager = await t.principal('launch-manager', undefined, 'Lee Manager');
    auditor = await t.principal('auditor', undefined, 'Ada Auditor');
    launchId = (
      await t.http
        .post('/v1/launches')
        .set(bearer(manager))
        .send({ name: 'Flare', product: 'Flare', targetDate: inDays(20), tier: 3 })
        .expect(201)
    ).body.launchId;
    releaseId = (await t.http.get(`/v1/launches/${launchId}`).set(bearer(manager)).expect(200)).body.tasks.find(
      (task: { key: string }) => task.key === 'release',
    ).taskId;
    context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', timezoneId: 'UTC' });
    context.setDefaultTimeout(10_000);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  it('assigns an owner (the e-mail’s message next to its field), comments on the task, and edits the launch', async () => {
    const page = await open(manager);
    const release = page.locator(`li[data-task-id="${releaseId}"]`);
    await release.getByText('No owner').waitFor();
    await release.getByRole('button', { name: 'Assign…' }).click();
    const assign = page.getByRole('dialog', { name: 'Owner of "Release signed off"' });
    await assign.getByLabel('Owner’s name').fill('Rita Release');
    await assign.getByLabel('Owner’s e-mail').fill('not-an-address');
    await assign.getByRole('button', { name: 'Assign' }).click();
    await assign.locator('.field-error').filter({ hasText: /\S/ }).first().waitFor();
    expect(await assign.getByLabel('Owner’s e-mail').getAttribute('aria-invalid')).toBe('true');
    await assign.getByLabel('Owner’s e-mail').fill('rita@example.com');
    await assign.getByRole('button', { name: 'Assign' }).click();
    await release.getByText('Owner: Rita Release <rita@example.com>').waitFor();

    await release.getByRole('button', { name: 'Comments…' }).click();
    const thread = page.getByRole('dialog', { name: 'Comments on "Release signed off"' });
    await thread.getByText('No comments yet.').waitFor();
    await expectAccessibleAtBothSizes(page, 'comments dialog');
    await page.setViewportSize(DESKTOP);
    await thread.getByRole('button', { name: 'Add comment' }).click();
    await thread.locator('.field-error').filter({ hasText: /\S/ }).waitFor();
    await thread.getByLabel('Your comment').fill('RC2 is on staging');
    await thread.getByRole('button', { name: 'Add comment' }).click();
    await thread.locator('.comment-list li').filter({ hasText: 'RC2 is on staging' }).waitFor();
    expect(await thread.locator('.comment-list li').textContent()).toContain('Lee Manager');
    await page.screenshot({ path: screenshotPath('cockpit-07-comments'), fullPage: true });
    await thread.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('button', { name: 'Edit details…' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Flare' });
    await edit.getByLabel('Name').fill('Flare GA');
    await edit.getByRole('button', { name: 'Save details' }).click();
    await page.getByRole('heading', { name: 'Flare GA', level: 1 }).waitFor();
    await page.close();
  });

  it('shows an auditor owners and comments but offers no assignment and no comment form', async () => {
    const page = await open(auditor);
    const release = page.locator(`li[data-task-id="${releaseId}"]`);
    await release.getByRole('button', { name: 'Comments…' }).click();
    const thread = page.getByRole('dialog');
    await thread.locator('.comment-list li').filter({ hasText: 'RC2 is on staging' }).waitFor();
    expect(await thread.getByRole('button', { name: 'Add comment' }).count()).toBe(0);
    expect(await thread.locator('textarea').count()).toBe(0);
    await thread.getByRole('button', { name: 'Close' }).click();
    await release.getByText('Owner: Rita Release <rita@example.com>').waitFor();
    expect(await page.locator(`main ${COMMAND_BUTTON}`).allTextContents()).toEqual([]);
    await page.close();
  });

  it('sends commands on the shell’s request path: a lost answer raises the connection banner, which clears when the server answers', async () => {
    const page = await open(manager);
    await page.getByRole('button', { name: 'Edit details…' }).click();
    const edit = page.getByRole('dialog', { name: /^Edit / });
    // Only this PATCH finds no server; the page's probe of /health/live still does.
    const patch = (url: URL) => url.pathname === `/v1/launches/${launchId}`;
    await page.route(patch, (route) => (route.request().method() === 'PATCH' ? route.abort('connectionrefused') : route.continue()));
    await edit.getByLabel('Product').fill('Flare Suite');
    await edit.getByRole('button', { name: 'Save details' }).click();
    await edit.locator('.form-problem').filter({ hasText: 'the answer is unknown' }).waitFor();
    await page.locator('#connection').filter({ hasText: 'Connection to the server lost' }).waitFor();
    await page.unroute(patch);
    await page.locator('#connection').waitFor({ state: 'hidden', timeout: 8_000 });
    await edit.getByRole('button', { name: 'Save details' }).click();
    await page.getByText('Flare Suite').first().waitFor();
    await page.close();
  });

  it('ran every page without a script error', () => {
    expect(pageErrors).toEqual([]);
  });
});
