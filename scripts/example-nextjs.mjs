#!/usr/bin/env node
/**
 * The Next.js example (examples/nextjs, App Router, next 16.4), proven against the kit as it would be published
 * (issue 13: entries that respect React Server Components):
 *
 * 1. `npm run build`, then `npm pack` into `.artifacts/autumn-ai-credits.tgz` — the `file:` dependency of
 *    examples/nextjs/package.json;
 * 2. `npm ci` in examples/nextjs (its own lock file), then makes sure the kit it installed is the tarball just packed
 *    (byte for byte, every dist file), installing the tarball again if not;
 * 3. `next build`: the shared `credits.ts` (`defineCredits()` from the root entry) is imported by a Server Component
 *    and a Route Handler — the build fails if the root entry is a client module;
 * 4. starts the kit's Autumn stand-in (dist/testing.js) on 127.0.0.1 and `next start -H 127.0.0.1` on a free port with
 *    AUTUMN_URL pointing at it, then drives the page in Debian's Chromium (playwright-core, executablePath; nothing
 *    downloaded) with another locale and time zone than the server's (`--lang=de-DE`, Pacific/Auckland):
 *    - the page shows the server-computed figure (`usdToCredits` + an en-US formatter, run in the Server Component)
 *      and the customer's balance through the kit's client components (CreditsProvider fed on the server);
 *    - "Send a message" calls the Route Handler, which meters a simulated call through `autumn-ai-credits/server`
 *      (reserve → settle with a gateway cost): the stand-in's balance drops by exactly that cost in credits, the
 *      badge shows it, and the refreshed page shows the new balance;
 *    - zero console errors, zero page errors, zero hydration warnings (React #418/#423/#425).
 *
 * Needs no network but the npm registry. `--no-build` packs the current dist/ (after `npm run build` in the same CI
 * run). Usage: node scripts/example-nextjs.mjs [--no-build]
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { installExample, packKit, ROOT, run } from './lib/example-kit.mjs';

const EXAMPLE = join(ROOT, 'examples', 'nextjs');
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CUSTOMER_ID = 'user_1';
const START_BALANCE = 2500;
const GATEWAY_COST = '0.0123'; // what examples/nextjs/app/chat-demo.tsx sends
const started = Date.now();

function log(message) {
  console.log(`example-nextjs: ${message} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

const nextEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
const fail = (message) => {
  throw new Error(message);
};

async function freePort() {
  const server = createServer();
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  await new Promise((done) => server.close(done));
  return port;
}

let next;
let standIn;
let browser;
try {
  // 1. Build and pack what npm would publish.
  const { filename, files } = packKit(log);
  log(`packed ${filename} → .artifacts/autumn-ai-credits.tgz (${files.length} dist files)`);

  // 2. Install from the example's lock file, the kit checked against the tarball just packed.
  const installed = installExample(EXAMPLE, files, log);
  const installedIndex = readFileSync(join(installed, 'dist/index.js'), 'utf8');
  if (/^\s*['"]use client['"]/.test(installedIndex)) fail("the installed dist/index.js starts with 'use client': the core would be a client reference on the server");
  log('installed examples/nextjs with npm ci; its autumn-ai-credits is the tarball just packed');

  // 3. next build (type-checks with the example's TypeScript, then compiles the server and client graphs).
  const nextBin = join(EXAMPLE, 'node_modules/next/dist/bin/next');
  rmSync(join(EXAMPLE, '.next'), { recursive: true, force: true });
  const buildOutput = run(process.execPath, [nextBin, 'build'], EXAMPLE, { quiet: true, env: nextEnv });
  if (!/ƒ \/api\/chat/.test(buildOutput) || !/ƒ \/\s/.test(buildOutput)) fail(`next build did not list the dynamic page and route:\n${buildOutput}`);
  log('next build: the Server Component page and the Route Handler import the shared credits.ts');

  // 4. The stand-in as Autumn, then next start on a free loopback port.
  const kit = await import(pathToFileURL(join(ROOT, 'dist/index.js')).href);
  const { startAutumnStandIn } = await import(pathToFileURL(join(ROOT, 'dist/testing.js')).href);
  standIn = await startAutumnStandIn();
  standIn.seedCustomer(CUSTOMER_ID, { name: 'Ada', remaining: START_BALANCE });
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const serverLog = [];
  next = spawn(process.execPath, [nextBin, 'start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: EXAMPLE,
    // The server in UTC and en-US; the browser below in de-DE and Pacific/Auckland.
    env: { ...nextEnv, AUTUMN_URL: standIn.url, AUTUMN_SECRET_KEY: standIn.secretKey, DEMO_CUSTOMER_ID: CUSTOMER_ID, TZ: 'UTC', LANG: 'en_US.UTF-8' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  next.stdout.on('data', (chunk) => serverLog.push(String(chunk)));
  next.stderr.on('data', (chunk) => serverLog.push(String(chunk)));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (next.exitCode !== null) fail(`next start exited with ${next.exitCode}:\n${serverLog.join('')}`);
    const ok = await fetch(`${base}/`).then((response) => response.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) fail(`next start did not answer within 30 s:\n${serverLog.join('')}`);
    await new Promise((done) => setTimeout(done, 250));
  }
  log(`next start on ${base}, the stand-in on ${standIn.url}`);

  // What the page must show, computed with the kit itself.
  const credits = kit.defineCredits();
  const en = kit.getFormatters('en-US', credits.currency);
  const perMessage = kit.usdToCredits(GATEWAY_COST, credits);
  const figure = `A typical message ($${GATEWAY_COST}) costs ${en.credits(perMessage)} credits.`;

  // 5. Chromium in another locale and time zone than the server.
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--lang=de-DE'],
    env: { ...process.env, TZ: 'Pacific/Auckland', LANG: 'de_DE.UTF-8' },
  });
  const context = await browser.newContext({ locale: 'de-DE', timezoneId: 'Pacific/Auckland' });
  const page = await context.newPage();
  const errors = [];
  const hydration = [];
  const HYDRATION = /hydrat|#418|#419|#422|#423|#425|did not match|server rendered/i;
  page.on('pageerror', (error) => (HYDRATION.test(error.message) ? hydration : errors).push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    if (HYDRATION.test(text)) hydration.push(`console.${message.type()}: ${text}`);
    else if (message.type() === 'error') errors.push(`console.error: ${text} (${message.location().url})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
  });
  await page.goto(base, { waitUntil: 'networkidle' });
  const browserSide = await page.evaluate(() => ({ lang: navigator.language, zone: Intl.DateTimeFormat().resolvedOptions().timeZone }));
  if (!browserSide.lang.startsWith('de') || browserSide.zone !== 'Pacific/Auckland') fail(`the browser runs in ${JSON.stringify(browserSide)}, not de-DE / Pacific/Auckland`);

  const shownFigure = (await page.getByTestId('server-figure').innerText()).replace(/\s+/g, ' ').trim();
  if (shownFigure !== figure) fail(`the server-computed figure reads "${shownFigure}", expected "${figure}"`);
  const amount = page.locator('[data-slot="credit-balance-amount"]');
  const before = (await amount.innerText()).trim();
  if (!before.includes(en.credits(START_BALANCE))) fail(`the balance reads "${before}", expected ${en.credits(START_BALANCE)}`);
  log(`the page shows the server figure ("${shownFigure}") and the balance (${before.replace(/\s+/g, ' ')}) in a ${browserSide.lang} browser in ${browserSide.zone}`);

  // The chat call: the Route Handler reserves and settles through autumn-ai-credits/server against the stand-in.
  const [chat] = await Promise.all([page.waitForResponse((response) => response.url().endsWith('/api/chat')), page.getByRole('button', { name: 'Send a message' }).click()]);
  if (chat.status() !== 200) fail(`/api/chat answered ${chat.status()}: ${await chat.text()}`);
  const { cost } = await chat.json();
  if (cost.credits !== perMessage || cost.billed !== true || cost.source !== 'gateway') fail(`the chat route settled ${JSON.stringify(cost)}, expected ${perMessage} credits billed from the gateway cost`);
  const after = standIn.balance(CUSTOMER_ID).remaining;
  const expectedAfter = kit.subtractCredits(START_BALANCE, perMessage, credits.creditDecimals);
  if (after !== expectedAfter) fail(`the stand-in's balance is ${after} after the call, expected ${START_BALANCE} − ${perMessage} = ${expectedAfter}`);
  await page.getByTestId('chat-cost').locator('[data-slot="message-cost-badge-value"]').waitFor();
  const badge = (await page.getByTestId('chat-cost').locator('[data-slot="message-cost-badge-value"]').innerText()).trim();
  if (badge !== en.credits(perMessage)) fail(`the badge shows "${badge}", expected "${en.credits(perMessage)}"`);
  await page.waitForFunction(
    ([selector, text]) => document.querySelector(selector)?.textContent?.includes(text),
    ['[data-slot="credit-balance-amount"]', en.credits(expectedAfter)],
    { timeout: 10_000 },
  ).catch(async () => fail(`the refreshed balance reads "${(await amount.innerText()).trim()}", expected ${en.credits(expectedAfter)}`));
  log(`/api/chat charged exactly the gateway cost: $${GATEWAY_COST} = ${perMessage} credits (stand-in ${START_BALANCE} → ${after}); the badge and the refreshed balance agree`);

  // A fresh load after the charge, for hydration once more, then the verdicts.
  await page.reload({ waitUntil: 'networkidle' });
  await page.waitForTimeout(300);
  if (hydration.length > 0) fail(`hydration warnings in a de-DE / Pacific/Auckland browser:\n  ${hydration.join('\n  ')}`);
  if (errors.length > 0) fail(`console or page errors:\n  ${errors.join('\n  ')}`);
  log(`OK: next build + next start of examples/nextjs from the packed kit; the root entry's core runs in a Server Component and a Route Handler; the chat route charged ${perMessage} credits for $${GATEWAY_COST}; zero console errors and zero hydration warnings in de-DE / Pacific/Auckland`);
} catch (error) {
  log(`FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await browser?.close().catch(() => {});
  if (next && next.exitCode === null) {
    next.kill('SIGTERM');
    await new Promise((done) => {
      const timer = setTimeout(() => {
        next.kill('SIGKILL');
        done();
      }, 5_000);
      next.once('exit', () => {
        clearTimeout(timer);
        done();
      });
    });
  }
  await standIn?.close().catch(() => {});
}
