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
 *    (the app has no Tailwind), with no page errors.
 *
 * Separate from `npm test` because packing, installing and building a second app takes ~30-60 s.
 */
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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

const app = mkdtempSync(join(tmpdir(), 'autumn-ai-credits-consumer-'));
let server;
let browser;
try {
  // 1. Build, then pack what npm would publish (--no-build: pack the current dist/).
  if (!process.argv.includes('--no-build')) execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  log('built');
  const packed = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', app], ROOT));
  const tarball = join(app, packed[0].filename);
  const files = packed[0].files.map((file) => file.path);
  for (const required of ['dist/index.js', 'dist/index.d.ts', 'dist/server.js', 'dist/testing.js', 'dist/styles.css']) {
    if (!files.includes(required)) throw new Error(`the tarball lacks ${required}`);
  }
  const stray = files.filter((file) => !file.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE'].includes(file));
  if (stray.length > 0) throw new Error(`the tarball ships files outside dist/: ${stray.join(', ')}`);
  log(`packed ${packed[0].filename}: ${files.length} files, ${(packed[0].size / 1024).toFixed(1)} KB`);

  // 2. A fresh app: the tarball and the peers, at the versions this repo tests with (so they come from the cache).
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify(
      {
        name: 'consumer-app',
        private: true,
        type: 'module',
        dependencies: {
          'autumn-ai-credits': `file:./${packed[0].filename}`,
          'autumn-js': installedVersion('autumn-js'),
          react: installedVersion('react'),
          'react-dom': installedVersion('react-dom'),
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
  run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', '--ignore-scripts'], app);
  log('installed the tarball and peers into a fresh app');

  mkdirSync(join(app, 'src'));
  writeFileSync(
    join(app, 'index.html'),
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>consumer</title></head><body style="font-family: Georgia, serif"><div id="root"></div><script type="module" src="/src/main.tsx"></script></body></html>',
  );
  writeFileSync(
    join(app, 'src', 'main.tsx'),
    `import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { CreditBalance, CreditsProvider, LowCreditWarning, MessageCostBadge, defineCredits } from 'autumn-ai-credits';
import 'autumn-ai-credits/styles.css';

const credits = defineCredits();
const customer = { id: 'user_1', balances: { [credits.featureId]: { remaining: 1200, granted: 8000, usage: 6800, unlimited: false } } };

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <CreditsProvider config={credits} customer={customer} locale="en-US">
      <main>
        <LowCreditWarning />
        <CreditBalance />
        <MessageCostBadge credits={12.5} kind="actual" />
      </main>
    </CreditsProvider>
  </StrictMode>,
);
`,
  );
  writeFileSync(
    join(app, 'tsconfig.json'),
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
  writeFileSync(join(app, 'src', 'css.d.ts'), "declare module '*.css';\n");

  // 3a. The app type-checks against the published .d.ts files (with the repo's TypeScript).
  run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], app);
  log('the app type-checks against the published types');

  // 3b. Build with Vite (the repo's; the app's own node_modules resolve the package and peers).
  writeFileSync(
    join(app, 'vite.config.mjs'),
    `import react from ${JSON.stringify(join(ROOT, 'node_modules/@vitejs/plugin-react/dist/index.js'))};\nexport default { plugins: [react()], logLevel: 'warn' };\n`,
  );
  run(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.config.mjs'], app);
  log('built the app with Vite');

  // 3c. Serve dist/ and render it in Chromium.
  const out = join(app, 'dist');
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
  server = createServer((request, response) => {
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
  const url = `http://127.0.0.1:${server.address().port}/`;

  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
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
  const badge = page.locator('[data-slot="message-cost-badge"]');
  await badge.waitFor({ timeout: 10_000 });
  const balance = page.locator('[role="meter"]');
  await balance.first().waitFor({ timeout: 10_000 });
  const facts = await page.evaluate(() => {
    const badgeElement = document.querySelector('[data-slot="message-cost-badge"]');
    const meter = document.querySelector('[role="meter"]');
    const style = getComputedStyle(badgeElement);
    return {
      badgeText: badgeElement.textContent,
      badgeRadius: style.borderTopLeftRadius,
      badgeDisplay: style.display,
      badgeFont: style.fontFamily,
      topUp: (() => {
        const button = getComputedStyle(document.querySelector('[data-slot="credit-balance-top-up"]'));
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
  log('OK');
} finally {
  await browser?.close();
  server?.close();
  if (KEEP) console.log(`consumer: app kept at ${app}`);
  else rmSync(app, { recursive: true, force: true });
}
