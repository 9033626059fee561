// Debian's Chromium through playwright-core, and the checks the UI e2e tests share.
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
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

/** The JS files a page loads, with their sizes: its entry script and every chunk it imports, statically or on demand. */
export function pageScripts(page: 'index.html' | 'inspector.html'): Map<string, number> {
  const dir = defaultUiAssetsDir();
  const html = readFileSync(join(dir, page), 'utf8');
  const entry = /<script type="module" src="\/supervisor\/ui\/assets\/([^"]+)"/.exec(html)?.[1];
  if (!entry) throw new Error(`${page} loads no script`);
  const files = new Map<string, number>();
  const visit = (name: string): void => {
    if (files.has(name)) return;
    const text = readFileSync(join(dir, 'assets', name), 'utf8');
    files.set(name, Buffer.byteLength(text));
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*"\.\/([\w.-]+\.js)"/g)) visit(match[1] as string);
  };
  visit(entry);
  return files;
}

/** The stylesheets a page links, with their sizes. */
export function pageStyles(page: 'index.html' | 'inspector.html'): Map<string, number> {
  const dir = defaultUiAssetsDir();
  const html = readFileSync(join(dir, page), 'utf8');
  const files = new Map<string, number>();
  for (const match of html.matchAll(/<link rel="stylesheet" href="\/supervisor\/ui\/assets\/([^"]+)"/g)) {
    const name = match[1] as string;
    files.set(name, Buffer.byteLength(readFileSync(join(dir, 'assets', name))));
  }
  return files;
}

/** Whether the page scrolls sideways: its scrollWidth against the window's width. */
export function sideways(page: Page): Promise<{ scrollWidth: number; innerWidth: number; widest: string[] }> {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    // What sticks out, to say why when it does.
    widest: [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${[...el.classList].join('.')} right=${Math.round(el.getBoundingClientRect().right)}`),
  }));
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core inside the page (its source from node_modules, evaluated through the DevTools protocol, so the page's
 * CSP and the network play no part) and returns the violations as "rule: target — summary" lines.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: { id: string; help: string; nodes: { target: string[]; failureSummary?: string }[] }[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')} — ${v.help}${n.failureSummary ? ` (${n.failureSummary.replace(/\s+/g, ' ')})` : ''}`));
  });
}

/**
 * Starts collecting the page's long tasks (main-thread work over 50 ms) under `key`, from now on. It first proves
 * the observer sees them: a deliberate 120 ms task must be reported before counting starts.
 */
export async function watchLongTasks(page: Page, key: string): Promise<void> {
  await page.evaluate(
    (k) =>
      new Promise<void>((resolve) => {
        const durations: number[] = [];
        let proven = false;
        new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) {
            if (!proven && entry.duration >= 100) {
              proven = true;
              (window as unknown as Record<string, number[]>)[k] = durations;
              resolve();
            } else if (proven) durations.push(Math.round(entry.duration));
          }
        }).observe({ type: 'longtask' });
        setTimeout(() => {
          const until = performance.now() + 120;
          while (performance.now() < until) {
            // Busy on purpose: the long task the observer must report.
          }
        }, 0);
      }),
    key,
  );
}

/** The long tasks collected under `key`, in ms. */
export function longTasks(page: Page, key: string): Promise<number[]> {
  return page.evaluate((k) => (window as unknown as Record<string, number[]>)[k] ?? [], key);
}
