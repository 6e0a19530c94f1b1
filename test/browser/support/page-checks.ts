import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1366, height: 768 };

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** One axe finding, as much of it as a failing test needs to name the fix. */
export interface AxeFinding {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core in the page (every rule axe runs by default: WCAG 2.x A/AA and best practices).
 * Evaluated over the DevTools protocol, so the page's self-only CSP stays on and untouched.
 */
export async function axeFindings(page: Page): Promise<AxeFinding[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: { run(): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> };
      }
    ).axe;
    const result = await axe.run();
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }));
  });
}

/** How far the page is wider than the window (0: no sideways scrolling). */
export function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number } }; innerWidth: number }).document.documentElement;
    return Math.max(0, root.scrollWidth - (globalThis as unknown as { innerWidth: number }).innerWidth);
  });
}

/** The element that has keyboard focus: its tag and accessible text, for keyboard-only walks. */
export function focused(page: Page): Promise<{ tag: string; text: string; href: string | null }> {
  return page.evaluate(() => {
    const element = (
      globalThis as unknown as {
        document: { activeElement: { tagName: string; textContent: string | null; getAttribute(name: string): string | null } | null };
      }
    ).document.activeElement;
    return { tag: element?.tagName.toLowerCase() ?? '', text: (element?.textContent ?? '').trim(), href: element?.getAttribute('href') ?? null };
  });
}

/**
 * The texts of what `selector` matches, once they equal `expected` or `timeoutMs` has passed (then
 * the last texts seen, so the test's assertion names the difference). A count such as "3 launches
 * shown" cannot tell a re-sorted list from the one before it; the texts can.
 */
export async function textsOnceEqual(page: Page, selector: string, expected: string[], timeoutMs = 10_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const texts = await page.locator(selector).allTextContents();
    if (JSON.stringify(texts) === JSON.stringify(expected) || Date.now() >= deadline) return texts;
    await page.waitForTimeout(50);
  }
}
