#!/usr/bin/env node
/**
 * `npm run test:visual` (run by .ci/run): a screenshot of every story of the static Storybook, light and dark, in
 * Debian's Chromium, compared pixel by pixel with the committed baselines in test/visual/__baselines__/
 * (`<story id>.<theme>.png`). On a difference it writes the actual screenshot and a diff image to .artifacts/visual/
 * and fails. See docs/visual.md.
 *
 *   npm run test:visual                      build storybook-static/, compare
 *   npm run test:visual -- --update          write the baselines that changed (and delete those of removed stories)
 *   npm run test:visual -- --no-build        reuse storybook-static/ as built (CI: test:storybook-static built it)
 *   npm run test:visual -- --only <text>     only the stories whose id contains <text> (repeatable)
 *   npm run test:visual -- --verbose         the time each screenshot took
 *   VISUAL_WORKERS=<n>                       pages in parallel (default: the core count, at most 4)
 *
 * Deterministic by construction: a fixed clock start (Playwright's clock: the stand-in's dates and the page's),
 * en-US / UTC, 1024×768 at device scale 1, animations, transitions and the caret off, the mouse parked away, and a
 * screenshot taken only when the story has finished (its play function too) and the DOM has been still for a while.
 * A story that pins its own theme (`globals: { theme: 'dark' }`) gets only that theme's baseline.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { compactPng } from './lib/compact-png.mjs';
import { buildStorybookStatic, CHROMIUM_PATH, ROOT, serveStorybookStatic, storyEntries } from './lib/storybook-static.mjs';

const BASELINES = join(ROOT, 'test', 'visual', '__baselines__');
const ARTIFACTS = join(ROOT, '.artifacts', 'visual');
const THEMES = ['light', 'dark'];
/** The page clock's start: the stand-in's billing periods and every date on screen derive from it. */
const CLOCK_START = new Date('2026-01-15T09:00:00Z');
const VIEWPORT = { width: 1024, height: 768 };
/** pixelmatch's per-pixel colour threshold (0–1, YIQ distance); anti-aliased pixels are not counted. */
const PIXEL_THRESHOLD = 0.1;
/** Differing pixels tolerated per screenshot (sub-pixel text rendering noise); beyond it the story fails. */
const MAX_DIFF_PIXELS = 8;
/** How long the DOM must stay unchanged (no mutation) before the screenshot, and the longest a story may take. */
const QUIET_MS = 400;
const STORY_TIMEOUT_MS = 30_000;

const args = process.argv.slice(2);
const update = args.includes('--update');
const verbose = args.includes('--verbose');
const only = args.flatMap((arg, index) => (args[index - 1] === '--only' ? [arg] : []));
const workers = Math.max(1, Math.min(4, Number(process.env.VISUAL_WORKERS) || availableParallelism()));

const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const log = (message) => console.log(`visual: ${message} (${seconds()})`);

/** Injected into every page before its scripts: nothing moves, nothing blinks. */
const FREEZE_CSS = `*, *::before, *::after {
  animation: none !important; transition: none !important; caret-color: transparent !important; scroll-behavior: auto !important;
}`;

buildStorybookStatic(log);
const stories = storyEntries().filter((entry) => only.length === 0 || only.some((text) => entry.id.includes(text)));
if (stories.length === 0) throw new Error('no stories matched');

const server = await serveStorybookStatic();
const { chromium } = await import('playwright-core');
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--font-render-hinting=none'] });

// Pixels depend on the Chromium build and the fonts fontconfig picks (Debian's DejaVu Sans for system-ui here):
// recorded with the baselines, so a failure on another set-up says so.
const ENVIRONMENT_FILE = join(ROOT, 'test', 'visual', 'environment.json');
const environment = { chromium: browser.version(), sansSerifFont: fontFor('system-ui'), viewport: VIEWPORT };
const recorded = existsSync(ENVIRONMENT_FILE) ? JSON.parse(readFileSync(ENVIRONMENT_FILE, 'utf8')) : null;
const environmentNote =
  recorded && JSON.stringify(recorded) !== JSON.stringify(environment)
    ? `the baselines were made with ${JSON.stringify(recorded)}, this run has ${JSON.stringify(environment)}: differences may come from that`
    : null;
if (environmentNote && !update) log(`note: ${environmentNote}`);

function fontFor(family) {
  try {
    return execFileSync('fc-match', [family], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown (no fc-match)';
  }
}

/** One browser context per worker: the MSW worker registers once per context, pages reuse it. */
async function newContext() {
  const context = await browser.newContext({
    viewport: VIEWPORT,
    deviceScaleFactor: 1,
    locale: 'en-US',
    timezoneId: 'UTC',
    colorScheme: 'light',
    reducedMotion: 'reduce',
  });
  await context.clock.install({ time: CLOCK_START });
  await context.addInitScript((css) => {
    document.addEventListener('DOMContentLoaded', () => {
      const style = document.createElement('style');
      style.dataset.visualTest = '';
      style.textContent = css;
      document.head.append(style);
    });
  }, FREEZE_CSS);
  return context;
}

/**
 * Opens a story in one theme and waits until it is really done: Storybook's render finished (loaders, render,
 * play, afterEach), then the DOM still for QUIET_MS (data from the stand-in arrives after the render), fonts
 * loaded, two frames painted. Returns the PNG, or `null` when the story pins the other theme.
 */
async function capture(page, id, theme) {
  const errors = [];
  const onError = (error) => errors.push(error.message);
  page.on('pageerror', onError);
  try {
    if (page.url().startsWith(server.origin)) {
      // Storybook is already up in this page (with this theme): switch stories the way the manager does.
      await page.evaluate((storyId) => window.__STORYBOOK_ADDONS_CHANNEL__.emit('setCurrentStory', { storyId, viewMode: 'story' }), id);
    } else {
      await page.goto(`${server.origin}/iframe.html?id=${encodeURIComponent(id)}&viewMode=story&globals=theme:${theme}`);
    }
    const phase = await page.waitForFunction(
      (storyId) => {
        const render = window.__STORYBOOK_PREVIEW__?.currentRender;
        return render?.id === storyId && ['finished', 'errored', 'aborted'].includes(render.phase) ? render.phase : false;
      },
      id,
      { timeout: STORY_TIMEOUT_MS, polling: 50 },
    );
    const finalPhase = await phase.jsonValue();
    if (finalPhase !== 'finished') throw new Error(`the story ${finalPhase} (its render or play function failed)`);
    await page.mouse.move(VIEWPORT.width - 1, VIEWPORT.height - 1);
    await page.evaluate(
      ({ quietMs, timeoutMs }) =>
        new Promise((resolve, reject) => {
          let timer;
          const observer = new MutationObserver(() => {
            clearTimeout(timer);
            timer = setTimeout(done, quietMs);
          });
          const giveUp = setTimeout(() => {
            observer.disconnect();
            reject(new Error(`the DOM kept changing for ${timeoutMs} ms`));
          }, timeoutMs);
          function done() {
            observer.disconnect();
            clearTimeout(giveUp);
            resolve();
          }
          observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
          timer = setTimeout(done, quietMs);
        }),
      { quietMs: QUIET_MS, timeoutMs: STORY_TIMEOUT_MS },
    );
    await page.evaluate(() => document.fonts.ready.then(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))));
    if (errors.length > 0) throw new Error(`page errors: ${errors.join(' | ')}`);
    const dark = await page.evaluate(() => document.documentElement.classList.contains('dark'));
    if (dark !== (theme === 'dark')) return null;
    const clip = await page.evaluate(() => {
      // The story's own box (the theme decorator's padded wrapper), plus whatever it opened in a portal.
      const boxes = [document.querySelector('#storybook-root > *') ?? document.querySelector('#storybook-root')];
      boxes.push(...document.querySelectorAll('[role="dialog"], [role="alertdialog"], [role="tooltip"], [data-radix-popper-content-wrapper]'));
      const rects = boxes.filter(Boolean).map((element) => element.getBoundingClientRect()).filter((rect) => rect.width > 0 && rect.height > 0);
      if (rects.length === 0) return null;
      const left = Math.max(0, Math.floor(Math.min(...rects.map((rect) => rect.left))));
      const top = Math.max(0, Math.floor(Math.min(...rects.map((rect) => rect.top))));
      const right = Math.min(window.innerWidth, Math.ceil(Math.max(...rects.map((rect) => rect.right))));
      const bottom = Math.min(window.innerHeight, Math.ceil(Math.max(...rects.map((rect) => rect.bottom))));
      return { x: left, y: top, width: right - left, height: bottom - top };
    });
    if (!clip || clip.width <= 0 || clip.height <= 0) throw new Error('nothing rendered in #storybook-root');
    return await page.screenshot({ clip, animations: 'disabled', caret: 'hide', scale: 'css' });
  } finally {
    page.off('pageerror', onError);
  }
}

/** Compares a screenshot with its baseline: `{ status: 'same' | 'changed' | 'new' | 'size', diffPixels, diff }`. */
function compare(actual, baselineFile) {
  if (!existsSync(baselineFile)) return { status: 'new' };
  const expected = PNG.sync.read(readFileSync(baselineFile));
  if (expected.width !== actual.width || expected.height !== actual.height) {
    return { status: 'size', detail: `${expected.width}×${expected.height} → ${actual.width}×${actual.height}` };
  }
  const diff = new PNG({ width: actual.width, height: actual.height });
  const diffPixels = pixelmatch(expected.data, actual.data, diff.data, actual.width, actual.height, { threshold: PIXEL_THRESHOLD });
  if (diffPixels === 0) return { status: 'same', diffPixels };
  return { status: diffPixels > MAX_DIFF_PIXELS ? 'changed' : 'within', diffPixels, diff };
}

const jobs = stories.flatMap((story) => THEMES.map((theme) => ({ id: story.id, theme })));
const results = [];
rmSync(ARTIFACTS, { recursive: true, force: true });
mkdirSync(BASELINES, { recursive: true });
log(`${stories.length} stories × ${THEMES.length} themes, ${workers} pages in parallel${update ? ', updating baselines' : ''}`);

/**
 * A worker keeps one page per theme and moves it from story to story (booting Storybook's iframe per story would
 * take about 1.5 s each); every story still starts fresh: remounted, its customer seeded anew by `beforeEach`. A
 * page whose story failed is thrown away.
 */
async function worker() {
  const context = await newContext();
  const pages = {};
  try {
    for (let job = jobs.shift(); job; job = jobs.shift()) {
      const name = `${job.id}.${job.theme}`;
      const baselineFile = join(BASELINES, `${name}.png`);
      pages[job.theme] ??= await context.newPage();
      const page = pages[job.theme];
      const jobStarted = Date.now();
      try {
        const shot = await capture(page, job.id, job.theme);
        if (verbose) log(`${name}: ${Date.now() - jobStarted} ms`);
        if (shot === null) {
          results.push({ name, status: 'pinned' });
          continue;
        }
        const actual = PNG.sync.read(shot);
        const result = compare(actual, baselineFile);
        results.push({ name, ...result, file: baselineFile });
        if (update) {
          if (result.status !== 'same' && result.status !== 'within') writeFileSync(baselineFile, compactPng(actual));
        } else if (result.status !== 'same' && result.status !== 'within') {
          mkdirSync(ARTIFACTS, { recursive: true });
          writeFileSync(join(ARTIFACTS, `${name}.actual.png`), compactPng(actual));
          if (result.diff) writeFileSync(join(ARTIFACTS, `${name}.diff.png`), PNG.sync.write(result.diff));
        }
      } catch (error) {
        results.push({ name, status: 'error', detail: error.message.split('\n')[0] });
        await page.close();
        delete pages[job.theme];
      }
    }
  } finally {
    await context.close();
  }
}

try {
  await Promise.all(Array.from({ length: workers }, worker));
} finally {
  await browser.close();
  server.close();
}

// Baselines of stories that no longer exist (or whose theme is now pinned): deleted on --update, a failure otherwise.
const known = new Set(results.filter((result) => result.status !== 'pinned').map((result) => `${result.name}.png`));
const stale = only.length > 0 ? [] : readdirSync(BASELINES).filter((file) => file.endsWith('.png') && !known.has(file));
for (const file of stale) if (update) rmSync(join(BASELINES, file));

const count = (status) => results.filter((result) => result.status === status).length;
const failures = results.filter((result) => ['changed', 'size', 'new', 'error'].includes(result.status));
for (const result of results.filter((r) => r.status === 'within')) log(`${result.name}: ${result.diffPixels} px differ (tolerated, ≤ ${MAX_DIFF_PIXELS})`);
const totalBytes = readdirSync(BASELINES)
  .filter((file) => file.endsWith('.png'))
  .reduce((sum, file) => sum + readFileSync(join(BASELINES, file)).length, 0);

if (update) {
  writeFileSync(ENVIRONMENT_FILE, `${JSON.stringify(environment, null, 2)}\n`);
  const errors = results.filter((result) => result.status === 'error');
  for (const result of errors) console.error(`visual: ${result.name}: ${result.detail}`);
  log(
    `${count('same') + count('within')} unchanged, ${count('changed') + count('size')} updated, ${count('new')} new, ${stale.length} deleted, ` +
      `${count('pinned')} skipped (the story pins its theme); baselines ${(totalBytes / 1024).toFixed(0)} kB in test/visual/__baselines__/`,
  );
  if (errors.length > 0) process.exit(1);
} else {
  for (const result of failures) {
    const what =
      result.status === 'changed'
        ? `${result.diffPixels} px differ`
        : result.status === 'size'
          ? `size changed ${result.detail}`
          : result.status === 'new'
            ? 'no baseline'
            : result.detail;
    console.error(`visual: FAIL ${result.name}: ${what}`);
    if (result.status !== 'error') {
      console.error(`  actual: .artifacts/visual/${result.name}.actual.png${result.diff ? `  diff: .artifacts/visual/${result.name}.diff.png` : ''}`);
    }
  }
  for (const file of stale) console.error(`visual: FAIL test/visual/__baselines__/${file}: no such story (any more)`);
  if (environmentNote && failures.length + stale.length > 0) console.error(`visual: note: ${environmentNote}`);
  log(`${count('same') + count('within')} match, ${failures.length + stale.length} failed, ${count('pinned')} skipped (the story pins its theme)`);
  if (failures.length + stale.length > 0) {
    console.error('visual: review .artifacts/visual/; if the change is intended, run `npm run test:visual -- --update` and commit the baselines');
    process.exit(1);
  }
  log('OK');
}
