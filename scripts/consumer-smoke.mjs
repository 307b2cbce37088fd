#!/usr/bin/env node
/**
 * Consumer smoke test (`npm run test:consumer`, run by .ci/run): does the PUBLISHED package work in a fresh app?
 *
 * 1. `npm run build` (dist/ with types and styles.css), then `npm pack`;
 * 2. a fresh Vite + React app in a temp folder installs the tarball and its peers from the npm cache
 *    (`--prefer-offline`), exactly as a user would;
 * 3. type-checks the app against the package's .d.ts files (moduleResolution bundler), builds it with Vite,
 *    serves the output with a tiny static server, and renders it in Debian's Chromium (playwright-core,
 *    executablePath; nothing downloaded): the components are there, styled by `autumn-ai-credits/styles.css` only
 *    (the app has no Tailwind), with no page errors. The same page renders `AutumnCreditsProvider` from
 *    `autumn-ai-credits/autumn` inside autumn-js/react's `<AutumnProvider>`, talking to the kit's Autumn stand-in
 *    (`dist/testing.js`, over loopback HTTP), and shows that customer's balance;
 * 4. a second fresh app on autumn-js **0.1.x** (the version `@useautumn/convex` brings; issue 14) installs the same
 *    tarball without a peer conflict (npm stops with ERESOLVE otherwise), type-checks, builds and renders the React
 *    entry with a 0.x customer, and its bundle holds no autumn-js code: the React entry never imports it.
 *
 * Separate from `npm test` because packing, installing and building two apps takes ~1-2 min.
 */
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const KEEP = process.argv.includes('--keep');
const started = Date.now();

function log(message) {
  console.log(`consumer: ${message} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

function run(command, args, cwd) {
  return execFileSync(command, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
}

function installedVersion(name) {
  return JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;
}

/**
 * A fresh Vite + React app in `dir`: installs the tarball with the given autumn-js version and the repo's React,
 * writes `main` as src/main.tsx, type-checks it against the published types and builds it. Returns its dist/.
 */
function buildApp(dir, { tarball, autumnJs, main, extra = {} }) {
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      {
        name: 'consumer-app',
        private: true,
        type: 'module',
        dependencies: {
          'autumn-ai-credits': `file:./${tarball}`,
          'autumn-js': autumnJs,
          react: installedVersion('react'),
          'react-dom': installedVersion('react-dom'),
          ...extra,
        },
        devDependencies: {
          '@types/react': installedVersion('@types/react'),
          '@types/react-dom': installedVersion('@types/react-dom'),
        },
      },
      null,
      2,
    ),
  );
  // No --legacy-peer-deps / --force: a peer range that excludes this autumn-js fails here with ERESOLVE.
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', '--ignore-scripts'], dir);
  const installed = JSON.parse(readFileSync(join(dir, 'node_modules/autumn-js/package.json'), 'utf8')).version;
  if (installed !== autumnJs) throw new Error(`the app got autumn-js ${installed}, not ${autumnJs}`);
  log(`installed the tarball and peers into a fresh app (autumn-js ${installed})`);

  mkdirSync(join(dir, 'src'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>consumer</title></head><body style="font-family: Georgia, serif"><div id="root"></div><script type="module" src="/src/main.tsx"></script></body></html>',
  );
  writeFileSync(join(dir, 'src', 'main.tsx'), main);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2022', 'DOM', 'DOM.Iterable'],
        module: 'ESNext',
        moduleResolution: 'bundler',
        jsx: 'react-jsx',
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: [],
      },
      include: ['src'],
    }),
  );
  writeFileSync(join(dir, 'src', 'css.d.ts'), "declare module '*.css';\n");

  // The app type-checks against the published .d.ts files (with the repo's TypeScript).
  run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], dir);
  log('the app type-checks against the published types');

  // Build with Vite (the repo's; the app's own node_modules resolve the package and peers). A small plugin writes
  // every module that went into the bundle to modules.json, to tell which packages the app's imports pulled in.
  writeFileSync(
    join(dir, 'vite.config.mjs'),
    `import { writeFileSync } from 'node:fs';
import react from ${JSON.stringify(join(ROOT, 'node_modules/@vitejs/plugin-react/dist/index.js'))};
const modules = {
  name: 'modules-json',
  generateBundle(_options, bundle) {
    const ids = Object.values(bundle).flatMap((item) => (item.type === 'chunk' ? item.moduleIds : []));
    writeFileSync('modules.json', JSON.stringify(ids.map((id) => id.replaceAll('\\\\', '/'))));
  },
};
export default { plugins: [react(), modules], logLevel: 'warn' };
`,
  );
  run(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.config.mjs'], dir);
  log('built the app with Vite');
  return { out: join(dir, 'dist'), modules: JSON.parse(readFileSync(join(dir, 'modules.json'), 'utf8')) };
}

/** Serves `out` on a loopback port; resolves the server. */
async function serve(out) {
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (path === '/favicon.ico') {
      response.writeHead(204).end();
      return;
    }
    const file = join(out, path === '/' ? 'index.html' : path);
    if (!file.startsWith(out) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  servers.push(server);
  return `http://127.0.0.1:${server.address().port}/`;
}

/** A page that records failed requests, page errors and console errors, and which scripts it loads. */
async function openPage(url) {
  const page = await browser.newPage();
  const errors = [];
  const scripts = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
  });
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(url);
  return { page, errors, scripts };
}

const workspace = mkdtempSync(join(tmpdir(), 'autumn-ai-credits-consumer-'));
const servers = [];
let browser;
let standIn;
try {
  // 1. Build, then pack what npm would publish (--no-build: pack the current dist/).
  if (!process.argv.includes('--no-build')) execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  log('built');
  const packed = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', workspace], ROOT));
  const files = packed[0].files.map((file) => file.path);
  for (const required of ['dist/index.js', 'dist/index.d.ts', 'dist/autumn.js', 'dist/autumn.d.ts', 'dist/server.js', 'dist/testing.js', 'dist/styles.css']) {
    if (!files.includes(required)) throw new Error(`the tarball lacks ${required}`);
  }
  const stray = files.filter((file) => !file.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE'].includes(file));
  if (stray.length > 0) throw new Error(`the tarball ships files outside dist/: ${stray.join(', ')}`);
  log(`packed ${packed[0].filename}: ${files.length} files, ${(packed[0].size / 1024).toFixed(1)} KB`);

  // The Autumn that AutumnCreditsProvider talks to: the kit's stand-in (from the build) on a loopback port, with
  // autumn-js's backend handler at /api/autumn/* (CORS open), the signed-in customer holding 2,500 credits.
  const { startAutumnStandIn } = await import(pathToFileURL(join(ROOT, 'dist/testing.js')).href);
  standIn = await startAutumnStandIn({ identify: () => ({ customerId: 'user_1', customerData: { name: 'Ada' } }) });
  standIn.seedCustomer('user_1', { name: 'Ada', remaining: 2500 });
  const quiet = console.log;
  console.log = (...args) => (typeof args[0] === 'string' && args[0].startsWith('consumer:') ? quiet(...args) : undefined); // autumn-js's handler logs every request

  // 2-3. A fresh app on autumn-js 1.3 (the repo's version): the React entry with a customer of its own, and
  // AutumnCreditsProvider from autumn-ai-credits/autumn reading the stand-in through autumn-js/react.
  const app = join(workspace, 'app');
  mkdirSync(app);
  const { out, modules } = buildApp(app, {
    tarball: `../${packed[0].filename}`,
    autumnJs: installedVersion('autumn-js'),
    // autumn-js/react 1.3 imports @tanstack/react-query without declaring it: an app on autumn-js/react installs it.
    extra: { '@tanstack/react-query': installedVersion('@tanstack/react-query') },
    main: `import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AutumnProvider } from 'autumn-js/react';
import { CreditBalance, CreditsProvider, LowCreditWarning, MessageCostBadge, defineCredits } from 'autumn-ai-credits';
import { AutumnCreditsProvider, type AutumnCreditsProviderProps } from 'autumn-ai-credits/autumn';
import 'autumn-ai-credits/styles.css';

const credits = defineCredits();
const customer = { id: 'user_1', balances: { [credits.featureId]: { remaining: 1200, granted: 8000, usage: 6800, unlimited: false } } };
const autumnProps: AutumnCreditsProviderProps = { config: credits, locale: 'en-US', successUrl: window.location.href, navigate: (url) => console.info(url) };

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <CreditsProvider config={credits} customer={customer} locale="en-US">
      <main>
        <LowCreditWarning />
        <CreditBalance />
        <MessageCostBadge credits={12.5} kind="actual" />
      </main>
    </CreditsProvider>
    <AutumnProvider backendUrl={${JSON.stringify(standIn.url)}}>
      <AutumnCreditsProvider {...autumnProps}>
        <section id="autumn">
          <CreditBalance />
        </section>
      </AutumnCreditsProvider>
    </AutumnProvider>
  </StrictMode>,
);
`,
  });
  // The control for step 4's check: here autumn-ai-credits/autumn did pull autumn-js in.
  if (!modules.some((id) => id.includes('/node_modules/autumn-js/'))) throw new Error('modules.json lists no autumn-js module in the app that imports it');
  const url = await serve(out);

  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  const { page, errors, scripts } = await openPage(url);
  const badge = page.locator('[data-slot="message-cost-badge"]');
  await badge.waitFor({ timeout: 10_000 });
  const balance = page.locator('main [role="meter"]');
  await balance.first().waitFor({ timeout: 10_000 });
  const facts = await page.evaluate(() => {
    const badgeElement = document.querySelector('[data-slot="message-cost-badge"]');
    const meter = document.querySelector('main [role="meter"]');
    const style = getComputedStyle(badgeElement);
    return {
      badgeText: badgeElement.textContent,
      badgeRadius: style.borderTopLeftRadius,
      badgeDisplay: style.display,
      badgeFont: style.fontFamily,
      topUp: (() => {
        const button = getComputedStyle(document.querySelector('main [data-slot="credit-balance-top-up"]'));
        return { background: button.backgroundColor, border: button.borderTopWidth };
      })(),
      dismissBackground: getComputedStyle(document.querySelector('[data-slot="low-credit-warning-dismiss"]')).backgroundColor,
      bodyFont: getComputedStyle(document.body).fontFamily,
      meterNow: meter.getAttribute('aria-valuenow'),
      meterText: meter.getAttribute('aria-valuetext'),
    };
  });
  if (errors.length > 0) throw new Error(`page errors: ${errors.join(' | ')}`);
  if (!/12\.5/.test(facts.badgeText)) throw new Error(`unexpected badge text: ${facts.badgeText}`);
  if (facts.badgeDisplay !== 'inline-flex' || facts.badgeRadius === '0px') {
    throw new Error(`styles.css did not style the badge (display ${facts.badgeDisplay}, radius ${facts.badgeRadius})`);
  }
  // No preflight in this app: the kit's base rule must still give its buttons the app's font, not the system one.
  if (facts.badgeFont !== facts.bodyFont) throw new Error(`the badge button has font ${facts.badgeFont}, the app ${facts.bodyFont}`);
  // …nor the browser's button face: the primary button has the theme's colour and no outset border, a ghost none.
  if (facts.topUp.border !== '0px' || /^rgba\(0, 0, 0, 0\)$/.test(facts.topUp.background)) {
    throw new Error(`the top-up button is not styled by the theme: ${JSON.stringify(facts.topUp)}`);
  }
  if (facts.dismissBackground !== 'rgba(0, 0, 0, 0)') throw new Error(`the dismiss button has a face: ${facts.dismissBackground}`);
  if (facts.meterNow !== '15') throw new Error(`unexpected meter value: ${facts.meterNow} (${facts.meterText})`);
  log(`rendered in Chromium: badge "${facts.badgeText}", meter ${facts.meterNow}% ("${facts.meterText}"), styled by styles.css, buttons in the app's font and the theme's colours`);

  // AutumnCreditsProvider (autumn-ai-credits/autumn): the stand-in's customer through autumn-js/react.
  const autumnMeter = page.locator('#autumn [role="meter"]');
  await autumnMeter.waitFor({ timeout: 10_000 });
  const autumnText = await autumnMeter.getAttribute('aria-valuetext');
  if (autumnText !== '2,500 of 8,000 credits left') throw new Error(`AutumnCreditsProvider shows "${autumnText}", not the stand-in's 2,500 credits`);
  if (errors.length > 0) throw new Error(`page errors: ${errors.join(' | ')}`);
  log(`AutumnCreditsProvider (autumn-ai-credits/autumn) in AutumnProvider read the stand-in: "${autumnText}"`);

  // The badge's tooltip is a chunk of its own: not loaded with the page, fetched by the first focus, then shown.
  const scriptsBefore = scripts.length;
  await page.waitForTimeout(200);
  if (scripts.length !== scriptsBefore) throw new Error(`scripts loaded without any hover or focus: ${scripts.slice(scriptsBefore).join(', ')}`);
  if (await page.locator('[data-slot="message-cost-badge-content"]').count()) throw new Error('the tooltip is there before any focus');
  await badge.focus();
  const tooltip = page.locator('[data-slot="message-cost-badge-content"]');
  await tooltip.waitFor({ timeout: 10_000 });
  const lazy = scripts.slice(scriptsBefore);
  if (lazy.length === 0) throw new Error('the tooltip came without loading a chunk: it is in the initial bundle');
  const tooltipText = await tooltip.textContent();
  if (!/Actual cost/.test(tooltipText ?? '')) throw new Error(`unexpected tooltip: ${tooltipText}`);
  const focused = await page.evaluate(() => document.activeElement?.getAttribute('data-slot'));
  if (focused !== 'message-cost-badge') throw new Error(`the badge lost the focus to ${focused}`);
  if (errors.length > 0) throw new Error(`page errors: ${errors.join(' | ')}`);
  log(`first focus loaded the tooltip chunk (${lazy.join(', ')}) and showed "${tooltipText}", focus kept on the badge`);

  // 4. A Convex app: autumn-js 0.1.x, the customer in 0.x shape as @useautumn/convex returns it, the React entry only.
  const convexApp = join(workspace, 'convex-app');
  mkdirSync(convexApp);
  const legacyAutumnJs = installedVersion('autumn-js-0');
  const { out: convexOut, modules: convexModules } = buildApp(convexApp, {
    tarball: `../${packed[0].filename}`,
    autumnJs: legacyAutumnJs,
    main: `import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { CreditBalance, CreditsProvider, defineCredits } from 'autumn-ai-credits';
import 'autumn-ai-credits/styles.css';

const credits = defineCredits();
// What useQuery(api.billing.customer) hands over with @useautumn/convex (autumn-js 0.x): features[id].balance.
const customer = { id: 'user_1', features: { [credits.featureId]: { id: credits.featureId, balance: 300, included_usage: 8000, usage: 7700 } } };

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <CreditsProvider config={credits} customer={customer} locale="en-US" onTopUp={async () => ({ url: 'https://checkout.test/session' })}>
      <CreditBalance />
    </CreditsProvider>
  </StrictMode>,
);
`,
  });
  const pulled = convexModules.filter((id) => /\/node_modules\/autumn-js\/|\/autumn-ai-credits\/dist\/autumn[./]/.test(id));
  if (pulled.length > 0) throw new Error(`the Convex app's bundle holds autumn-js or autumn-ai-credits/autumn code: ${pulled.join(', ')}`);
  if (!convexModules.some((id) => id.includes('/node_modules/autumn-ai-credits/dist/react/credits-provider.js'))) {
    throw new Error(`the Convex app's bundle lacks the kit's CreditsProvider: modules.json is not what it seems`);
  }
  const convex = await openPage(await serve(convexOut));
  const convexMeter = convex.page.locator('[role="meter"]');
  await convexMeter.waitFor({ timeout: 10_000 });
  const convexText = await convexMeter.getAttribute('aria-valuetext');
  if (convexText !== '300 of 8,000 credits left') throw new Error(`the Convex app shows "${convexText}"`);
  if (convex.errors.length > 0) throw new Error(`page errors: ${convex.errors.join(' | ')}`);
  log(`an app on autumn-js ${legacyAutumnJs} installed the kit (no ERESOLVE), bundled no autumn-js code and rendered a 0.x customer: "${convexText}"`);
  log('OK');
} finally {
  await browser?.close();
  for (const server of servers) server.close();
  await standIn?.close();
  if (KEEP) console.log(`consumer: apps kept at ${workspace}`);
  else rmSync(workspace, { recursive: true, force: true });
}
