import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { bearer, startTestApp, type TestApp } from '../support/test-app.js';
import { OidcTestProvider, signingKey } from '../support/oidc-test-provider.js';
import { launchChromium } from './support/chromium.js';
import { buildDashboard, screenshotPath } from './support/dashboard-app.js';

/** What page.evaluate() reads in the page (this file is typed for Node, not the DOM). */
interface BrowserGlobals {
  sessionStorage: { getItem(key: string): string | null };
}
const storedToken = (page: Page) => page.evaluate(() => (globalThis as unknown as BrowserGlobals).sessionStorage.getItem('launch-control.token'));
const storedPending = (page: Page) => page.evaluate(() => (globalThis as unknown as BrowserGlobals).sessionStorage.getItem('launch-control.sso-pending'));

jest.setTimeout(60_000);

describe("the dashboard signs in through the company's identity provider (Chromium)", () => {
  let provider: OidcTestProvider;
  let t: TestApp;
  let base: string;
  let browser: Browser;
  let context: BrowserContext;
  const pageErrors: string[] = [];
  const cspViolations: string[] = [];

  beforeAll(async () => {
    buildDashboard();
    provider = await OidcTestProvider.start();
    t = await startTestApp(provider.env());
    await t.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    provider.configure(base, [await signingKey('browser-key')]);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await provider?.close();
  });

  const newPage = async () => {
    await context?.close();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(10_000);
    // The provider's pages @import a web font; this network is closed.
    await context.route(/fonts\.googleapis\.com/, (route) => route.abort());
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    return page;
  };

  /** From the dashboard's sign-in page through the provider's login and consent pages, as `login`. */
  const signInAtCompany = async (page: Page, login: string) => {
    await page.goto(base);
    await page.getByLabel('API token').waitFor();
    await page.getByRole('button', { name: 'Sign in with your company account' }).click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((url) => url.origin === base);
  };

  it('signs in with authorization code + PKCE, keeps only a session token, and signs out of both', async () => {
    const page = await newPage();
    await signInAtCompany(page, 'ada');
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.getByRole('heading', { name: 'Launches' }).waitFor();
    expect(await page.locator('#who').textContent()).toBe('Ada Lovelace <ada@example.com> · launch-manager');
    // The code and state are gone from the address bar and from the tab's storage.
    expect(page.url()).toBe(`${base}/#/launches`);
    expect(await storedPending(page)).toBeNull();
    const token = await storedToken(page);
    expect(token).toMatch(/^lcs_/);
    const me = await t.http.get('/v1/me').set(bearer(token!)).expect(200);
    expect(me.body).toMatchObject({ id: 'oidc:ada', role: 'launch-manager', signedInVia: 'session' });
    await page.screenshot({ path: screenshotPath('sso-01-signed-in'), fullPage: true });

    await page.getByRole('button', { name: 'Sign out' }).click();
    // The provider asks whether to end its own session too, then sends the browser back.
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL((url) => url.origin === base);
    await page.getByLabel('API token').waitFor();
    expect(await storedToken(page)).toBeNull();
    await t.http.get('/v1/me').set(bearer(token!)).expect(401);

    // Signed out at the provider as well: signing in again asks for the login.
    await page.getByRole('button', { name: 'Sign in with your company account' }).click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.locator('input[name="login"]').waitFor();
  });

  it('tells a person without a Launch Control role that they are not allowed in, and keeps no token', async () => {
    const page = await newPage();
    await signInAtCompany(page, 'nina');
    await page.locator('#sign-in-status').filter({ hasText: 'not allowed in' }).waitFor();
    expect(await page.locator('#sign-in-status').textContent()).toContain('no Launch Control role');
    expect(await storedToken(page)).toBeNull();
    expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(false);
    await page.screenshot({ path: screenshotPath('sso-02-no-role'), fullPage: true });
  });

  it("comes back from a sign-in cancelled at the provider with the provider's reason, signed out", async () => {
    const page = await newPage();
    await page.goto(base);
    await page.getByRole('button', { name: 'Sign in with your company account' }).click();
    await page.waitForURL((url) => url.origin === provider.issuer);
    await page.getByRole('link', { name: '[ Cancel ]' }).click();
    await page.waitForURL((url) => url.origin === base);
    await page.locator('#sign-in-status').filter({ hasText: 'did not sign you in' }).waitFor();
    expect(page.url()).toBe(`${base}/#/launches`);
    expect(await storedToken(page)).toBeNull();
    expect(await storedPending(page)).toBeNull();
  });

  it('still signs in with a pasted API token, beside single sign-on', async () => {
    const auditor = await t.principal('auditor', undefined, 'Audit Bot');
    const page = await newPage();
    await page.goto(base);
    await page.getByRole('button', { name: 'Sign in with your company account' }).waitFor();
    await page.getByLabel('API token').fill(auditor);
    await page.keyboard.press('Enter');
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    expect(await page.locator('#who').textContent()).toBe('Audit Bot · auditor');
    // Signing out of an API token just forgets it in this tab.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API token').waitFor();
    expect(page.url().startsWith(base)).toBe(true);
    await t.http.get('/v1/me').set(bearer(auditor)).expect(200);
  });

  it('ran without script errors or Content-Security-Policy violations on the dashboard', () => {
    expect(pageErrors).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});
