import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { bearer, type TestApp } from '../support/test-app.js';
import { launchChromium } from './support/chromium.js';
import { COMMAND_BUTTON, DESKTOP, expectAccessibleAtBothSizes, PHONE, signIn } from './support/cockpit-page.js';
import { screenshotPath, startListeningApp } from './support/dashboard-app.js';

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

jest.setTimeout(120_000);

const focusedId = (page: Page) => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id);

/** Presses Tab until the element with this id has focus (at most `presses` times). */
async function tabTo(page: Page, id: string, presses = 6): Promise<void> {
  for (let i = 0; i < presses && (await focusedId(page)) !== id; i++) await page.keyboard.press('Tab');
  expect(await focusedId(page)).toBe(id);
}

/** Nothing focused: where a keyboard user starts on a freshly loaded page. */
const atTopOfPage = (page: Page) =>
  page.evaluate(() => {
    const d = (globalThis as unknown as { document: { activeElement: unknown; body: unknown } }).document;
    return d.activeElement === d.body;
  });

/**
 * A launch taken from creation to go and launched entirely in the browser: the manager creates it
 * from a tier template (keyboard only), each department completes its task and votes go in its own
 * browser, the manager decides go (keyboard only) and marks it launched.
 */
describe('the launch manager runs a launch from creation to launched in the browser', () => {
  let t: TestApp & { baseUrl: string };
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  let tokens: Record<'manager' | 'marketing' | 'engineering' | 'support', string>;
  let launchId: string;

  const open = async (token: string) => {
    const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', timezoneId: 'UTC' });
    context.setDefaultTimeout(10_000);
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) pageErrors.push(message.text());
    });
    await signIn(page, t.baseUrl, token);
    return page;
  };

  beforeAll(async () => {
    browser = await launchChromium();
    t = await startListeningApp();
    tokens = {
      manager: await t.principal('launch-manager', undefined, 'Lee Manager'),
      marketing: await t.principal('department', 'product-marketing', 'Pat Marketing'),
      engineering: await t.principal('department', 'engineering', 'Eve Engineer'),
      support: await t.principal('department', 'support', 'Sam Support'),
    };
  }, 60_000);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t?.close();
  });

  it('creates a launch from a tier template with the keyboard: the checklist previewed, the API’s messages next to the fields', async () => {
    const page = await open(tokens.manager);
    // Keyboard only from the top of the launch list: Tab to "New launch", Enter.
    await page.reload();
    await page.getByRole('heading', { name: 'Launches', level: 1 }).waitFor();
    expect(await atTopOfPage(page)).toBe(true);
    await tabTo(page, 'new-launch', 20);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'New launch', level: 1 }).waitFor();
    await expectAccessibleAtBothSizes(page, 'create launch (empty)');
    await page.setViewportSize(DESKTOP);

    // Name has focus on arrival. A first submit with only a blank name: the API's messages, by field.
    await expect(focusedId(page)).resolves.toBe('create-name');
    await page.keyboard.type('   ');
    await page.keyboard.press('Enter');
    const nameField = page.getByLabel('Name', { exact: true });
    await page.locator('#create-name-error').filter({ hasText: /\S/ }).waitFor();
    expect(await nameField.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#create-targetDate-error').textContent()).not.toBe('');
    await page.screenshot({ path: screenshotPath('cockpit-01-create-validation'), fullPage: true });

    // Keyboard only: fill the fields in order; the tier select and the date input take keys too.
    await nameField.focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Nova GA');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Nova');
    await page.keyboard.press('Tab');
    await page.keyboard.type('General availability of Nova');
    await page.keyboard.press('Tab');
    const target = inDays(3); // tier 3 messaging is due 5 days before: already overdue
    const [year, month, day] = target.split('-');
    await page.keyboard.type(`${month}${day}${year}`);
    expect(await page.getByLabel('Target date', { exact: true }).inputValue()).toBe(target);
    await tabTo(page, 'create-tier'); // Tab also steps through the date input's month, day and year
    await page.keyboard.press('ArrowDown'); // tier 1 → 2
    await page.keyboard.press('ArrowDown'); // → 3
    expect(await page.getByLabel('Tier', { exact: true }).inputValue()).toBe('3');
    const preview = page.locator('#checklist-preview');
    await preview.getByRole('heading', { name: /Tier 3/ }).waitFor();
    expect(await page.locator('#preview-summary').textContent()).toBe('1 task would already be overdue: Release notes approved.');
    expect(await preview.locator('li[data-key="messaging"]').textContent()).toContain(`due ${inDays(-2)}`);
    expect(await preview.locator('li[data-key="messaging"] .flag-overdue').count()).toBe(1);
    expect(await preview.locator('li[data-key="release"]').textContent()).toContain(`due ${inDays(1)}`);
    await expectAccessibleAtBothSizes(page, 'create launch (preview)');
    await page.setViewportSize(DESKTOP);
    await page.screenshot({ path: screenshotPath('cockpit-02-create-preview'), fullPage: true });

    await page.getByLabel('Tier', { exact: true }).focus();
    await tabTo(page, 'create-submit');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Nova GA', level: 1 }).waitFor();
    launchId = /#\/launches\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    expect(await page.locator('.flash').textContent()).toContain('Created Nova GA.');
    const stored = (await t.http.get(`/v1/launches/${launchId}`).set(bearer(tokens.manager)).expect(200)).body;
    expect(stored).toMatchObject({ name: 'Nova GA', product: 'Nova', description: 'General availability of Nova', tier: 3, targetDate: target });
    expect(stored.tasks.map((task: { key: string }) => task.key).sort()).toEqual(['docs', 'messaging', 'release']);
  });

  it('lets each department complete its task and vote go in its own browser, then the manager decides go and marks it launched', async () => {
    const manager = await open(tokens.manager);
    await manager.goto(`${t.baseUrl}/#/launches/${launchId}`);
    await manager.getByRole('heading', { name: 'Nova GA', level: 1 }).waitFor();
    await manager
      .locator('#live-status')
      .filter({ hasText: /^Live: / })
      .waitFor();
    // The go/no-go panel: every task a blocker, every department's go vote owed.
    const panel = manager.getByRole('region', { name: 'Go / no-go' });
    await panel.getByText('Blockers (3)').waitFor();
    expect(await panel.locator('.vote-owed').count()).toBe(3);
    await expectAccessibleAtBothSizes(manager, 'launch room (manager)');
    await manager.setViewportSize(PHONE);
    await manager.screenshot({ path: screenshotPath('cockpit-03-room-phone'), fullPage: true });
    await manager.setViewportSize(DESKTOP);
    // Go while tasks are open: the API's refusal, in the panel, and nothing recorded.
    await panel.getByRole('button', { name: 'Decide go' }).click();
    await panel.locator('.form-problem').filter({ hasText: 'go refused: 3 required task(s) not done' }).waitFor();

    const completions: Array<[keyof typeof tokens, string, Record<string, string>]> = [
      ['marketing', 'product-marketing', { 'Document URL': 'https://docs.example.com/nova-notes', Version: '1' }],
      ['engineering', 'engineering', { Version: '2.0.0' }],
      ['support', 'support', { 'Published URL': 'https://help.example.com/nova' }],
    ];
    for (const [who, department, details] of completions) {
      const page = await open(tokens[who]);
      await page.goto(`${t.baseUrl}/#/launches/${launchId}`);
      const card = page.locator(`section[data-department="${department}"]`);
      // A department is offered only its own tasks and its vote: no launch command, no decision.
      expect(await page.getByRole('group', { name: 'Launch actions' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Decide go' }).count()).toBe(0);
      expect(await page.locator(`section.department:not([data-department="${department}"]) ${COMMAND_BUTTON}`).count()).toBe(0);
      await card.getByRole('button', { name: 'Complete…' }).click();
      const dialog = page.getByRole('dialog');
      for (const [label, value] of Object.entries(details)) await dialog.getByLabel(label).fill(value);
      await dialog.getByRole('button', { name: 'Complete task' }).click();
      await page.locator('#room-status').filter({ hasText: 'Completed' }).waitFor();
      expect(await card.locator('.badge').first().textContent()).toBe('Ready');

      const votes = page.getByRole('region', { name: 'Go / no-go' });
      await votes.getByLabel('Vote note (optional)').fill(`${department} is ready`);
      await votes.getByRole('button', { name: 'Vote go' }).click();
      await votes.locator(`tr[data-department="${department}"] .vote-go`).waitFor();
      await page.close();
    }

    // The manager's room followed live: no blockers, every vote cast, evidence with readable labels.
    await panel.getByText('None: every required task is completed or waived.').waitFor({ timeout: 5000 });
    await panel.locator('.vote-go').nth(2).waitFor({ timeout: 5000 });
    expect(await panel.locator('.vote-owed').count()).toBe(0);
    const marketing = manager.locator('section[data-department="product-marketing"]');
    expect(await marketing.locator('dt').allTextContents()).toEqual(expect.arrayContaining(['Document', 'Messaging version', 'Signed off']));
    expect(await manager.getByRole('img', { name: /Readiness per department/ }).count()).toBe(1);

    // Keyboard only, from the top of the freshly loaded room: Tab to the note, type, Tab to "Decide go".
    await manager.reload();
    await panel.getByText('None: every required task is completed or waived.').waitFor();
    expect(await atTopOfPage(manager)).toBe(true);
    await tabTo(manager, 'decide-note', 120);
    await manager.keyboard.type('All departments ready');
    await manager.keyboard.press('Tab');
    await manager.keyboard.press('Enter');
    await panel.locator('#decision-line').filter({ hasText: 'Decided: go by Lee Manager' }).waitFor();
    expect(await panel.locator('#decision-line').textContent()).toContain('All departments ready');
    await manager.screenshot({ path: screenshotPath('cockpit-03-room-decided-go'), fullPage: true });

    await manager.getByRole('button', { name: 'Mark launched…' }).click();
    await manager.getByRole('dialog').getByRole('button', { name: 'Mark launched' }).click();
    await manager.locator('.launch-status').filter({ hasText: 'launched' }).waitFor();
    // A launched launch takes no more commands, so none is offered.
    expect(await manager.locator(`main ${COMMAND_BUTTON}`).count()).toBe(0);
    const history = (await t.http.get(`/v1/launches/${launchId}/history`).set(bearer(tokens.manager)).expect(200)).body.events.map(
      (e: { type: string }) => e.type,
    );
    expect(history).toEqual([
      'LaunchCreated',
      'MessagingApproved',
      'VoteCast',
      'ReleaseApproved',
      'VoteCast',
      'DocumentationPublished',
      'VoteCast',
      'GoDecided',
      'LaunchCompleted',
    ]);
    await manager.screenshot({ path: screenshotPath('cockpit-04-room-launched'), fullPage: true });
  });

  it('ran every page without a script error or a CSP violation', () => {
    expect(pageErrors).toEqual([]);
  });
});
