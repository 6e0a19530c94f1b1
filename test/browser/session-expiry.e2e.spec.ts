import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { OidcTestProvider, signingKey } from '../support/oidc-test-provider.js';
import { launchChromium } from './support/chromium.js';
import { buildDashboard, screenshotPath } from './support/dashboard-app.js';
import { axeFindings } from './support/page-checks.js';

jest.setTimeout(60_000);
const SESSION_TTL_MS = 6_000;

/** A single sign-on session ends at a known instant: the open tab says so then, without a click. */
describe('an expiring single sign-on session (Chromium)', () => {
  let provider: OidcTestProvider;
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;

  beforeAll(async () => {
    buildDashboard();
    provider = await OidcTestProvider.start();
    t = await startTestApp({ ...provider.env(), OIDC_SESSION_TTL_MS: String(SESSION_TTL_MS) });
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    provider.configure(base, [await signingKey('expiry-key')]);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    context.setDefaultTimeout(10_000);
    await context.route(/fonts\.googleapis\.com/, (route) => route.abort()); // the provider's pages; this network is closed
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
    await provider?.close();
  });

  it('goes back to the sign-in page when the session expires, saying so, with the header cleared', async () => {
    const page = await context.newPage();
    await page.goto(base);
    await page.getByRole('button', { name: 'Sign in with your company account' }).click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.locator('input[name="login"]').fill('ada');
    await page.locator('input[name="password"]').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((url) => url.origin === base);
    await page.getByRole('heading', { name: 'Launches' }).waitFor();
    expect(await page.locator('#who').textContent()).toContain('Ada Lovelace');

    await page.getByText(/your session has expired/).waitFor({ timeout: SESSION_TTL_MS + 8_000 });
    expect(await page.locator('#who').textContent()).toBe('');
    expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Sign in with your company account' }).isVisible()).toBe(true);
    expect(await axeFindings(page)).toEqual([]);
    await page.screenshot({ path: screenshotPath('session-expired'), fullPage: true });
  });
});
