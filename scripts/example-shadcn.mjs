#!/usr/bin/env node
/**
 * The shadcn registry end to end (issue 16): a fresh shadcn/ui app on Tailwind v4 (examples/shadcn, as `shadcn init`
 * leaves a Vite + React + TypeScript app, with no kit component in it) adds the kit's items from the built registry
 * JSON, type-checks, builds, and renders them in Chromium against the kit's Autumn stand-in.
 *
 * 1. packs the kit (`npm run build` first unless `--no-build`) and builds the registry JSON from the committed
 *    registry.json (`shadcn build`, scripts/build-registry.mjs) into a temp dir;
 * 2. copies examples/shadcn into a fresh temp dir and installs it from its lock file (`npm ci`, the kit from the
 *    tarball just packed);
 * 3. serves on 127.0.0.1 the built items and shadcn's `colors/neutral.json` (REGISTRY_URL: the CLI asks for the base
 *    colour even for an item of another registry) and runs `shadcn add @autumn-ai-credits/credits-provider <local
 *    item JSON files> -y` with every other request sent to a refusing proxy (HTTPS_PROXY; NO_PROXY for loopback):
 *    the provider resolves through the app's `@autumn-ai-credits` namespace (components.json, the URL in
 *    AUTUMN_CREDITS_REGISTRY_URL), and so does the top-up dialog, which is not named: it comes as a registry
 *    dependency of the balance and the warning;
 *    - every file of the items lands in src/components/credits/ (and src/lib/credits.ts), the items' `css` put
 *      `@import "autumn-ai-credits/tailwind.css";` into src/index.css once, package.json is untouched (the app's lock
 *      already holds what the items depend on), and no request left the machine;
 *    - then, as a team would, a marker attribute is added to three owned files (the balance, the top-up dialog, the
 *      badge's tooltip): the page must render these copies, not the package's;
 * 4. `tsc -b` (the template's strict flags: noUnusedLocals, noUnusedParameters, erasableSyntaxOnly) and `vite build`;
 * 5. the app's server.js (dist/ + autumn-js's `autumnHandler`) on the stand-in, in Debian's Chromium:
 *    - the sidebar balance as the kit's formatter prints it, from the owned file, styled (meter painted, buttons
 *      filled, no browser margins or list markers), the low warning at 15%;
 *    - the composition in App.tsx: the parts in the app's order, a part of its own (`useCreditBalance`), the app's
 *      classes applied;
 *    - the badge's details on the first hover (the owned lazy tooltip);
 *    - the owned top-up dialog from the balance's Top up, styled; a top-up through the stand-in's checkout;
 *    - dark mode; zero console errors, page errors and 4xx/5xx responses;
 *    - screenshots .artifacts/example-shadcn-{light,dialog,dark}.png.
 *
 * Every check runs and is listed; exit 1 if any failed. Usage: node scripts/example-shadcn.mjs [--no-build] [--keep]
 * (`--keep` leaves the temp app in place and prints its path).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildRegistryJson } from './build-registry.mjs';
import { CHROMIUM_ARGS, CHROMIUM_PATH, checkFirstHover, checkList, checkPageStyles, checkTopUp, fail, freePort, oneLine, stop, styleProblems, watch } from './lib/example-browser.mjs';
import { installExample, packKit, ROOT, TARBALL } from './lib/example-kit.mjs';

const ARTIFACTS = join(ROOT, '.artifacts');
const CUSTOMER_ID = 'user_1';
const FREE_GRANT = 8000;
const START_BALANCE = 1200; // 15% of the free plan's grant: the low warning shows
const TOP_UP_CREDITS = 40_000;
/**
 * The items the app names on the command line: the provider by its namespaced name (as a team would), the components
 * by their built JSON files; the top-up dialog is not named, it comes as the balance's and the warning's dependency.
 */
const BY_NAME = ['credits-provider'];
const BY_FILE = ['credit-balance', 'low-credit-warning', 'message-cost-badge', 'credit-estimate', 'usage-breakdown'];
const ADDED = [...BY_NAME, ...BY_FILE];
/** Owned files and a data-slot in each that gets a marker attribute after `shadcn add`, as a team's edit would. */
const MARKED = [
  { file: 'src/components/credits/credit-balance.tsx', slot: 'credit-balance' },
  { file: 'src/components/credits/credit-top-up-dialog.tsx', slot: 'credit-top-up-dialog' },
  { file: 'src/components/credits/message-cost-badge-tooltip.tsx', slot: 'message-cost-badge-content' },
];
/** What `shadcn add` needs of shadcn's own registry for an app on the neutral base colour (nothing is inlined). */
const NEUTRAL = { inlineColors: { light: {}, dark: {} }, cssVars: {}, cssVarsV4: {}, inlineColorsTemplate: '', cssVarsTemplate: '' };
const started = Date.now();
const timings = [];

function log(message) {
  console.log(`example-shadcn: ${message} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

/** Runs `body`, records how long it took under `label`. */
async function timed(label, body) {
  const t0 = Date.now();
  try {
    return await body();
  } finally {
    timings.push(`${label} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
}

/** A command in the background: resolves with its output when it exits 0, rejects with it otherwise. */
function runAsync(command, args, { cwd, env }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(String(chunk)));
    child.stderr.on('data', (chunk) => output.push(String(chunk)));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(output.join('')) : reject(new Error(`${basename(args[0] ?? command)} ${args[1] ?? ''} exited with ${code}:\n${output.join('').trim()}`))));
  });
}

/** The built items and neutral.json on 127.0.0.1 (`/r/...`); every request is logged. */
async function startRegistryMirror(dir) {
  const requests = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    requests.push(path);
    const body = path === '/r/colors/neutral.json' ? JSON.stringify(NEUTRAL) : /^\/r\/[\w-]+\.json$/.test(path) && existsSync(join(dir, basename(path))) ? readFileSync(join(dir, basename(path)), 'utf8') : null;
    res.writeHead(body === null ? 404 : 200, { 'content-type': 'application/json' });
    res.end(body ?? '{"error":"not found"}');
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/r`, requests, close: () => new Promise((done) => server.close(done)) };
}

/** A proxy that refuses everything and records what was asked of it: where a request for the outside world ends up. */
async function startTripwire() {
  const attempts = [];
  const server = createNetServer((socket) => {
    socket.once('data', (chunk) => {
      attempts.push(String(chunk).split('\r\n')[0]);
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    });
    socket.on('error', () => {});
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, attempts, close: () => new Promise((done) => server.close(done)) };
}

/** Starts `node server.js` in `dir`; resolves once it answers. */
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

/** Where `shadcn add` writes a file of an item in this app (components alias @/components → src/components). */
function installedPath(target) {
  const match = /^@(components|lib)\/(.+)$/.exec(target);
  if (!match) fail(`unexpected target ${target}`);
  return `src/${match[1]}/${match[2]}`;
}

const { checks, check } = checkList(log);
let scratch = null;
let mirror;
let tripwire;
let standIn;
let server;
let browser;
try {
  const { filename, files } = await timed('pack', () => packKit(log));
  log(`packed ${filename} → .artifacts/autumn-ai-credits.tgz (${files.length} dist files)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  scratch = mkdtempSync(join(tmpdir(), 'autumn-ai-credits-shadcn-'));
  // The app's lock names the kit as file:../../.artifacts/autumn-ai-credits.tgz: the same layout in the temp dir.
  const app = join(scratch, 'examples', 'shadcn');
  cpSync(join(ROOT, 'examples', 'shadcn'), app, { recursive: true, filter: (source) => !/[\\/](node_modules|dist)$/.test(source) });
  mkdirSync(join(scratch, '.artifacts'));
  copyFileSync(TARBALL, join(scratch, '.artifacts', 'autumn-ai-credits.tgz'));
  const built = join(scratch, 'r');
  await timed('shadcn build', () => buildRegistryJson(built));
  const registry = JSON.parse(readFileSync(join(built, 'registry.json'), 'utf8'));
  const itemJson = (name) => JSON.parse(readFileSync(join(built, `${name}.json`), 'utf8'));
  log(`shadcn build: ${registry.items.length} items → ${built}`);

  await timed('npm ci', () => installExample(app, files, log));
  log('npm ci (the kit from the tarball just packed)');
  const kit = await import(pathToFileURL(join(ROOT, 'dist/index.js')).href);
  const { startAutumnStandIn } = await import(pathToFileURL(join(ROOT, 'dist/testing.js')).href);

  // 3. shadcn add, offline but for loopback.
  mirror = await startRegistryMirror(built);
  tripwire = await startTripwire();
  const packageBefore = readFileSync(join(app, 'package.json'), 'utf8');
  const names = [...BY_NAME.map((name) => `@autumn-ai-credits/${name}`), ...BY_FILE.map((name) => `<built>/${name}.json`)];
  const added = await check(`shadcn add ${names.join(' ')} (credit-top-up-dialog comes through the namespace)`, () =>
    timed('shadcn add', async () => {
      const args = [...BY_NAME.map((name) => `@autumn-ai-credits/${name}`), ...BY_FILE.map((name) => join(built, `${name}.json`))];
      const output = await runAsync(process.execPath, [join(app, 'node_modules/shadcn/dist/index.js'), 'add', ...args, '--yes'], {
        cwd: app,
        env: {
          REGISTRY_URL: mirror.url,
          AUTUMN_CREDITS_REGISTRY_URL: mirror.url,
          HTTPS_PROXY: tripwire.url,
          HTTP_PROXY: tripwire.url,
          https_proxy: tripwire.url,
          http_proxy: tripwire.url,
          NO_PROXY: '127.0.0.1,localhost',
          no_proxy: '127.0.0.1,localhost',
          npm_config_offline: 'true',
          CI: 'true',
        },
      });
      return oneLine(output.replace(/\x1b\[[0-9;]*m/g, '')).slice(0, 400);
    }),
  );
  const expectedFiles = new Map();
  const visit = (name) => {
    const item = itemJson(name);
    for (const file of item.files) expectedFiles.set(installedPath(file.target), file.content);
    for (const dependency of item.registryDependencies ?? []) visit(dependency.replace(/^@autumn-ai-credits\//, ''));
  };
  if (added) {
    for (const name of ADDED) visit(name);
    await check('every file of the items (and of credit-top-up-dialog, a registry dependency) is in the app', () => {
      const missing = [...expectedFiles.keys()].filter((path) => !existsSync(join(app, path)));
      if (missing.length > 0) fail(`missing: ${missing.join(', ')}`);
      for (const name of [...BY_NAME, 'credit-top-up-dialog']) {
        if (!mirror.requests.includes(`/r/${name}.json`)) fail(`${name} was not fetched through the namespace (the mirror saw ${mirror.requests.join(', ')})`);
      }
      // shadcn rewrites '@/lib/utils' to the app's utils alias (the same here) and drops 'use client' (rsc: false).
      const changed = [...expectedFiles].filter(([path, content]) => readFileSync(join(app, path), 'utf8').replace(/^'use client';\n/, '') !== content.replace(/^'use client';\n/, ''));
      return `${expectedFiles.size} files: ${[...expectedFiles.keys()].map((path) => path.replace('src/components/credits/', '')).join(', ')}${changed.length > 0 ? `; rewritten by the CLI: ${changed.map(([path]) => basename(path)).join(', ')}` : ''}`;
    });
    await check('the items\' css put @import "autumn-ai-credits/tailwind.css" into src/index.css, once, after the other imports', () => {
      const css = readFileSync(join(app, 'src/index.css'), 'utf8');
      const imports = [...css.matchAll(/^@import [^;]+;/gm)].map((match) => match[0]);
      if (imports.filter((line) => line === '@import "autumn-ai-credits/tailwind.css";').length !== 1) fail(`src/index.css imports: ${imports.join(' ')}`);
      if (imports.at(-1) !== '@import "autumn-ai-credits/tailwind.css";') fail(`not after the other imports: ${imports.join(' ')}`);
      return imports.join(' ');
    });
    await check("package.json untouched: the app's lock already holds every item's dependencies", () => {
      const pkg = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8'));
      if (readFileSync(join(app, 'package.json'), 'utf8') !== packageBefore) fail('shadcn add changed package.json (it installed something: add it to examples/shadcn/package.json and its lock)');
      const declared = new Set(Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }));
      const needed = [...new Set(registry.items.flatMap((item) => item.dependencies ?? []))];
      const missing = needed.filter((name) => !declared.has(name));
      if (missing.length > 0) fail(`the items depend on ${missing.join(', ')}, which examples/shadcn does not declare`);
      return `items depend on ${needed.join(', ')}`;
    });
  }
  await check('no request left the machine (shadcn add through a refusing proxy; loopback only)', () => {
    if (tripwire.attempts.length > 0) fail(`outside requests: ${tripwire.attempts.join('; ')}`);
    return `registry mirror served ${mirror.requests.join(', ')}`;
  });
  if (!added) throw new Error('shadcn add failed: nothing to build');

  // A team's edit to the files it owns: a marker on one element of each.
  await check('the owned files take an edit (a marker attribute on the balance, the dialog and the tooltip)', () => {
    for (const { file, slot } of MARKED) {
      const path = join(app, file);
      const source = readFileSync(path, 'utf8');
      // The JSX attribute (after whitespace), not a selector string such as '[data-slot="…"]'.
      const attribute = new RegExp(`(?<=\\s)data-slot="${slot}"(?=[\\s/>])`);
      if (!attribute.test(source)) fail(`${file} has no data-slot="${slot}" attribute`);
      writeFileSync(path, source.replace(attribute, `data-slot="${slot}" data-owned="${slot}"`));
    }
  });

  // 4. Type check and build, as the template's `npm run build` does.
  const typecheck = timed('tsc -b', () => runAsync(process.execPath, [join(app, 'node_modules/typescript/bin/tsc'), '-b'], { cwd: app }));
  typecheck.catch(() => {});
  const viteBuilt = await check('vite build', () =>
    timed('vite build', async () => {
      const output = await runAsync(process.execPath, [join(app, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: app });
      return oneLine(output).slice(0, 200) || undefined;
    }),
  );
  const typed = await check('tsc -b (shadcn Vite template: strict, noUnusedLocals, noUnusedParameters, erasableSyntaxOnly)', () => typecheck.then(() => undefined));
  if (!viteBuilt) throw new Error('vite build failed');

  // 5. The app on the stand-in, in Chromium.
  standIn = await startAutumnStandIn();
  standIn.seedCustomer(CUSTOMER_ID, { name: 'Ada', remaining: START_BALANCE });
  server = await startServer(app, { AUTUMN_URL: standIn.url, AUTUMN_SECRET_KEY: standIn.secretKey, DEMO_CUSTOMER_ID: CUSTOMER_ID });
  log(`server.js on ${server.base}, the stand-in on ${standIn.url}`);
  const credits = kit.defineCredits();
  const en = kit.getFormatters('en-US', credits.currency);
  const remaining = () => standIn.balance(CUSTOMER_ID).remaining;
  const errors = [];
  const { chromium } = await import('playwright-core');
  await timed('browser', async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1100, height: 760 } });
    const page = await context.newPage();
    watch(page, errors);
    await page.goto(server.base, { waitUntil: 'load' });
    const amount = page.locator('aside [data-slot="credit-balance-amount"]');
    const showsBalance = (value) =>
      page
        .waitForFunction(([selector, text]) => document.querySelector(selector)?.textContent?.replace(/\s+/g, ' ').trim().startsWith(text), ['aside [data-slot="credit-balance-amount"]', en.credits(value)], { timeout: 10_000 })
        .catch(async () => fail(`the balance reads "${(await amount.innerText().catch(() => '?')).trim()}", expected ${en.credits(value)}`));

    await check('the balance renders from the owned file, as the kit formats it; the low warning at 15%', async () => {
      await showsBalance(START_BALANCE);
      const owned = await page.locator('aside [data-slot="credit-balance"]').getAttribute('data-owned');
      if (owned !== 'credit-balance') fail('the sidebar balance is not the owned copy (no data-owned marker)');
      const meter = await page.locator('aside [role="meter"]').getAttribute('aria-valuetext');
      const expected = `${en.credits(START_BALANCE)} of ${en.credits(FREE_GRANT)} credits left`;
      if (meter !== expected) fail(`the meter reads "${meter}", expected "${expected}"`);
      await page.locator('[data-slot="low-credit-warning"]').waitFor({ timeout: 10_000 }).catch(() => fail('no low-credit warning at 15%'));
      return `"${oneLine(await amount.innerText())}", meter "${meter}", warning "${oneLine(await page.locator('[data-slot="low-credit-warning"]').innerText())}"`;
    });

    await check('styled by the app\'s Tailwind: meter painted, buttons filled, no browser margins or list markers, badge not stretched', () => checkPageStyles(page, 'aside'));

    await check("the composition in App.tsx: the parts in the app's order, a part of its own, the app's classes", async () => {
      const facts = await page.evaluate(() => {
        const root = document.querySelector('section[aria-label="Plan"] [data-slot="credit-balance"]');
        const amount = root?.querySelector('[data-slot="credit-balance-amount"]');
        const topUp = root?.querySelector('[data-slot="credit-balance-top-up"]');
        return {
          slots: [...(root?.children ?? [])].map((element) => element.getAttribute('data-slot') ?? element.tagName.toLowerCase()),
          text: root?.textContent?.replace(/\s+/g, ' ').trim() ?? '',
          amountSize: amount ? getComputedStyle(amount).fontSize : null,
          topUpWidth: topUp ? topUp.getBoundingClientRect().width : 0,
          // The root's content box: w-full fills it.
          rootWidth: root ? root.clientWidth - parseFloat(getComputedStyle(root).paddingLeft) - parseFloat(getComputedStyle(root).paddingRight) : 0,
          topUpText: topUp?.textContent?.trim(),
        };
      });
      const order = ['credit-balance-meter', 'credit-balance-header', 'credit-balance-value', 'credit-balance-top-up'];
      if (JSON.stringify(facts.slots) !== JSON.stringify(order)) fail(`parts ${JSON.stringify(facts.slots)}, expected ${JSON.stringify(order)}`);
      if (!facts.text.includes('15% left')) fail(`no "15% left" from the app's own part: "${facts.text}"`);
      if (facts.amountSize !== '30px') fail(`the amount is ${facts.amountSize}, expected text-3xl (30px) from App.tsx`);
      if (facts.topUpText !== 'Buy credits' || Math.abs(facts.topUpWidth - facts.rootWidth) > 1) fail(`Top up "${facts.topUpText}" ${facts.topUpWidth}px of ${facts.rootWidth}px`);
      return `${facts.slots.join(' → ')}; "${facts.text.slice(0, 60)}…"`;
    });

    await check("the badge's details open on the first hover (the owned lazy tooltip)", async () => {
      const detail = await checkFirstHover(page, page.locator('[data-slot="message-cost-badge"]').first());
      const owned = await page.locator('[data-slot="message-cost-badge-content"]').first().getAttribute('data-owned');
      if (owned !== 'message-cost-badge-content') fail('the tooltip is not the owned copy');
      return detail;
    });
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(ARTIFACTS, 'example-shadcn-light.png') });
    await page.mouse.move(1, 1);
    await page.keyboard.press('Escape');

    const dialog = page.locator('[data-slot="credit-top-up-dialog"]');
    const opened = await check("the balance's Top up opens the owned top-up dialog (loaded on demand), styled", async () => {
      await page.locator('aside [data-slot="credit-balance-top-up"]').click();
      await dialog.waitFor({ timeout: 10_000 });
      if ((await dialog.getAttribute('data-owned')) !== 'credit-top-up-dialog') fail('the dialog is not the owned copy');
      const problems = await styleProblems(page, '[data-slot="credit-top-up-dialog"]');
      if (problems.length > 0) fail(problems.join('; '));
      return `"${oneLine(await dialog.innerText()).slice(0, 80)}…"`;
    });
    if (opened) {
      await page.screenshot({ path: join(ARTIFACTS, 'example-shadcn-dialog.png') });
      await check(`a top-up through the stand-in's checkout adds ${en.credits(TOP_UP_CREDITS)}`, async () => {
        const app = { page, kit, credits, en, remaining, showsBalance };
        const { checkout, before, after } = await checkTopUp(app, { dialog, standIn, appUrl: server.base, topUpCredits: TOP_UP_CREDITS, backTimeoutMs: 10_000 });
        return `checkout ${checkout.planId} completed, stand-in ${before} → ${after}, shown "${oneLine(await amount.innerText())}"`;
      });
    }

    await check('dark mode (.dark on <html>): the theme variables switch', async () => {
      const color = () => page.evaluate(() => getComputedStyle(document.querySelector('aside [data-slot="credit-balance"]')).color);
      const light = await color();
      await page.getByRole('button', { name: 'Dark mode' }).click();
      await page.waitForFunction(() => document.documentElement.classList.contains('dark'));
      const dark = await color();
      if (dark === light) fail(`the balance's text colour stayed ${light}`);
      await page.waitForTimeout(200);
      await page.screenshot({ path: join(ARTIFACTS, 'example-shadcn-dark.png') });
      return `balance text ${light} → ${dark}`;
    });

    await page.waitForTimeout(200);
    await check('zero console errors, page errors and 4xx/5xx responses', () => {
      if (errors.length > 0) fail(errors.join('\n    '));
    });
  });
  if (!typed) log('the type check failed (above)');
} catch (error) {
  checks.push({ name: 'run', ok: false, detail: error instanceof Error ? error.message : String(error) });
  log(`FAIL ${error instanceof Error ? error.stack : String(error)}`);
} finally {
  await browser?.close().catch(() => {});
  await stop(server?.child);
  await standIn?.close().catch(() => {});
  await mirror?.close();
  await tripwire?.close();
  if (scratch && process.argv.includes('--keep')) log(`kept the app in ${join(scratch, 'examples', 'shadcn')}`);
  else if (scratch) rmSync(scratch, { recursive: true, force: true });
}

const bad = checks.filter((item) => !item.ok);
console.log('');
console.log(`example-shadcn: examples/shadcn: ${checks.length - bad.length}/${checks.length} checks passed in ${((Date.now() - started) / 1000).toFixed(1)} s (${timings.join(', ')})`);
for (const item of bad) console.log(`  FAIL ${item.name}: ${item.detail}`);
process.exitCode = bad.length > 0 ? 1 : 0;
