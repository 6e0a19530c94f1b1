import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect } from '@jest/globals';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 390, height: 844 };

/** What page.evaluate() reads in the page (this file is typed for Node, not the DOM). */
interface AxeResult {
  violations: Array<{ id: string; impact: string; help: string; nodes: Array<{ target: string[] }> }>;
}
interface PageElement {
  tagName: string;
  className: unknown;
  parentElement: PageElement | null;
  getBoundingClientRect(): { right: number; width: number };
}
type PageGlobals = {
  axe: { run(context: unknown, options: unknown): Promise<AxeResult> };
  document: { querySelectorAll(selector: string): Iterable<PageElement> };
  getComputedStyle(element: PageElement): { overflowX: string };
  innerWidth: number;
};

/** The views this helper's pages render: the page's main region and any open dialog (the header is the shell's). */
const VIEW = ['main', 'dialog[open]'];

/** Signs in by pasting the token, keyboard only (the field has focus on arrival, Enter submits). */
export async function signIn(page: Page, baseUrl: string, token: string): Promise<void> {
  await page.goto(baseUrl);
  await page.getByLabel('API token').waitFor();
  await page.keyboard.type(token);
  await page.keyboard.press('Enter');
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/**
 * axe-core over the view as it is now (WCAG 2.x A and AA rules): its violations, described. The
 * script is evaluated through the DevTools protocol, so the page's strict CSP needs no exception.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const result = await page.evaluate(
    (include) =>
      (globalThis as unknown as PageGlobals).axe.run(
        { include: include.map((selector) => [selector]) },
        { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } },
      ),
    (await page.locator('dialog[open]').count()) ? VIEW : ['main'],
  );
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/**
 * What in the view reaches past the window's right edge, and by how much (empty: no sideways
 * scrolling). Content inside its own scrolling region (a wide table in a scrollable box) is the
 * region's, not the page's.
 */
export async function sidewaysOverflow(page: Page): Promise<string[]> {
  return page.evaluate((view) => {
    const g = globalThis as unknown as PageGlobals;
    const scrollsItself = (element: PageElement | null): boolean => {
      for (let at = element; at; at = at.parentElement) if (['auto', 'scroll', 'hidden', 'clip'].includes(g.getComputedStyle(at).overflowX)) return true;
      return false;
    };
    const past: string[] = [];
    for (const element of g.document.querySelectorAll(view.map((s) => `${s}, ${s} *`).join(', '))) {
      const box = element.getBoundingClientRect();
      const by = Math.ceil(box.right - g.innerWidth);
      if (box.width > 0 && by > 0 && !scrollsItself(element.parentElement))
        past.push(`${element.tagName.toLowerCase()}${element.className ? `.${String(element.className).split(' ').join('.')}` : ''} by ${by}px`);
    }
    return past;
  }, VIEW);
}

/** At both sizes: 0 axe violations and no sideways scrolling. */
export async function expectAccessibleAtBothSizes(page: Page, view: string): Promise<void> {
  for (const size of [PHONE, DESKTOP]) {
    await page.setViewportSize(size);
    await page.waitForTimeout(50);
    expect({ view, size, violations: await axeViolations(page) }).toEqual({ view, size, violations: [] });
    expect({ view, size, overflow: await sidewaysOverflow(page) }).toEqual({ view, size, overflow: [] });
  }
}

/**
 * A command button, as opposed to a reading affordance: buttons marked `data-reads` only open
 * something to read (a task's comment thread, read-only for an auditor) and send nothing.
 */
export const COMMAND_BUTTON = 'button:not([data-reads])';
export const READING_BUTTON = 'button[data-reads]';
