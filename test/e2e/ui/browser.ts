// Debian's Chromium through playwright-core, and the checks the UI e2e tests share.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { defaultUiAssetsDir } from '../../../src/http/ui.routes.js';

export const artifactsDir = join(process.cwd(), 'test-artifacts');
const docsScreenshots = join(process.cwd(), 'docs', 'screenshots');

/** Launches headless Chromium; fails clearly if it or the built UI is missing. */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(join(defaultUiAssetsDir(), 'index.html'))) {
    throw new Error('dist/ui is not built: run `npm run build` (npm run test:e2e does) or `node scripts/build-ui.mjs`');
  }
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export async function newContext(browser: Browser, width = 1280, height = 900): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme: 'light', deviceScaleFactor: 1 });
  // Fail well inside jest's 30 s test timeout, with playwright's message.
  context.setDefaultTimeout(8000);
  return context;
}

/** Collects console errors and uncaught page errors. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return errors;
}

/** Waits until the element's text matches. */
export async function waitForText(page: Page, selector: string, expected: string | RegExp, timeout = 5000): Promise<void> {
  const pattern = typeof expected === 'string' ? `^${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$` : expected.source;
  try {
    await page.waitForFunction(
      ([sel, source]) => new RegExp(source as string).test(document.querySelector(sel as string)?.textContent?.trim() ?? ''),
      [selector, pattern],
      { timeout, polling: 'raf' },
    );
  } catch (error) {
    const actual = await page.locator(selector).first().textContent().catch(() => null);
    throw new Error(`${selector}: expected text ${String(expected)} within ${timeout} ms, got ${JSON.stringify(actual)}`, { cause: error });
  }
}

/** Starts recording every text an element shows (childList and characterData changes), from now on. */
export async function recordTexts(page: Page, selector: string, key: string): Promise<void> {
  await page.evaluate(
    ([sel, k]) => {
      const el = document.querySelector(sel as string);
      if (!el) throw new Error(`no ${sel}`);
      const seen: string[] = [el.textContent ?? ''];
      (window as unknown as Record<string, string[]>)[k as string] = seen;
      new MutationObserver((records) => {
        for (const r of records) {
          for (const node of r.addedNodes) seen.push(node.textContent ?? '');
          if (r.type === 'characterData') seen.push(r.target.textContent ?? '');
        }
      }).observe(el, { childList: true, characterData: true, subtree: true });
    },
    [selector, key],
  );
}

/** Starts recording every value an attribute takes, from now on. */
export async function recordAttribute(page: Page, selector: string, attribute: string, key: string): Promise<void> {
  await page.evaluate(
    ([sel, attr, k]) => {
      const el = document.querySelector(sel as string);
      if (!el) throw new Error(`no ${sel}`);
      const seen: string[] = [el.getAttribute(attr as string) ?? ''];
      (window as unknown as Record<string, string[]>)[k as string] = seen;
      new MutationObserver(() => seen.push(el.getAttribute(attr as string) ?? '')).observe(el, {
        attributes: true,
        attributeFilter: [attr as string],
      });
    },
    [selector, attribute, key],
  );
}

/** Waits until a recording contains `sequence` in order (other values may come between). */
export async function waitForSequence(page: Page, key: string, sequence: string[], timeout = 10_000): Promise<string[]> {
  try {
    await page.waitForFunction(
      ([k, wanted]) => {
        const seen = (window as unknown as Record<string, string[]>)[k as string] ?? [];
        let i = 0;
        for (const value of seen) if (value === (wanted as string[])[i]) i += 1;
        return i === (wanted as string[]).length;
      },
      [key, sequence],
      { timeout, polling: 'raf' },
    );
  } catch (error) {
    const seen = await page.evaluate((k) => (window as unknown as Record<string, string[]>)[k], key);
    throw new Error(`expected ${sequence.join(' → ')} in order within ${timeout} ms; saw ${JSON.stringify(seen)}`, { cause: error });
  }
  return page.evaluate((k) => (window as unknown as Record<string, string[]>)[k] ?? [], key);
}

/**
 * Saves a full-page screenshot to test-artifacts/<name>.png; with UPDATE_SCREENSHOTS=1 and `docs` also to
 * docs/screenshots/<docs>.png (only the tests against the real supervisor pass `docs`).
 */
export async function screenshot(page: Page, name: string, options: { docs?: string } = {}): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true, animations: 'disabled', caret: 'hide' });
  if (options.docs && process.env['UPDATE_SCREENSHOTS'] === '1') {
    mkdirSync(docsScreenshots, { recursive: true });
    copyFileSync(path, join(docsScreenshots, `${options.docs}.png`));
  }
  return path;
}
