// The Inspector in Chromium against the REAL supervisor (issue 17): ELK diagrams legible at 1280×800, zoom and pan,
// the recent past replayed after a crash that happened before the page was opened (across a supervisor restart),
// time travel, and a phone-width page that never scrolls sideways. Prints the page's bundle size and first render.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { defaultUiAssetsDir } from '../../../src/http/ui.routes.js';
import { startHarness, type Harness } from '../../support/supervisor-harness.js';
import { launchBrowser, newContext, pageScripts, screenshot, waitForText, watchErrors } from './browser.js';

const serverSvg = 'svg.machine-svg[data-actor="server"]';
const actors = ['server', 'supervisor', 'models', 'config'];
// A model cache with nothing to ask: no credential, the built-in list.
const env = { ANTHROPIC_API_KEY: '', CLAUDE_CODE_OAUTH_TOKEN: '', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' };
const server = { command: null, start_timeout_ms: 5_000, stop_timeout_ms: 1_000, backoff_ms: 200 };

const containsElk = (files: Map<string, number>): boolean =>
  [...files.keys()].some((name) => readFileSync(join(defaultUiAssetsDir(), 'assets', name), 'utf8').includes('org.eclipse.elk'));

describe('the Inspector against the real supervisor', () => {
  let browser: Browser;
  let h: Harness | undefined;
  let extraDir: string | undefined;
  let context: BrowserContext | undefined;
  let errors: string[] = [];

  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await context?.close();
    context = undefined;
    await h?.close();
    h = undefined;
    if (extraDir) rmSync(extraDir, { recursive: true, force: true });
    extraDir = undefined;
    expect(errors).toEqual([]);
    errors = [];
  });

  async function startSupervisor(dir?: string): Promise<Harness> {
    h = await startHarness({ ...(dir ? { dir } : { server }), env });
    await h.waitForStatus('the server to run', (s) => s.main_server_status === 'running');
    return h;
  }

  /** Opens the Inspector and waits until all four machines are drawn. */
  async function openInspector(width = 1280, height = 800): Promise<Page> {
    context = await newContext(browser, width, height);
    const page = await context.newPage();
    errors = watchErrors(page);
    await page.goto(`${h!.url}/supervisor/ui/inspector`);
    await page.waitForFunction((n) => document.querySelectorAll('svg.machine-svg[data-zoom]').length === n, actors.length);
    await page.locator(`${serverSvg}[data-active="running"]`).waitFor();
    return page;
  }

  const zoomOf = async (page: Page, actor = 'server') =>
    Number(await page.locator(`svg.machine-svg[data-actor="${actor}"]`).getAttribute('data-zoom'));

  it('draws every machine legibly at 1280×800 with no interaction; the page’s bundle, its first render, and no ELK for Settings', async () => {
    await startSupervisor();
    const page = await openInspector(1280, 800);
    expect(await page.locator('h1').textContent()).toBe('State inspector');
    expect(await page.locator('section.machine h2').allTextContents()).toEqual(actors);
    // Text heights as drawn: each text's box in the drawing's units × the zoom, and its box on screen.
    const sizes = await page.evaluate(() =>
      [...document.querySelectorAll<SVGSVGElement>('svg.machine-svg')].map((svg) => {
        const zoom = Number(svg.dataset['zoom']);
        const heights = (selector: string) =>
          [...svg.querySelectorAll<SVGTextElement>(selector)].map((t) => ({
            text: t.textContent,
            drawn: t.getBBox().height * zoom,
            screen: t.getBoundingClientRect().height,
          }));
        return { actor: svg.dataset['actor'], zoom, states: heights('g.state .state-name'), labels: heights('.edge-label-text') };
      }),
    );
    for (const machine of sizes) {
      expect(machine.states.length).toBeGreaterThan(0);
      const smallStates = machine.states.filter((t) => t.drawn < 11 || t.screen < 11);
      const smallLabels = machine.labels.filter((t) => t.drawn < 9 || t.screen < 9);
      expect({ actor: machine.actor, smallStates, smallLabels }).toEqual({ actor: machine.actor, smallStates: [], smallLabels: [] });
    }
    const min = (list: { drawn: number }[]) => Math.min(...list.map((t) => t.drawn)).toFixed(1);
    const inspector = pageScripts('inspector.html');
    const settings = pageScripts('index.html');
    const kib = (files: Map<string, number>) => ([...files.values()].reduce((a, b) => a + b, 0) / 1024).toFixed(1);
    const firstRender = await page.evaluate(() => document.documentElement.dataset['firstRenderMs']);
    console.log(
      [
        `Inspector bundle: ${kib(inspector)} KiB in ${inspector.size} files (${[...inspector.keys()].join(', ')}); Settings: ${kib(settings)} KiB`,
        `Inspector first render (all four machines laid out and drawn): ${firstRender} ms`,
        ...sizes.map((s) => `${s.actor}: zoom ${Math.round(s.zoom * 100)}%, smallest state name ${min(s.states)} px, smallest label ${s.labels.length ? min(s.labels) : '–'} px`),
      ].join('\n'),
    );
    expect(Number(firstRender)).toBeGreaterThan(0);
    expect(containsElk(inspector)).toBe(true);
    expect(containsElk(settings)).toBe(false);
  });

  it('zooms with the buttons, Ctrl+wheel and a pinch, pans by dragging, fits and goes back to 100%', async () => {
    await startSupervisor();
    const page = await openInspector(1280, 800);
    const svg = page.locator(serverSvg);
    const card = page.locator('section.machine[data-actor="server"]');
    const start = await zoomOf(page);
    await card.getByRole('button', { name: 'Zoom in' }).click();
    expect(await zoomOf(page)).toBeCloseTo(start * 1.25, 5);
    await waitForText(page, 'section.machine[data-actor="server"] [data-role="zoom"]', `${Math.round(start * 125)}%`);
    await card.getByRole('button', { name: 'Zoom out' }).click();
    expect(await zoomOf(page)).toBeCloseTo(start, 5);

    const box = (await svg.boundingBox())!;
    await svg.scrollIntoViewIfNeeded();
    const inside = (await svg.boundingBox())!;
    await page.mouse.move(inside.x + inside.width / 2, inside.y + inside.height / 2);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -200);
    await page.keyboard.up('Control');
    await page.waitForFunction((before) => Number(document.querySelector('svg.machine-svg[data-actor="server"]')?.getAttribute('data-zoom')) > before, start);

    // Drag: the drawing moves with the pointer.
    const transform = () => svg.locator('g.diagram-content').getAttribute('transform');
    const translate = async () => (/translate\(([-\d.e]+) ([-\d.e]+)\)/.exec((await transform()) ?? '') ?? []).slice(1).map(Number);
    const [x0, y0] = await translate();
    await page.mouse.move(inside.x + 200, inside.y + 150);
    await page.mouse.down();
    await page.mouse.move(inside.x + 260, inside.y + 110, { steps: 4 });
    await page.mouse.up();
    const [x1, y1] = await translate();
    expect(x1! - x0!).toBeCloseTo(60, 0);
    expect(y1! - y0!).toBeCloseTo(-40, 0);

    // A pinch: two touch pointers moving apart zoom in around their midpoint.
    const beforePinch = await zoomOf(page);
    await svg.evaluate((el) => {
      const rect = el.getBoundingClientRect();
      const at = (id: number, x: number) =>
        ({ pointerId: id, pointerType: 'touch', isPrimary: id === 1, clientX: rect.left + x, clientY: rect.top + 100, bubbles: true, button: 0 }) as PointerEventInit;
      el.dispatchEvent(new PointerEvent('pointerdown', at(1, 200)));
      el.dispatchEvent(new PointerEvent('pointerdown', at(2, 300)));
      el.dispatchEvent(new PointerEvent('pointermove', at(1, 150)));
      el.dispatchEvent(new PointerEvent('pointermove', at(2, 350)));
      el.dispatchEvent(new PointerEvent('pointerup', at(1, 150)));
      el.dispatchEvent(new PointerEvent('pointerup', at(2, 350)));
    });
    expect(await zoomOf(page)).toBeCloseTo(beforePinch * 2, 1);

    // Fit: the whole drawing inside the frame.
    await card.getByRole('button', { name: 'Fit the whole machine' }).click();
    const fits = await svg.evaluate((el) => {
      const frame = el.getBoundingClientRect();
      const drawing = el.querySelector('g.diagram-content')!.getBoundingClientRect();
      return drawing.left >= frame.left - 1 && drawing.right <= frame.right + 1 && drawing.top >= frame.top - 1 && drawing.bottom <= frame.bottom + 1;
    });
    expect(fits).toBe(true);
    expect(await zoomOf(page)).toBeLessThan(start);
    await card.getByRole('button', { name: 'Actual size' }).click();
    expect(await zoomOf(page)).toBe(1);
    expect(box.width).toBeGreaterThan(0);
  });

  it('replays a crash that happened before the page was opened, across a supervisor restart, and travels back to it', async () => {
    await startSupervisor();
    const { main_server_pid: killed } = await h!.status();
    process.kill(killed, 'SIGKILL');
    await h!.waitForStatus('the automatic restart', (s) => s.main_server_status === 'running' && s.main_server_pid !== killed);
    // The supervisor itself restarts before anyone looks.
    const dir = h!.dir;
    await h!.sup.close();
    extraDir = dir;
    await startSupervisor(dir);

    const page = await openInspector(1280, 800);
    const entries = page.locator('#timeline .entry');
    const crash = page.locator('#timeline .entry[data-actor="server"]', { hasText: 'process.exited' }).filter({ hasText: '"SIGKILL"' });
    await crash.first().waitFor();
    expect(await crash.first().getAttribute('data-replayed')).toBe('true');
    expect(await crash.first().getAttribute('class')).toMatch(/entry--error/);
    const crashed = page.locator('#timeline .entry[data-actor="server"]', { hasText: '→ crashed.backoff' }).first();
    expect(await crashed.getAttribute('class')).toMatch(/entry--error/);
    // Two supervisor runs, each marked, the newest first; local times, not epoch milliseconds.
    expect(await page.locator('#timeline .entry--started').count()).toBe(2);
    for (const time of await entries.locator('time').allTextContents()) expect(time).toMatch(/^(\d{4}-\d\d-\d\d )?\d\d:\d\d:\d\d\.\d{3}$/);
    const order = await entries.evaluateAll((lis) => lis.map((li) => Date.parse(li.querySelector('time')?.getAttribute('datetime') ?? '')));
    expect(order).toEqual([...order].sort((a, b) => b - a));
    const titles = await entries.evaluateAll((lis) => lis.map((li) => li.querySelector('.entry-title')?.textContent ?? ''));
    const crashAt = titles.findIndex((t) => t === '→ crashed.backoff');
    const secondRun = titles.findIndex((t) => t.startsWith('Supervisor started'));
    expect(secondRun).toBeGreaterThanOrEqual(0);
    expect(crashAt).toBeGreaterThan(secondRun);
    // No no-op on the timeline: a health.ok there is always followed by the state it led to.
    const serverTitles = await page.locator('#timeline .entry[data-actor="server"] .entry-title').allTextContents();
    expect(serverTitles.filter((t) => t === 'health.ok').length).toBe(serverTitles.filter((t) => t === '→ running').length);
    await screenshot(page, 'real-inspector-replay');

    // Time travel: right after the crash, the server was in crashed.backoff, reached through the arrow from running.
    await crashed.locator('button.entry-select').click();
    await page.locator(`${serverSvg}[data-active="crashed.backoff"]`).waitFor();
    expect(await page.locator(`${serverSvg} g.state.is-current`).evaluateAll((gs) => gs.map((g) => g.getAttribute('data-path')))).toEqual([
      'crashed.backoff',
    ]);
    expect(
      await page.locator(`${serverSvg} g.edge.is-taken`).evaluateAll((gs) => gs.map((g) => `${g.getAttribute('data-source')}→${g.getAttribute('data-target')}`)),
    ).toEqual(['running→crashed']);
    await waitForText(page, '#time-travel-text', /^Showing the machines right after server → crashed\.backoff at /);
    expect(await crashed.getAttribute('class')).toMatch(/is-selected/);
    await page.getByRole('button', { name: 'Live', exact: true }).click();
    await page.locator(`${serverSvg}[data-active="running"]`).waitFor();
    expect(await page.locator('#time-travel').isHidden()).toBe(true);
  });

  it('at 390 px wide the page never scrolls sideways, and the diagrams still zoom and pan', async () => {
    await startSupervisor();
    const page = await openInspector(390, 844);
    const sideways = () => page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
    let seen = await sideways();
    expect(seen.scrollWidth).toBeLessThanOrEqual(seen.innerWidth);
    const card = page.locator('section.machine[data-actor="server"]');
    const start = await zoomOf(page);
    await card.getByRole('button', { name: 'Zoom in' }).click();
    expect(await zoomOf(page)).toBeGreaterThan(start);
    const svg = page.locator(serverSvg);
    await svg.scrollIntoViewIfNeeded();
    const before = await svg.locator('g.diagram-content').getAttribute('transform');
    const b = (await svg.boundingBox())!;
    await page.mouse.move(b.x + 200, b.y + 100);
    await page.mouse.down();
    await page.mouse.move(b.x + 80, b.y + 100, { steps: 4 });
    await page.mouse.up();
    expect(await svg.locator('g.diagram-content').getAttribute('transform')).not.toBe(before);
    seen = await sideways();
    expect(seen.scrollWidth).toBeLessThanOrEqual(seen.innerWidth);
    await screenshot(page, 'real-inspector-390');
  });
});
