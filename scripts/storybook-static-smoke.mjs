#!/usr/bin/env node
/**
 * `npm run test:storybook-static` (run by .ci/run): the static Storybook (`npm run build-storybook`) works from
 * plain files — served by a tiny static server, opened in Debian's Chromium. Checks that the manager loads, that
 * stories on the stand-in get their data through MSW's service worker (a balance appears), that the live demo's
 * play (send → charge → balance drop → top-up) completes, and that an autodocs page renders its stories. Pass --no-build to reuse storybook-static/.
 */
import { buildStorybookStatic, CHROMIUM_PATH, serveStorybookStatic, storyEntries } from './lib/storybook-static.mjs';

const started = Date.now();
const log = (message) => console.log(`storybook-static: ${message} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

buildStorybookStatic(log);
const server = await serveStorybookStatic();
const { origin } = server;

const { chromium } = await import('playwright-core');
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
try {
  const entries = storyEntries({ docs: true });
  const stories = entries.filter((entry) => entry.type === 'story');
  if (stories.length < 20) throw new Error(`only ${stories.length} stories in index.json`);
  log(`${stories.length} stories, ${entries.length - stories.length} docs pages in index.json`);

  async function open(path, check) {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${origin}${path}`);
    try {
      await check(page);
    } finally {
      await page.close();
    }
    if (errors.length > 0) throw new Error(`${path}: page errors: ${errors.join(' | ')}`);
  }

  await open('/', async (page) => {
    await page.locator('#storybook-explorer-tree, [role="tree"], nav').first().waitFor({ timeout: 15_000 });
  });
  log('the manager UI loads');

  await open('/iframe.html?id=components-creditbalance--low&viewMode=story', async (page) => {
    const meter = page.locator('[role="meter"]');
    await meter.waitFor({ timeout: 15_000 });
    const text = await meter.getAttribute('aria-valuetext');
    if (!/^1,200 of 8,000/.test(text ?? '')) throw new Error(`unexpected balance: ${text}`);
    log(`a stand-in story loads its customer through MSW: "${text}"`);
  });

  // Viewing a story runs its play function: the demo sends a message (reserve → gateway cost → settle), the
  // balance drops, the warning appears, and it tops up. Its end state proves the whole flow ran in static files.
  await open('/iframe.html?id=demo-chat-sidebar--live-chat&viewMode=story', async (page) => {
    await page.getByRole('button', { name: /Actual cost: 1,000 credits/ }).waitFor({ timeout: 20_000 });
    await page.waitForFunction(() => /^41,400 of/.test(document.querySelector('[role="meter"]')?.getAttribute('aria-valuetext') ?? ''), null, {
      timeout: 20_000,
    });
    log(`the live demo's play ran: a message charged 1,000 credits, a top-up brought the balance to "${await page.locator('[role="meter"]').getAttribute('aria-valuetext')}"`);
  });

  const docs = entries.find((entry) => entry.type === 'docs' && entry.id.startsWith('components-creditbalance'));
  if (docs) {
    await open(`/iframe.html?id=${docs.id}&viewMode=docs`, async (page) => {
      await page.locator('.sbdocs-content, #storybook-docs').first().waitFor({ timeout: 15_000 });
      await page.locator('[role="meter"]').first().waitFor({ timeout: 15_000 });
    });
    log('the autodocs page renders its stories');
  }
  log('OK');
} finally {
  await browser.close();
  server.close();
}
