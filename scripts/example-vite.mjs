#!/usr/bin/env node
/**
 * The two Vite examples (issue 13), each a real app installed from the kit as it would be published:
 *
 * - examples/vite-tailwind: Vite + React + Tailwind v4 with shadcn/ui's theme variables, the kit's styles through
 *   `@import "autumn-ai-credits/tailwind.css";`;
 * - examples/vite-css: Vite + React without Tailwind, `import 'autumn-ai-credits/styles.css'`.
 *
 * Both: autumn-js's `<AutumnProvider>` + the kit's `AutumnCreditsProvider`, a credits sidebar and a chat, and a small
 * Node server (their `server.js`: dist/, autumn-js's `autumnHandler` at /api/autumn/*, /api/chat metered through
 * `autumn-ai-credits/server`).
 *
 * 1. packs the kit once (`npm run build` first unless `--no-build`) into `.artifacts/autumn-ai-credits.tgz`;
 * 2. per app: `npm ci` from its lock file (the kit checked byte for byte against the tarball), `tsc --noEmit` and
 *    `vite build`, then the kit's Autumn stand-in (dist/testing.js) on 127.0.0.1 and the app's server on a free port
 *    with AUTUMN_URL pointing at it;
 * 3. drives it in Debian's Chromium (playwright-core, executablePath; nothing downloaded):
 *    - the balance is shown as the kit's formatter prints it; no low warning at 20.5% of the grant;
 *    - Send: /api/chat reserves and settles a $0.0123 gateway cost; the stand-in's balance drops by exactly the
 *      badge's amount, and the shown balance is the new one; the low warning appears (under 20%);
 *    - the badge's details open on the first hover (one `hover()`, no other mouse move);
 *    - computed styles: the meter's indicator is painted and sized, the kit's buttons are filled, no list markers and
 *      no browser-default margins in the kit's parts (the portalled top-up dialog too), the badge is not stretched;
 *    - a top-up: CreditTopUpDialog → Autumn attach → the stand-in's checkout URL (which completes the payment and
 *      returns to the app) → the stand-in and the page both show 40,000 credits more;
 *    - with touch emulation (`hasTouch`, `isMobile`), a tap on a badge opens its details;
 *    - zero console errors, zero page errors, no 4xx/5xx responses;
 *    - screenshots to .artifacts/example-<app>-{light,dialog,dark,touch}.png (light with the badge's details open).
 *
 * The type check (`tsc --noEmit`, strict) runs in the background beside the build and the browser; its verdict is the
 * app's last check.
 *
 * Every check of an app runs even when an earlier one failed (unless it depends on it); the script lists them all
 * and exits 1 if any failed. The browser helpers and the chat-charge, low-warning, top-up, style, hover and tap
 * checks live in scripts/lib/example-browser.mjs, shared with example-nextjs.mjs.
 * Usage: node scripts/example-vite.mjs [--no-build] [--only vite-css|vite-tailwind]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
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
import { packKit, ROOT, run } from './lib/example-kit.mjs';

const ARTIFACTS = join(ROOT, '.artifacts');
const CUSTOMER_ID = 'user_1';
const FREE_GRANT = 8000;
const START_BALANCE = 1640; // 20.5% of the free plan's 8,000: not low yet; one message takes it under 20%
const GATEWAY_COST = '0.0123'; // what the examples' server.js settles per message
const TOP_UP_CREDITS = 40_000;
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;
const APPS = ['vite-tailwind', 'vite-css'].filter((name) => only === null || name === only);
const started = Date.now();

/** `run`, with the command's output in the error when it fails (tsc prints its errors on stdout). */
function runQuiet(command, args, cwd) {
  try {
    return run(command, args, cwd, { quiet: true });
  } catch (error) {
    throw new Error(`${args.slice(0, 2).map((arg) => arg.split('/').pop()).join(' ')} failed:\n${String(error.stdout ?? '').trim() || error.message}`);
  }
}

/** A command in the background: resolves when it exits 0, rejects with its output otherwise. */
function runAsync(command, args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(String(chunk)));
    child.stderr.on('data', (chunk) => output.push(String(chunk)));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${args[0].split('/').pop()} exited with ${code}:\n${output.join('').trim()}`))));
  });
}

function log(message) {
  console.log(`example-vite: ${message} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

/** Starts `node server.js` in `dir`; resolves once it listens (it reads dist/ per request: the build may still run). */
async function startServer(dir, env) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const output = [];
  const child = spawn(process.execPath, ['server.js'], { cwd: dir, env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk) => output.push(String(chunk)));
  child.stderr.on('data', (chunk) => output.push(String(chunk)));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server.js exited with ${child.exitCode}:\n${output.join('')}`);
    if (await fetch(`${base}/`).then(() => true, () => false)) break;
    if (Date.now() > deadline) throw new Error(`server.js did not answer within 30 s:\n${output.join('')}`);
    await new Promise((done) => setTimeout(done, 100));
  }
  return { base, child, output };
}

/** installExample() for examples/<name> in a child process, so both apps install at once. */
function installInChild(name, files) {
  const code = `import { installExample } from ${JSON.stringify(pathToFileURL(join(ROOT, 'scripts/lib/example-kit.mjs')).href)};
installExample(${JSON.stringify(join(ROOT, 'examples', name))}, ${JSON.stringify(files)}, (message) => console.log(message));`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(String(chunk)));
    child.stderr.on('data', (chunk) => output.push(String(chunk)));
    child.once('error', reject);
    child.once('exit', (code) => {
      const text = output.join('').replace(/^\s*added \d+ packages.*$/gm, '').trim();
      if (code === 0) {
        if (text) log(`${name}: ${text}`);
        resolve();
      } else reject(new Error(`npm ci in examples/${name} failed:\n${text}`));
    });
  });
}

/** One app end to end. Returns the list of checks, each `{ name, ok, detail }`. */
async function runApp(name, { installed, kit, startAutumnStandIn, chromium }) {
  const dir = join(ROOT, 'examples', name);
  const { checks, check } = checkList((message) => log(`${name}: ${message}`));
  let standIn;
  let server;
  let serving;
  let browser;
  try {
    const t0 = Date.now();
    await installed;
    log(`${name}: npm ci (its autumn-ai-credits is the tarball just packed)`);
    // The stand-in and server.js start while Vite builds.
    serving = (async () => {
      standIn = await startAutumnStandIn();
      standIn.seedCustomer(CUSTOMER_ID, { name: 'Ada', remaining: START_BALANCE });
      server = await startServer(dir, { AUTUMN_URL: standIn.url, AUTUMN_SECRET_KEY: standIn.secretKey, DEMO_CUSTOMER_ID: CUSTOMER_ID });
    })();
    serving.catch(() => {}); // awaited below
    // The type check runs beside the build and the browser (its verdict is taken at the end).
    const typecheck = runAsync(process.execPath, [join(dir, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.json'], dir);
    typecheck.catch(() => {}); // reported by its check below, even when the run stops early
    rmSync(join(dir, 'dist'), { recursive: true, force: true });
    const built = await check('vite build', () => {
      const output = runQuiet(process.execPath, [join(dir, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], dir);
      return output.trim() || undefined;
    });
    if (!built) {
      await check('tsc --noEmit (strict)', () => typecheck);
      return { checks, ms: Date.now() - t0 };
    }

    await serving;
    log(`${name}: server.js on ${server.base}, the stand-in on ${standIn.url}`);

    const credits = kit.defineCredits();
    const en = kit.getFormatters('en-US', credits.currency);
    const perMessage = kit.usdToCredits(GATEWAY_COST, credits);
    const remaining = () => standIn.balance(CUSTOMER_ID).remaining;
    const errors = [];
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
    });
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1100, height: 720 } });
    const page = await context.newPage();
    watch(page, errors);
    await page.goto(server.base, { waitUntil: 'load' });
    const amount = page.locator('aside [data-slot="credit-balance-amount"]');
    const showsBalance = (credits) =>
      page
        .waitForFunction(([selector, text]) => document.querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim().startsWith(text), ['aside [data-slot="credit-balance-amount"]', en.credits(credits)], { timeout: 10_000 })
        .catch(async () => fail(`the balance reads "${(await amount.innerText().catch(() => '?')).trim()}", expected ${en.credits(credits)}`));
    const app = { page, kit, credits, en, remaining, showsBalance };

    // 1. The balance as the kit's formatter prints it, and no warning yet.
    await check('the balance is shown', async () => {
      await showsBalance(START_BALANCE);
      const meter = await page.locator('aside [role="meter"]').getAttribute('aria-valuetext');
      const expected = `${en.credits(START_BALANCE)} of ${en.credits(FREE_GRANT)} credits left`;
      if (meter !== expected) fail(`the meter reads "${meter}", expected "${expected}"`);
      if ((await page.locator('[data-slot="low-credit-warning"]').count()) > 0) fail('the low warning shows at 20.5%');
      return `"${oneLine(await amount.innerText())}", meter "${meter}"`;
    });

    // 2. A chat call: reserved and settled on the server; stand-in, badge and shown balance agree.
    const chatted = await check('a chat call settles; the balance drops by exactly the badge', async () => {
      const { before, after, badgeText } = await checkChatCharge(app, { send: page.getByRole('button', { name: 'Send' }), badgeSelector: '[data-slot="message-cost-badge"]', perMessage });
      return `$${GATEWAY_COST} = ${perMessage} credits: stand-in ${before} → ${after}, badge "${badgeText}", shown "${oneLine(await amount.innerText())}"`;
    });

    // 3. Under 20% of the grant: the warning.
    await check('the low warning appears under 20%', () => checkLowWarning(app, { grant: FREE_GRANT, balanceSelector: '[data-slot="credit-balance"]' }));

    // 5a. The badge's details on the first hover: one hover(), no other mouse move.
    if (chatted) {
      await check("the badge's details open on the first hover", () => checkFirstHover(page, page.locator('[data-slot="message-cost-badge"]').last()));
    }
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(ARTIFACTS, `example-${name}-light.png`) });
    await page.mouse.move(1, 1);
    await page.keyboard.press('Escape');

    // 6. Computed styles in the page, then in the portalled top-up dialog.
    await check('computed styles: meter painted, buttons filled, no list markers or browser margins, badge not stretched', () => checkPageStyles(page, 'aside'));
    const dialog = page.locator('[data-slot="credit-top-up-dialog"]');
    const opened = await check('the top-up dialog opens from CreditBalance', async () => {
      await page.locator('aside [data-slot="credit-balance-top-up"]').click();
      await dialog.waitFor({ timeout: 5_000 });
    });
    if (opened) {
      await check('computed styles in the top-up dialog (portalled)', async () => {
        const problems = await styleProblems(page, '[data-slot="credit-top-up-dialog"]');
        if (problems.length > 0) fail(problems.join('; '));
      });
      await page.screenshot({ path: join(ARTIFACTS, `example-${name}-dialog.png`) });

      // 4. The top-up: attach → the stand-in's checkout URL (it completes the payment, then 303s back to the app).
      await check(`a top-up through the stand-in's checkout adds ${en.credits(TOP_UP_CREDITS)}`, async () => {
        const { checkout, before, after } = await checkTopUp(app, { dialog, standIn, appUrl: server.base, topUpCredits: TOP_UP_CREDITS, backTimeoutMs: 10_000 });
        return `checkout ${checkout.planId} completed, stand-in ${before} → ${after}, shown "${oneLine(await amount.innerText())}"`;
      });
    }

    // Dark: one more message after the top-up, then the app's toggle (`.dark` on <html>).
    await check('dark mode (the app toggle puts .dark on <html>)', async () => {
      const [chat] = await Promise.all([page.waitForResponse((response) => response.url().endsWith('/api/chat')), page.getByRole('button', { name: 'Send' }).click()]);
      if (chat.status() !== 200) fail(`/api/chat answered ${chat.status()} after the top-up`);
      await page.locator('[data-slot="message-cost-badge"]').first().waitFor();
      await page.getByRole('button', { name: 'Dark mode' }).click();
      const colors = await page.evaluate(() => ({ dark: document.documentElement.classList.contains('dark'), balance: getComputedStyle(document.querySelector('[data-slot="credit-balance"]')).color }));
      if (!colors.dark) fail('<html> has no .dark class');
      await page.waitForTimeout(200);
      await page.screenshot({ path: join(ARTIFACTS, `example-${name}-dark.png`) });
      return `balance text ${colors.balance}`;
    });

    // 5b. Touch: a tap opens the badge's details.
    const touch = await browser.newContext({ locale: 'en-US', hasTouch: true, isMobile: true, viewport: { width: 390, height: 844 } });
    const phone = await touch.newPage();
    watch(phone, errors);
    await phone.goto(server.base, { waitUntil: 'load' });
    await check("the badge's details open on a tap (touch emulation)", async () => {
      const [chat] = await Promise.all([phone.waitForResponse((response) => response.url().endsWith('/api/chat')), phone.getByRole('button', { name: 'Send' }).tap()]);
      if (chat.status() !== 200) fail(`/api/chat answered ${chat.status()}`);
      await checkTap(phone, phone.locator('[data-slot="message-cost-badge"]').last());
      await phone.screenshot({ path: join(ARTIFACTS, `example-${name}-touch.png`) });
    });

    // 7. Nothing went wrong on the way.
    await page.waitForTimeout(200);
    await check('zero console errors, page errors and 4xx/5xx responses', () => {
      if (errors.length > 0) fail(errors.join('\n    '));
    });
    await check('tsc --noEmit (strict)', () => typecheck);
    return { checks, ms: Date.now() - t0 };
  } catch (error) {
    checks.push({ name: 'run', ok: false, detail: error instanceof Error ? error.message : String(error) });
    log(`${name}: FAIL ${error instanceof Error ? error.message : String(error)}`);
    return { checks, ms: 0 };
  } finally {
    await browser?.close().catch(() => {});
    await serving?.catch(() => {});
    await stop(server?.child);
    await standIn?.close().catch(() => {});
  }
}

let failed = false;
try {
  const { filename, files } = packKit(log);
  log(`packed ${filename} → .artifacts/autumn-ai-credits.tgz (${files.length} dist files)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  const kit = await import(pathToFileURL(join(ROOT, 'dist/index.js')).href);
  const { startAutumnStandIn } = await import(pathToFileURL(join(ROOT, 'dist/testing.js')).href);
  const { chromium } = await import('playwright-core');
  const results = [];
  // Both apps' npm ci at once (child processes), then one app at a time in the browser.
  const installs = APPS.map((name) => installInChild(name, files));
  for (const promise of installs) promise.catch(() => {}); // awaited by runApp
  for (const [index, name] of APPS.entries()) results.push({ name, ...(await runApp(name, { installed: installs[index], kit, startAutumnStandIn, chromium })) });
  console.log('');
  for (const { name, checks, ms } of results) {
    const bad = checks.filter((item) => !item.ok);
    console.log(`example-vite: examples/${name}: ${checks.length - bad.length}/${checks.length} checks passed${ms ? ` in ${(ms / 1000).toFixed(1)} s` : ''}`);
    for (const item of bad) console.log(`  FAIL ${item.name}: ${item.detail}`);
    if (bad.length > 0) failed = true;
  }
  log(failed ? 'FAILED' : 'OK: both Vite examples built from the packed kit and passed every check in Chromium');
} catch (error) {
  failed = true;
  log(`FAILED: ${error instanceof Error ? error.stack : String(error)}`);
}
process.exitCode = failed ? 1 : 0;
