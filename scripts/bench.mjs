#!/usr/bin/env node
/**
 * `npm run bench`: measures the kit and writes docs/benchmarks.md. Figures, not assertions (the size budgets are
 * enforced by `npm run size`, exactness and "no re-render" by the test suite).
 *
 *   1. gzip size per entry and per component (esbuild bundle of dist/, minified, peers external)
 *   2. 1,000 MessageCostBadges mounted in Chromium vs 1,000 plain spans (median of several runs)
 *   3. badge re-renders when the balance changes (goal: 0)
 *   4. server helper overhead per event: createCreditMeter (reserve → settle) vs the bare SDK calls, both on the
 *      in-process Autumn stand-in
 *   5. exactness of 10^6 random gateway costs: sumCredits vs a BigInt reference, and a naive float sum for contrast
 *
 * Runs `npm run build` first (set BENCH_SKIP_BUILD=1 to reuse dist/). Options: --runs N (default 7).
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpus, totalmem, platform, arch, release, tmpdir } from 'node:os';
import { readFileSync, writeFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const DIST = join(ROOT, 'dist');
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const RUNS = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 7;
const BADGES = 1000;
/** Untimed mounts first, so the JIT and Intl caches are warm for every timed run. */
const WARM_UP_RUNS = 5;
const SERVER_EVENTS = 2000;
const EXACTNESS_EVENTS = 1_000_000;

const esbuild = await import(pathToFileURL(join(ROOT, 'node_modules/esbuild/lib/main.js')).href).then((m) => m.default ?? m);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
const { GOALS, lazyChunksApart } = createRequire(import.meta.url)('../.size-limit.cjs');
/** Hand-written: what the bytes are, what was done, what the goals would cost (update when the figures move). */
const SIZE_NOTES = readFileSync(join(ROOT, 'docs/size-notes.md'), 'utf8').trim();
/** kB = 1,000 bytes, as size-limit counts (bytes-iec), so these figures and `npm run size` agree. */
const kb = (bytes) => `${(bytes / 1000).toFixed(2)} kB`;
const budget = (bytes, limitKb) => (bytes <= limitKb * 1000 ? 'met' : `**exceeded** by ${kb(bytes - limitKb * 1000)}`);
const ms = (value) => `${value.toFixed(2)} ms`;
const us = (value) => `${value.toFixed(1)} µs`;

if (process.env.BENCH_SKIP_BUILD !== '1' || !existsSync(join(DIST, 'index.js'))) {
  console.log('bench: building the library (npm run build)…');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

// ---------------------------------------------------------------------------------------------- 1. sizes
const PEERS = ['react', 'react-dom', 'react/jsx-runtime', 'autumn-js', 'autumn-js/*', 'msw', 'msw/*', 'node:*'];
const DEPENDENCIES = ['@radix-ui/*', 'class-variance-authority', 'clsx', 'tailwind-merge'];

/**
 * What an import costs up front: a chunk it loads with `import()` (the badge's tooltip, on the first hover) is left
 * out, as an app's bundler splits it off (the plugin size-limit uses). `{ lazy: true }` counts it in (the cost once
 * it has loaded).
 */
async function gzipOf(contents, external, { lazy = false } = {}) {
  const result = await esbuild.build({
    plugins: lazy ? [] : [lazyChunksApart],
    stdin: { contents, resolveDir: ROOT, loader: 'js' },
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'browser',
    external,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return { raw: code.length, gzip: gzipSync(code, { level: 9 }).length };
}

const indexExports = Object.keys(await import(pathToFileURL(join(DIST, 'index.js')).href)).sort();
const COMPONENTS = ['CreditsProvider', 'CreditBalance', 'LowCreditWarning', 'CreditTopUpDialog', 'MessageCostBadge', 'CreditEstimate', 'UsageBreakdown', 'UsageChart', 'AutoTopUpSettings', 'SpendLimits'].filter(
  (name) => indexExports.includes(name),
);

const sizeRows = [];
for (const [label, file] of [
  ['`autumn-ai-credits` (React entry)', 'index.js'],
  ['`autumn-ai-credits/autumn` (`AutumnCreditsProvider`)', 'autumn.js'],
  ['`autumn-ai-credits/server`', 'server.js'],
  ['`autumn-ai-credits/testing`', 'testing.js'],
]) {
  const entry = `export * from ${JSON.stringify(join(DIST, file))};`;
  const own = await gzipOf(entry, [...PEERS, ...DEPENDENCIES]);
  const withDeps = await gzipOf(entry, PEERS);
  sizeRows.push([label, own, withDeps]);
}
for (const name of COMPONENTS) {
  const entry = `export { ${name} } from ${JSON.stringify(join(DIST, 'index.js'))};`;
  sizeRows.push([`\`${name}\` alone`, await gzipOf(entry, [...PEERS, ...DEPENDENCIES]), await gzipOf(entry, PEERS)]);
  if (name === 'MessageCostBadge') {
    const lazy = { lazy: true };
    sizeRows.push([
      '`MessageCostBadge` after the first hover (+ tooltip chunk)',
      await gzipOf(entry, [...PEERS, ...DEPENDENCIES], lazy),
      await gzipOf(entry, PEERS, lazy),
    ]);
  }
}
const css = readFileSync(join(DIST, 'styles.css'));
/** Tailwind v4 apps compile this one themselves: its own size, before the classes it makes the app generate. */
const tailwindCss = readFileSync(join(DIST, 'tailwind.css'));
console.log('bench: sizes done');

// ---------------------------------------------------------------------------------------------- 2+3. Chromium
/**
 * Counts which badge components really rendered in each commit, through the DevTools hook React calls on every
 * commit. It must exist before react-dom loads, so it is its own script, added before the bundle. A fiber rendered
 * in this commit when it has PerformedWork (1) and is not the very object seen in the last commit (a subtree React
 * skipped keeps its old fiber objects with their old flags).
 */
const RENDER_COUNTER = `
(() => {
  // The badge's components: function components or forwardRef render functions by these names (since issue 16 one
  // forwardRef per badge, MessageCostBadge or MessageCostBadgeView, inside its memo).
  const BADGE_NAMES = new Set(['MessageCostBadge', 'MessageCostBadgeView']);
  let seen = new Set();
  window.__badgeRenders = 0;
  function walk(fiber, now) {
    while (fiber) {
      const type = fiber.type;
      const name = typeof type === 'function' ? type.name : type && typeof type.render === 'function' ? type.render.name : null;
      if (name && BADGE_NAMES.has(name)) {
        now.add(fiber);
        if ((fiber.flags & 1) !== 0 && !seen.has(fiber)) window.__badgeRenders += 1;
      }
      if (fiber.child) walk(fiber.child, now);
      fiber = fiber.sibling;
    }
  }
  window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    supportsFiber: true, renderers: new Map(), inject() { return 1; }, checkDCE() {},
    onScheduleFiberRoot() {}, onCommitFiberUnmount() {}, onPostCommitFiberRoot() {},
    onCommitFiberRoot(_id, root) {
      if (!window.__countRenders) return; // off while mount times are measured
      const now = new Set(); walk(root.current, now); seen = now;
    },
  };
})();
`;

const PAGE_SOURCE = `
import * as React from 'react';
import { createRoot } from 'react-dom/client';
import { flushSync } from 'react-dom';
import { MessageCostBadge, CreditsProvider, CreditBalance } from ${JSON.stringify(join(DIST, 'index.js'))};

const COST = { credits: 0.618, usd: '0.0001545', model: 'openai/gpt-5-mini', source: 'gateway', kind: 'actual',
  usage: { inputTokens: 1000, inputTokenDetails: { noCacheTokens: 200, cacheReadTokens: 700, cacheWriteTokens: 100 },
    outputTokens: 500, outputTokenDetails: { textTokens: 300, reasoningTokens: 200 }, totalTokens: 1500 } };
const costs = (n) => Array.from({ length: n }, (_, i) => ({ ...COST, credits: (i % 97) / 10 + 0.5 }));

function timeMount(element) {
  const host = document.createElement('div');
  document.body.append(host);
  const root = createRoot(host);
  const start = performance.now();
  flushSync(() => root.render(element));
  void host.getBoundingClientRect().height; // include style + layout
  const elapsed = performance.now() - start;
  root.unmount();
  host.remove();
  return elapsed;
}

window.bench = {
  mountBadges(n) {
    const list = costs(n);
    return timeMount(React.createElement('div', null, list.map((cost, i) => React.createElement(MessageCostBadge, { key: i, cost, locale: 'en-US' }))));
  },
  mountSpans(n) {
    const list = costs(n);
    return timeMount(React.createElement('div', null, list.map((cost, i) => React.createElement('span', { key: i }, cost.credits + ' credits'))));
  },
  rerenders(n, changes) {
    window.__countRenders = true;
    const host = document.createElement('div');
    document.body.append(host);
    const root = createRoot(host);
    const list = costs(n);
    const customer = (remaining) => ({ id: 'u', balances: { ai_credits: { remaining, granted: 8000, usage: 8000 - remaining, unlimited: false } } });
    // (a) the balance changes in the provider; the app's message list does not re-render
    const Messages = React.memo(function Messages() {
      return React.createElement('div', null, list.map((cost, i) => React.createElement(MessageCostBadge, { key: i, cost })));
    });
    const App = ({ remaining }) => React.createElement(CreditsProvider, { customer: customer(remaining), locale: 'en-US' },
      React.createElement(CreditBalance), React.createElement(Messages));
    flushSync(() => root.render(React.createElement(App, { remaining: 8000 })));
    window.__badgeRenders = 0;
    for (let i = 1; i <= changes; i++) flushSync(() => root.render(React.createElement(App, { remaining: 8000 - i * 37 })));
    const providerOnly = window.__badgeRenders;
    // (b) the whole chat re-renders with rebuilt cost records (an app keeping messages in state above the provider)
    const Chat = ({ remaining }) => React.createElement(CreditsProvider, { customer: customer(remaining), locale: 'en-US' },
      React.createElement(CreditBalance),
      React.createElement('div', null, list.map((cost, i) => React.createElement(MessageCostBadge, { key: i, cost: { ...cost, usage: { ...cost.usage } } }))));
    flushSync(() => root.render(React.createElement(Chat, { remaining: 8000 })));
    window.__badgeRenders = 0;
    for (let i = 1; i <= changes; i++) flushSync(() => root.render(React.createElement(Chat, { remaining: 8000 - i * 37 })));
    const rebuiltRecords = window.__badgeRenders;
    const balanceText = host.querySelector('[role="meter"]')?.getAttribute('aria-valuetext') ?? null;
    // (c) control, to show the counter counts: every cost really changes each time, so every badge must render
    window.__badgeRenders = 0;
    for (let i = 1; i <= changes; i++) {
      flushSync(() =>
        root.render(React.createElement('div', null, list.map((cost, j) => React.createElement(MessageCostBadge, { key: j, cost: { ...cost, credits: cost.credits + i } })))),
      );
    }
    const changedCosts = window.__badgeRenders;
    root.unmount();
    host.remove();
    window.__countRenders = false;
    return { providerOnly, rebuiltRecords, changedCosts, balanceText };
  },
};
`;
const page = await esbuild.build({
  stdin: { contents: PAGE_SOURCE, resolveDir: ROOT, loader: 'js' },
  bundle: true,
  write: false,
  format: 'iife',
  platform: 'browser',
  minifySyntax: true,
  minifyWhitespace: true,
  keepNames: true,
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'silent',
});
const { chromium } = await import('playwright-core');
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
let mount;
let rerender;
try {
  const tab = await browser.newPage();
  const errors = [];
  tab.on('pageerror', (error) => errors.push(error.message));
  await tab.setContent(`<!doctype html><html><head><style>${css}</style></head><body></body></html>`);
  await tab.addScriptTag({ content: RENDER_COUNTER });
  await tab.addScriptTag({ content: page.outputFiles[0].text });
  // Warm-up (JIT, Intl caches), then alternate badge and span runs so drift hits both alike.
  for (let warm = 0; warm < WARM_UP_RUNS; warm++) await tab.evaluate((n) => { window.bench.mountBadges(n); window.bench.mountSpans(n); }, BADGES);
  const badgeRuns = [];
  const spanRuns = [];
  for (let run = 0; run < RUNS; run++) {
    badgeRuns.push(await tab.evaluate((n) => window.bench.mountBadges(n), BADGES));
    spanRuns.push(await tab.evaluate((n) => window.bench.mountSpans(n), BADGES));
  }
  mount = { badges: median(badgeRuns), spans: median(spanRuns), badgeRuns, spanRuns };
  rerender = await tab.evaluate((n) => window.bench.rerenders(n, 10), BADGES);
  if (errors.length > 0) throw new Error(`page errors: ${errors.join(' | ')}`);
} finally {
  await browser.close();
}
console.log('bench: Chromium done');

// ---------------------------------------------------------------------------------------------- 4. server overhead
const { Autumn, HTTPClient } = await import('autumn-js');
const { createCreditMeter } = await import(pathToFileURL(join(DIST, 'server.js')).href);
const { createAutumnStandIn } = await import(pathToFileURL(join(DIST, 'testing.js')).href);
const { sumCredits } = await import(pathToFileURL(join(DIST, 'server.js')).href);

/**
 * One run of `events` chat messages. `meter`: the credit meter (reserve with a lock → addStep → settle with the
 * gateway cost). `sdk`: the same two Autumn calls made by hand (check with a lock, finalize with the converted
 * cost). `price`: the meter's pricing alone (no I/O). For `meter`, the time spent inside the Autumn client is
 * measured too, so the helper's own share is known exactly.
 */
async function serverRun(kind, events) {
  const standIn = createAutumnStandIn();
  standIn.seedCustomer('org_1', { planId: 'pro_annual', topUpCredits: 10_000_000 });
  const autumn = new Autumn({ secretKey: standIn.secretKey, serverURL: standIn.origin, failOpen: false, httpClient: new HTTPClient({ fetcher: standIn.fetch }) });
  let inAutumn = 0;
  const timed = (call) => async (...args) => {
    const start = performance.now();
    try {
      return await call(...args);
    } finally {
      inAutumn += performance.now() - start;
    }
  };
  const client = {
    check: timed((params, options) => autumn.check(params, options)),
    track: timed((params, options) => autumn.track(params, options)),
    balances: { finalize: timed((params, options) => autumn.balances.finalize(params, options)) },
    events: { aggregate: timed((params, options) => autumn.events.aggregate(params, options)), list: timed((params, options) => autumn.events.list(params, options)) },
  };
  const meter = createCreditMeter({ autumn: client });
  const step = { usage: { inputTokens: 1200, outputTokens: 300, totalTokens: 1500 }, providerMetadata: { gateway: { cost: '0.0012' } } };
  const start = performance.now();
  for (let i = 0; i < events; i++) {
    if (kind === 'meter') {
      const reservation = await meter.reserve({ customerId: 'org_1', model: 'openai/gpt-5-mini', credits: 10 });
      reservation.addStep(step);
      await reservation.settle();
    } else if (kind === 'sdk') {
      // The same three calls by hand: hold the estimate, charge the real cost under a key, release the hold.
      const lockId = `lock_${i}`;
      await autumn.check({ customerId: 'org_1', featureId: 'ai_credits', requiredBalance: 10, lock: { enabled: true, lockId, expiresAt: Date.now() + 60_000 } });
      await autumn.track({ customerId: 'org_1', featureId: 'ai_credits', value: 4.8, overageBehavior: 'overflow' }, { headers: { 'idempotency-key': `${lockId}:charge` } });
      await autumn.balances.finalize({ lockId, action: 'release' });
    } else {
      meter.price({ model: 'openai/gpt-5-mini', steps: [step] });
    }
  }
  const total = performance.now() - start;
  return { perEvent: (total / events) * 1000, ownPerEvent: ((total - inAutumn) / events) * 1000 }; // µs
}

const serverFigures = {};
for (const kind of ['sdk', 'meter', 'price']) {
  await serverRun(kind, 200); // warm-up
  const runs = [];
  for (let run = 0; run < 3; run++) runs.push(await serverRun(kind, kind === 'price' ? SERVER_EVENTS * 10 : SERVER_EVENTS));
  serverFigures[kind] = median(runs.map((run) => run.perEvent));
  if (kind === 'meter') serverFigures.meterOwn = median(runs.map((run) => run.ownPerEvent));
}
console.log('bench: server done');

// ---------------------------------------------------------------------------------------------- 4b. exactly once
/**
 * The randomized fault run of issue 12 (test/server/fault/random-run.ts, also `node scripts/fault-run.mjs`): flows
 * through the meter and the kit's client into a fault-injecting double in front of the stand-in, at 10% and 50% fault
 * rates on every endpoint, then replays; reports flows/s and that nothing was lost or charged twice.
 */
const FAULT_SEED = 0x5eed_2012;
const FAULT_FLOWS = 10_000;
const faultRuns = [];
{
  const esbuild = await import('esbuild').then((m) => m.default ?? m);
  const dir = mkdtempSync(join(tmpdir(), 'bench-fault-'));
  try {
    const outfile = join(dir, 'random-run.mjs');
    await esbuild.build({ entryPoints: [join(ROOT, 'test/server/fault/random-run.ts')], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'warning' });
    const { randomRun, meterCpuSequential } = await import(pathToFileURL(outfile).href);
    // The meter's own CPU per message: reserve → addStep → settle against an Autumn that answers at once.
    serverFigures.meterCpu = median([await meterCpuSequential(SERVER_EVENTS * 5), await meterCpuSequential(SERVER_EVENTS * 5), await meterCpuSequential(SERVER_EVENTS * 5)]);
    for (const rate of [0.1, 0.5]) faultRuns.push({ rate, ...(await randomRun(rate, { seed: FAULT_SEED, flows: FAULT_FLOWS })) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log('bench: exactly-once run done');

// ---------------------------------------------------------------------------------------------- 5. exactness
// Deterministic pseudo-random gateway costs with up to 9 decimals (nano-USD), as decimal strings.
let seed = 0x2545f491;
const random = () => {
  seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0;
  return seed;
};
const CREDITS_PER_USD = 4000n;
const DECIMALS = 6;
const UNITS = 10n ** BigInt(DECIMALS);
const costs = [];
let referenceUnits = 0n; // micro-credits, each cost rounded UP to 6 decimals as usdToCredits does
let naive = 0;
for (let i = 0; i < EXACTNESS_EVENTS; i++) {
  const nanoUsd = BigInt(random() % 5_000_000); // up to $0.005
  const text = `0.${nanoUsd.toString().padStart(9, '0')}`;
  const numerator = nanoUsd * CREDITS_PER_USD * UNITS; // credits × 10^6 × 10^9
  const units = (numerator + 999_999_999n) / 1_000_000_000n;
  referenceUnits += units;
  const credits = Number(units) / 1e6;
  costs.push(credits);
  naive += credits;
}
const exactStart = performance.now();
const exact = sumCredits(costs);
const exactMs = performance.now() - exactStart;
const reference = Number(referenceUnits) / 1e6;
const referenceText = `${referenceUnits / UNITS}.${(referenceUnits % UNITS).toString().padStart(DECIMALS, '0')}`;
console.log('bench: exactness done');

// ---------------------------------------------------------------------------------------------- report
const cpuList = cpus();
const machine = `${cpuList.length} × ${cpuList[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GB RAM, ${platform()} ${release()} ${arch()}, Node ${process.versions.node}`;
const chromiumVersion = (() => {
  try {
    return execFileSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return CHROMIUM_PATH;
  }
})();
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const reactVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules/react/package.json'), 'utf8')).version;

const report = `# Benchmarks

Measured by \`npm run bench\` (\`scripts/bench.mjs\`) on ${new Date().toISOString().slice(0, 10)}, ${pkg.name} ${pkg.version}.
Figures, not assertions: the size budgets are enforced by \`npm run size\` (size-limit), exactness and
"no re-render" by the test suite.

**Machine:** ${machine}; ${chromiumVersion} (headless); React ${reactVersion} (production build).

## Bundle size (minified + gzip, level 9)

"Own code" leaves React, autumn-js and the dependencies (Radix, class-variance-authority, clsx, tailwind-merge)
out; "with dependencies" leaves only the peers (React, React DOM, autumn-js, msw) out. Measured by bundling
\`dist/\` with esbuild, so a component's figure is what tree-shaking keeps when an app imports only it.

| import | own code | with dependencies |
|---|---:|---:|
${sizeRows.map(([label, own, withDeps]) => `| ${label} | ${kb(own.gzip)} | ${kb(withDeps.gzip)} |`).join('\n')}
| \`autumn-ai-credits/styles.css\` | ${kb(gzipSync(css, { level: 9 }).length)} (${kb(css.length)} raw) | |
| \`autumn-ai-credits/tailwind.css\` (source for the app's Tailwind) | ${kb(gzipSync(tailwindCss, { level: 9 }).length)} (${kb(tailwindCss.length)} raw) | |

Stylesheets (issue 13), gzip level 9: \`styles.css\` went from 3.39 kB (16.08 kB raw) to 3.55 kB (18.11 kB raw) with the
kit's scoped reset (lists, margins, headings, buttons, box-sizing, the badge's width) and the namespaced colour classes;
\`tailwind.css\` is new, 2.08 kB (8.12 kB raw), and adds to a Tailwind app's CSS the kit's variables, its reset and those of its classes the app does not
already generate. The JS grew by the namespacing alone: 74 class tokens 8 characters longer, +0.05 kB on the React entry.

Goals of issue 6 (own code): React entry ≤ ${GOALS.reactEntry} kB — ${budget(sizeRows[0][1].gzip, GOALS.reactEntry)}; \`MessageCostBadge\` alone
≤ ${GOALS.messageCostBadge} kB — ${budget(sizeRows.find(([label]) => label.includes('MessageCostBadge'))?.[1].gzip ?? 0, GOALS.messageCostBadge)}. \`npm run size\` (in CI) guards today's
figures against growth; [Size: where the bytes are](#size-where-the-bytes-are) says what reaching the goals would cost.

${SIZE_NOTES}

## Rendering ${BADGES.toLocaleString('en-US')} message cost badges (Chromium)

Time to mount in one synchronous React commit, including style and layout; median of ${RUNS} runs after
${WARM_UP_RUNS} untimed ones. A badge is a plain \`<button>\` until it is first hovered or focused (the Radix Tooltip mounts then).

| ${BADGES.toLocaleString('en-US')} × | median | runs |
|---|---:|---|
| \`<MessageCostBadge cost={…}>\` | ${ms(mount.badges)} | ${mount.badgeRuns.map((v) => v.toFixed(1)).join(', ')} |
| \`<span>{credits} credits</span>\` | ${ms(mount.spans)} | ${mount.spanRuns.map((v) => v.toFixed(1)).join(', ')} |
| ratio | **${(mount.badges / mount.spans).toFixed(1)}×** | |

Issue 16's aim is within 5× of the spans (11.7× before it). What got there: one memo and one \`forwardRef\` per badge
instead of two of each and a content component, one state hook, the variants' classes computed once, the button named
by \`aria-label\` instead of a visually hidden span, and its content one text node ("0.62 credits") instead of three
spans — the inner elements were most of the style and layout time. The parts (\`MessageCostBadgeAmount\`, …) still
render separate elements for a team that composes them.

## Badge re-renders when the balance changes (goal: 0)

${BADGES.toLocaleString('en-US')} badges under a \`CreditsProvider\` whose balance changes 10 times (counted through
React's commit hook: badge components that really rendered).

| scenario | badge renders |
|---|---:|
| the provider's balance changes, the message list does not re-render | **${rerender.providerOnly}** |
| the whole chat re-renders with rebuilt (equal) cost records | **${rerender.rebuiltRecords}** |
| control, to prove the counter: every cost really changes (1 component per badge × 1,000 × 10) | ${rerender.changedCosts} |

The balance itself did update (last shown: "${rerender.balanceText ?? 'n/a'}").

## Server helper overhead per event

Per chat message against the in-process Autumn stand-in (real \`autumn-js\` ${JSON.parse(readFileSync(join(ROOT, 'node_modules/autumn-js/package.json'), 'utf8')).version}
SDK, \`fetch\` injected, no network), median of 3 runs of ${SERVER_EVENTS.toLocaleString('en-US')} events. Both
full rows make the same three Autumn calls (check with a lock, the keyed track of the real cost, the lock's release);
most of their time is the SDK and the stand-in. The helper's own share is the meter's time outside its Autumn client
(lock ids, pricing the gateway cost, exact conversion, deadlines, the outbox write and delete, retry bookkeeping),
measured by timing every client call. Budget: under 50 µs per message.

| per event | time |
|---|---:|
| by hand: \`check\` (lock) + keyed \`track\` + \`balances.finalize\` release | ${us(serverFigures.sdk)} |
| \`createCreditMeter\`: \`reserve\` → \`addStep\` → \`settle\` | ${us(serverFigures.meter)} |
| of which outside the Autumn client (the helper, plus the event-loop turns and GC the SDK's garbage causes) | ${us(serverFigures.meterOwn)} |
| the meter's own CPU, against an Autumn that answers at once (budget 50 µs) | **${us(serverFigures.meterCpu)}** |
| \`meter.price()\` alone (gateway cost → credits, no I/O) | ${us(serverFigures.price)} |

## Exactly once under faults

The randomized run of issue 12 (seed ${FAULT_SEED}, ${FAULT_FLOWS.toLocaleString('en-US')} flows per rate, in-process): reserve →
simulated model call → settle (and charges without a reservation, and releases) through the meter and the kit's
client, into a fault-injecting double in front of the stand-in that fails every endpoint at the given rate (500 after
apply, dropped connections, hangs past the deadline, malformed 200s, late duplicates, 409 while processing, lock
expiry between retries, Autumn's 202 fail-open); then the outbox is replayed and every lock expired.

| fault rate | flows/s | requests | lost | charged twice | admitted on fail-open | held after expiry | unhandled rejections |
|---:|---:|---:|---:|---:|---:|---:|---:|
${faultRuns.map((run) => `| ${run.rate * 100}% | ${(run.flows / run.seconds).toFixed(0)} | ${run.requests.toLocaleString('en-US')} | ${run.lost} | ${run.double} | ${run.failOpenAdmitted} | ${String(run.heldAfterExpiry)} | ${run.unhandled} |`).join('\n')}

## Exactness over ${EXACTNESS_EVENTS.toLocaleString('en-US')} events

${EXACTNESS_EVENTS.toLocaleString('en-US')} pseudo-random gateway costs (up to $0.005 with 9 decimals), each converted to
credits at 4,000 per dollar and rounded up to 6 decimals, then summed.

| sum | credits | off by |
|---|---:|---:|
| BigInt reference (integer micro-credits) | ${referenceText} | — |
| \`sumCredits\` | ${exact} | ${exact === reference ? '**0**' : String(exact - reference)} |
| naive \`+=\` on floats | ${naive} | ${(naive - reference).toExponential(2)} |

\`sumCredits\` over ${EXACTNESS_EVENTS.toLocaleString('en-US')} values took ${ms(exactMs)}.
`;
writeFileSync(join(ROOT, 'docs/benchmarks.md'), report);
console.log(report);
