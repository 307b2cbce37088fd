#!/usr/bin/env node
/**
 * The Next.js example (examples/nextjs, App Router, next 16.4), proven against the kit as it would be published
 * (issue 13: entries that respect React Server Components, and the checks of the Vite examples):
 *
 * 1. `npm run build` (unless `--no-build`), then `npm pack` into `.artifacts/autumn-ai-credits.tgz` — the `file:`
 *    dependency of examples/nextjs/package.json;
 * 2. `npm ci` in examples/nextjs (its own lock file), the kit it installed checked byte for byte against the tarball;
 * 3. `next build` (type-checks with the example's TypeScript): the shared `credits.ts` (`defineCredits()` from the root
 *    entry) is imported by a Server Component and the Route Handlers — the build fails if the root entry is a client
 *    module; the page, /api/chat and /api/autumn/[...all] must be listed as dynamic;
 * 4. the kit's Autumn stand-in (dist/testing.js) on 127.0.0.1, the customer seeded at 20.5% of the free grant with a
 *    cycle that resets at 22:00 UTC (already the next day in Auckland), and `next start -H 127.0.0.1` (TZ=UTC, en-US)
 *    with AUTUMN_URL pointing at the stand-in;
 * 5. drives the page in Debian's Chromium (playwright-core, executablePath; nothing downloaded) in another locale and
 *    time zone than the server's (`--lang=de-DE`, a de-DE / Pacific/Auckland context), every check reported:
 *    - the HTML from the server already holds the server-fed balance and its "Resets <date>" line (no loading flash);
 *    - the server-computed figure (`usdToCredits` + an en-US formatter in the Server Component);
 *    - the balance is shown in the sidebar (autumn-js/react's AutumnProvider + the kit's AutumnCreditsProvider, through
 *      autumn-js's `autumnHandler` at /api/autumn/*) and in the server-fed CreditBalance; no low warning at 20.5%;
 *    - the CreditBalance rendered without `locale`/`timeZone` prints en-US and the reset date in UTC in this browser;
 *    - "Send a message": /api/chat reserves and settles a $0.0123 gateway cost through `autumn-ai-credits/server`; the
 *      stand-in's balance drops by exactly the badge's amount, and both balances show the new one;
 *    - the low warning appears under 20% of the grant;
 *    - the badge's details open on the first hover (one `hover()`, no other mouse move);
 *    - computed styles: every meter indicator painted and sized, the kit's buttons filled, no list markers and no
 *      browser-default margins in the kit's parts (the portalled top-up dialog too), the badge not stretched;
 *    - a top-up: CreditTopUpDialog → Autumn attach → the stand-in's checkout URL (it completes the payment and 303s back
 *      to the page) → the stand-in and both balances show 40,000 credits more;
 *    - with touch emulation (`hasTouch`, `isMobile`, same locale and zone), a tap on a badge opens its details;
 *    - zero hydration errors/warnings (React #418/#419/#422/#423/#425) over every load, zero console errors, zero page
 *      errors, no 4xx/5xx responses;
 *    - screenshots to .artifacts/example-nextjs-{light,dialog,touch}.png (light with the badge's details open).
 *
 * Every check runs even when an earlier one failed (unless it depends on it); the script lists them all and exits 1
 * if any failed. The browser helpers and the chat-charge, low-warning, top-up, style, hover and tap checks are shared
 * with example-vite.mjs (scripts/lib/example-browser.mjs).
 * Needs no network but the npm registry. Usage: node scripts/example-nextjs.mjs [--no-build]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  checkChatCharge,
  checkFirstHover,
  checkList,
  checkLowWarning,
  checkPageStyles,
  checkTap,
  checkTopUp,
  fail,
  freePort,
  oneLine,
  stop,
  styleProblems,
  watch,
} from './lib/example-browser.mjs';
import { installExample, packKit, ROOT, run } from './lib/example-kit.mjs';

const EXAMPLE = join(ROOT, 'examples', 'nextjs');
const ARTIFACTS = join(ROOT, '.artifacts');
const CUSTOMER_ID = 'user_1';
const FREE_GRANT = 8000;
const START_BALANCE = 1640; // 20.5% of the free plan's 8,000: not low yet; one message takes it under 20%
const GATEWAY_COST = '0.0123'; // what examples/nextjs/app/chat-demo.tsx sends
const TOP_UP_CREDITS = 40_000;
const BROWSER = { locale: 'de-DE', timezoneId: 'Pacific/Auckland' };
const started = Date.now();

function log(message) {
  console.log(`example-nextjs: ${message} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

const nextEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };

/** The last 22:00 UTC before `now`: a cycle anchored there resets at 22:00 UTC, the next day in Auckland. */
function lateUtcAnchor(now) {
  const day = new Date(now);
  const anchor = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 22);
  return anchor <= now ? anchor : anchor - 24 * 60 * 60 * 1000;
}

/** The first `next_reset_at` in Autumn's customer JSON. */
function findResetAt(json) {
  if (json === null || typeof json !== 'object') return null;
  if (typeof json.next_reset_at === 'number') return json.next_reset_at;
  for (const value of Object.values(json)) {
    const found = findResetAt(value);
    if (found !== null) return found;
  }
  return null;
}

const { checks, check } = checkList(log);
let next;
let standIn;
let browser;
let failed = false;
try {
  // 1. Build and pack what npm would publish.
  const { filename, files } = packKit(log);
  log(`packed ${filename} → .artifacts/autumn-ai-credits.tgz (${files.length} dist files)`);
  mkdirSync(ARTIFACTS, { recursive: true });

  // 2. Install from the example's lock file, the kit checked against the tarball just packed.
  const installed = installExample(EXAMPLE, files, log);
  const installedIndex = readFileSync(join(installed, 'dist/index.js'), 'utf8');
  if (/^\s*['"]use client['"]/.test(installedIndex)) fail("the installed dist/index.js starts with 'use client': the core would be a client reference on the server");
  log('installed examples/nextjs with npm ci; its autumn-ai-credits is the tarball just packed');

  // 3. next build (type-checks with the example's TypeScript, then compiles the server and client graphs).
  const nextBin = join(EXAMPLE, 'node_modules/next/dist/bin/next');
  rmSync(join(EXAMPLE, '.next'), { recursive: true, force: true });
  const built = await check('next build: the page, /api/chat and /api/autumn/[...all] are dynamic', () => {
    let output;
    try {
      output = run(process.execPath, [nextBin, 'build'], EXAMPLE, { quiet: true, env: nextEnv });
    } catch (error) {
      fail(`next build failed:\n${String(error.stdout ?? '').trim() || error.message}`);
    }
    const missing = [/ƒ \/\s/, /ƒ \/api\/chat/, /ƒ \/api\/autumn\/\[\.\.\.all\]/].filter((pattern) => !pattern.test(output));
    if (missing.length > 0) fail(`next build did not list ${missing.join(', ')} as dynamic:\n${output}`);
  });
  if (!built) throw new Error('next build failed: nothing to drive');

  // 4. The stand-in as Autumn (the customer's cycle anchored at 22:00 UTC), then next start on a free loopback port.
  const kit = await import(pathToFileURL(join(ROOT, 'dist/index.js')).href);
  const { startAutumnStandIn } = await import(pathToFileURL(join(ROOT, 'dist/testing.js')).href);
  standIn = await startAutumnStandIn();
  const now = standIn.clock.now();
  standIn.clock.set(lateUtcAnchor(now));
  standIn.seedCustomer(CUSTOMER_ID, { name: 'Ada', remaining: START_BALANCE });
  standIn.clock.set(now);
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
  const deadline = Date.now() + 60_000;
  let html;
  for (;;) {
    if (next.exitCode !== null) fail(`next start exited with ${next.exitCode}:\n${serverLog.join('')}`);
    html = await fetch(`${base}/`).then((response) => (response.ok ? response.text() : null), () => null);
    if (html !== null) break;
    if (Date.now() > deadline) fail(`next start did not answer within 60 s:\n${serverLog.join('')}`);
    await new Promise((done) => setTimeout(done, 250));
  }
  log(`next start on ${base}, the stand-in on ${standIn.url}`);

  // What the page must show, computed with the kit itself.
  const credits = kit.defineCredits();
  const en = kit.getFormatters('en-US', credits.currency); // the kit's default: en-US, dates in UTC
  const perMessage = kit.usdToCredits(GATEWAY_COST, credits);
  const figure = `A typical message ($${GATEWAY_COST}) costs ${en.credits(perMessage)} credits.`;
  const customerJson = await fetch(`${standIn.url}/v1/customers.get_or_create`, {
    method: 'POST',
    headers: { authorization: `Bearer ${standIn.secretKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ customer_id: CUSTOMER_ID }),
  }).then((response) => response.json());
  const resetAt = findResetAt(customerJson);
  const resets = resetAt === null ? null : `Resets ${en.date(resetAt)}`;
  const resetsInBrowserZone = resetAt === null ? null : `Resets ${kit.getFormatters('en-US', credits.currency, BROWSER.timezoneId).date(resetAt)}`;
  const remaining = () => standIn.balance(CUSTOMER_ID).remaining;

  // The HTML itself: the server-fed balance is rendered on the server, its reset date in UTC.
  await check('the server-fed balance is in the HTML (SSR, no loading flash)', () => {
    if (!html.includes('data-testid="server-balance"')) fail('no data-testid="server-balance" in the HTML');
    const tail = html.slice(html.indexOf('data-testid="server-balance"'));
    const section = tail.slice(tail.indexOf('>') + 1);
    const text = oneLine(section.slice(0, section.indexOf('</section>')).replace(/<[^>]+>/g, ' ').replace(/&nbsp;|&#160;/g, ' '));
    if (!text.includes(en.credits(START_BALANCE))) fail(`the server HTML's balance section reads "${text}", without ${en.credits(START_BALANCE)}`);
    if (resets === null) fail("the stand-in's customer has no next_reset_at");
    if (!text.includes(resets)) fail(`the server HTML's balance section reads "${text}", without "${resets}"`);
    if (section.slice(0, section.indexOf('</section>')).includes('credit-balance-skeleton')) fail('the server HTML shows the skeleton');
    return `"${text.slice(0, 90)}"`;
  });

  // 5. Chromium in another locale and time zone than the server.
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS, '--lang=de-DE'], env: { ...process.env, TZ: BROWSER.timezoneId, LANG: 'de_DE.UTF-8' } });
  const errors = [];
  const hydration = [];
  const context = await browser.newContext({ ...BROWSER, viewport: { width: 1100, height: 800 } });
  const page = await context.newPage();
  watch(page, errors, hydration);
  await page.goto(base, { waitUntil: 'load' });

  const sidebarAmount = page.locator('aside [data-slot="credit-balance-amount"]');
  const serverAmount = page.locator('[data-testid="server-balance"] [data-slot="credit-balance-amount"]');
  const shows = (label, selector, value) =>
    page
      .waitForFunction(([selector, text]) => document.querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim().startsWith(text), [selector, en.credits(value)], { timeout: 10_000 })
      .catch(async () => fail(`the ${label} balance reads "${oneLine(await page.locator(selector).first().innerText().catch(() => '?'))}", expected ${en.credits(value)}`));
  const showsBalance = async (value) => {
    await shows('sidebar', 'aside [data-slot="credit-balance-amount"]', value);
    await shows('server-fed', '[data-testid="server-balance"] [data-slot="credit-balance-amount"]', value);
  };
  const app = { page, kit, credits, en, remaining, showsBalance };

  await check(`the browser runs in ${BROWSER.locale} / ${BROWSER.timezoneId}`, async () => {
    const side = await page.evaluate(() => ({ lang: navigator.language, zone: Intl.DateTimeFormat().resolvedOptions().timeZone }));
    if (!side.lang.startsWith('de') || side.zone !== BROWSER.timezoneId) fail(`the browser runs in ${JSON.stringify(side)}`);
    return `navigator.language ${side.lang}, zone ${side.zone}`;
  });

  await check('the server-computed figure', async () => {
    const shown = oneLine(await page.getByTestId('server-figure').innerText());
    if (shown !== figure) fail(`the figure reads "${shown}", expected "${figure}"`);
    return `"${shown}"`;
  });

  // 1. The balance, in the sidebar (autumn-js/react) and the server-fed CreditBalance; no warning yet.
  await check('the balance is shown (sidebar and server-fed)', async () => {
    await showsBalance(START_BALANCE);
    const meter = await page.locator('aside [role="meter"]').getAttribute('aria-valuetext');
    const expected = `${en.credits(START_BALANCE)} of ${en.credits(FREE_GRANT)} credits left`;
    if (meter !== expected) fail(`the sidebar's meter reads "${meter}", expected "${expected}"`);
    if ((await page.locator('[data-slot="low-credit-warning"]').count()) > 0) fail('the low warning shows at 20.5%');
    return `sidebar "${oneLine(await sidebarAmount.innerText())}", server-fed "${oneLine(await serverAmount.innerText())}", meter "${meter}"`;
  });

  await check('CreditBalance without locale/timeZone prints en-US and the reset date in UTC in this browser', async () => {
    const details = oneLine(await page.locator('[data-testid="server-balance"] [data-slot="credit-balance-details"]').innerText());
    if (resets === null || !details.includes(resets)) fail(`the server-fed balance's details read "${details}", expected "${resets}"`);
    if (!details.includes(`of ${en.credits(FREE_GRANT)}`)) fail(`the server-fed balance's details read "${details}", expected en-US numbers (${en.credits(FREE_GRANT)})`);
    return `"${details}" (in ${BROWSER.timezoneId} it would read "${resetsInBrowserZone}")`;
  });

  // 2. A chat call: reserved and settled in the Route Handler; stand-in, badge and both balances agree.
  const chatted = await check('a chat call settles; the balance drops by exactly the badge', async () => {
    const { before, after, badgeText } = await checkChatCharge(app, {
      send: page.getByRole('button', { name: 'Send a message' }),
      badgeSelector: '[data-testid="chat-cost"] [data-slot="message-cost-badge"]',
      perMessage,
    });
    return `$${GATEWAY_COST} = ${perMessage} credits: stand-in ${before} → ${after}, badge "${badgeText}", sidebar "${oneLine(await sidebarAmount.innerText())}", server-fed "${oneLine(await serverAmount.innerText())}"`;
  });

  // 3. Under 20% of the grant: the warning.
  await check('the low warning appears under 20%', () => checkLowWarning(app, { grant: FREE_GRANT, balanceSelector: 'aside [data-slot="credit-balance"]' }));

  // The badge's details on the first hover: one hover(), no other mouse move.
  if (chatted) await check("the badge's details open on the first hover", () => checkFirstHover(page, page.locator('[data-testid="chat-cost"] [data-slot="message-cost-badge"]').last()));
  await page.waitForTimeout(200);
  await page.screenshot({ path: join(ARTIFACTS, 'example-nextjs-light.png'), fullPage: true });
  await page.mouse.move(1, 1);
  await page.keyboard.press('Escape');

  // Computed styles in the page, then in the portalled top-up dialog.
  await check('computed styles: meters painted, buttons filled, no list markers or browser margins, badge not stretched', () => checkPageStyles(page, 'body'));
  const dialog = page.locator('[data-slot="credit-top-up-dialog"]');
  const opened = await check('the top-up dialog opens from the sidebar CreditBalance', async () => {
    await page.locator('aside [data-slot="credit-balance-top-up"]').click();
    await dialog.waitFor({ timeout: 5_000 });
  });
  if (opened) {
    await check('computed styles in the top-up dialog (portalled)', async () => {
      const problems = await styleProblems(page, '[data-slot="credit-top-up-dialog"]');
      if (problems.length > 0) fail(problems.join('; '));
    });
    await page.screenshot({ path: join(ARTIFACTS, 'example-nextjs-dialog.png') });

    // The top-up: attach (through /api/autumn/attach) → the stand-in's checkout URL → 303 back to the page.
    await check(`a top-up through the stand-in's checkout adds ${en.credits(TOP_UP_CREDITS)}`, async () => {
      const { checkout, before, after } = await checkTopUp(app, { dialog, standIn, appUrl: base, topUpCredits: TOP_UP_CREDITS, backTimeoutMs: 15_000 });
      return `checkout ${checkout.planId} completed, stand-in ${before} → ${after}, sidebar "${oneLine(await sidebarAmount.innerText())}", server-fed "${oneLine(await serverAmount.innerText())}"`;
    });
  }

  // Touch: a tap sends, a tap on the badge opens its details.
  const touch = await browser.newContext({ ...BROWSER, hasTouch: true, isMobile: true, viewport: { width: 390, height: 844 } });
  const phone = await touch.newPage();
  watch(phone, errors, hydration);
  await phone.goto(base, { waitUntil: 'load' });
  await check("the badge's details open on a tap (touch emulation)", async () => {
    const [chat] = await Promise.all([phone.waitForResponse((response) => response.url().endsWith('/api/chat')), phone.getByRole('button', { name: 'Send a message' }).tap()]);
    if (chat.status() !== 200) fail(`/api/chat answered ${chat.status()}`);
    await checkTap(phone, phone.locator('[data-testid="chat-cost"] [data-slot="message-cost-badge"]').last());
    await phone.screenshot({ path: join(ARTIFACTS, 'example-nextjs-touch.png') });
  });

  // A fresh load after everything, for hydration once more, then the verdicts.
  await page.reload({ waitUntil: 'load' });
  await page.waitForTimeout(500);
  await check(`zero hydration errors or warnings in ${BROWSER.locale} / ${BROWSER.timezoneId}`, () => {
    if (hydration.length > 0) fail(hydration.join('\n    '));
    return 'over every load: the first, the return from checkout, the touch page, a reload';
  });
  await check('zero console errors, page errors and 4xx/5xx responses', () => {
    if (errors.length > 0) fail(errors.join('\n    '));
  });
} catch (error) {
  checks.push({ name: 'run', ok: false, detail: error instanceof Error ? error.message : String(error) });
  log(`FAIL ${error instanceof Error ? error.stack : String(error)}`);
} finally {
  await browser?.close().catch(() => {});
  await stop(next);
  await standIn?.close().catch(() => {});
}

console.log('');
const bad = checks.filter((item) => !item.ok);
console.log(`example-nextjs: examples/nextjs: ${checks.length - bad.length}/${checks.length} checks passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
for (const item of bad) console.log(`  FAIL ${item.name}: ${item.detail}`);
failed = bad.length > 0;
log(failed ? 'FAILED' : 'OK: next build + next start of examples/nextjs from the packed kit passed every check in Chromium (de-DE / Pacific/Auckland)');
process.exitCode = failed ? 1 : 0;
