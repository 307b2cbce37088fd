/**
 * Size budgets (`npm run size`, after `npm run build`): minified + gzipped, measured by bundling dist/ with esbuild
 * the way an app's bundler would, tree-shaking what an import does not use.
 *
 * "Own code" budgets leave out the peers (React, React DOM, autumn-js) AND the runtime dependencies an app shares
 * with shadcn/ui (Radix, class-variance-authority, clsx, tailwind-merge): that is what this kit adds. The
 * "with dependencies" rows show the full cost to an app that has none of them yet.
 *
 * GOALS NOT MET. Issue 6 asks for the React entry ≤ 10 KB and MessageCostBadge alone ≤ 2.5 KB. Measured: 17.5 KB and
 * 3.0 KB (docs/benchmarks.md says what the code is and what reaching the goals would cost). The limits below are
 * regression guards at today's size plus a little, so `.ci/run` fails when the kit grows; they are not the goals.
 * The badge's "with dependencies" limit also keeps Radix Tooltip and Floating UI out of its initial load.
 * The React entry guard moved once on purpose, 17.4 → 17.6 KB (17.0 → 17.5 measured): `UsageBreakdown` shows charges
 * that Autumn's usage aggregates do not hold yet (its events lag seconds behind the balance), issue 15.
 *
 * `autumn-ai-credits/autumn` (issue 14) holds `AutumnCreditsProvider`, the autumn-js/react source that left the React
 * entry so that entry never imports autumn-js (17.48 → 17.39 KB measured). Its own row counts the shared store, core
 * and formatters it reaches (5.27 KB measured alone); an app on autumn-js/react loads both entries, which share those
 * modules: the "React entry + autumn entry" row (17.87 KB measured, +0.48 KB over the React entry alone). Both guards
 * are today's figures.
 * The "React entry + autumn entry" guard moved once on purpose, 17.9 → 17.95 KB (17.88 → 17.93 measured; the React
 * entry alone 17.41 → 17.46): the kit's colour classes are namespaced (`bg-credits-primary`, issue 13) so they never
 * collide with a Tailwind app's own `bg-primary`: 74 class tokens, 8 characters longer each.
 *
 * Issue 13 moved four guards on purpose (measured before → after, all own code): React entry 17.49 → 17.79 KB (17.6 →
 * 17.8), React + autumn 17.96 → 18.28 KB (17.95 → 18.3), autumn entry 5.28 → 5.38 KB (5.3 → 5.4), the badge's tooltip
 * chunk 4.9 → 5.25 KB (5.2 → 5.3). What the bytes buy: the badge opening on one hover, on focus and on a tap (touch
 * had no way to see a cost; the hover timer lives in the lazy chunk, so the badge alone stays under its 3.1 KB guard
 * at 3.09), locale/time-zone defaults that make server and browser HTML agree (`timeZone` through the providers), and
 * the shortfall with `persistFreeOverage`. The 'use client' split of issue 13 cost nothing measurable.
 *
 * The visual-review fixes moved four guards (measured before → after, own code): React entry 17.79 → 17.97 KB (17.8 →
 * 18.0), React + autumn 18.28 → 18.46 KB (18.3 → 18.5), autumn entry 5.38 → 5.42 KB (5.4 → 5.45), the tooltip chunk
 * 5.35 → 5.39 KB (5.3 → 5.4; it was already 5.35 after the badge's close-on-move fix, 7024846). What the bytes buy: the
 * year on a date outside the current year (two more Intl.DateTimeFormat per locale: ~45 B, in every entry that builds
 * formatters), the balance's details as separate items whose separators never dangle on a wrap (~45 B), the meter's
 * 3:1 edge, the breakdown's percent column, the unlimited balance without "Top up", the estimate's shortfall on its
 * own line. The badge alone stays under its 3.1 KB guard (3.099).
 *
 * Issue 16 (composable parts and a registry) moved the entry guards and added one per component (own code, measured
 * before → after with size-limit). Every component alone got SMALLER, which is what an app pays: CreditBalance 8.21 →
 * 6.54 KB and LowCreditWarning 4.90 → 3.06 KB (they load the top-up dialog on first open; the warning no longer loads
 * Radix Dialog up front), CreditTopUpDialog 4.03 → 3.90, CreditEstimate 3.96 → 3.34, UsageBreakdown 5.63 → 5.03,
 * CreditsProvider 5.40 → 5.07, the badge 3.08 → 2.90 (and 5.40 → 5.28 after the first hover), the autumn entry 5.42 →
 * 5.09: the parts were paid for by components that stopped loading the default plans and the throwing money API for
 * display (useCreditFormatters, tryCreditsToUsd, the non-throwing decimal core). The `import *` of the React entry grew
 * 17.97 → 20.18 KB (React + autumn 18.45 → 20.68; with dependencies now 43.14, over its old 42 KB guard) because it now exports ~75 parts,
 * their hooks and the registry's building blocks (the badge's detail parts alone +0.7 KB: they were only in the lazy
 * tooltip chunk): a figure no app pays, since an app imports what it renders. The per-component rows below guard what
 * apps pay.
 */
/*
 * Issue 17 (spend controls) moved these guards on purpose (own code, size-limit): CreditBalance 6.55 → 6.7 KB and
 * LowCreditWarning 3.1 → 3.25 KB (measured 6.54 → 6.69 and 3.06 → 3.23) for the "Tops up 40,000 at 2,000 or less"
 * line an optional `autoTopUp` prop turns on; the server entry 18.2 → 19.6 KB (18.08 → 19.56: capped charges read
 * from the track's deductions and their remainder billed after the lock's release, the spend limit's percent of the
 * main plan's allowance). New components have their own
 * guards: UsageChart 8.79 KB (plain SVG, no chart library), AutoTopUpSettings 9.21 KB and SpendLimits 10.97 KB (of
 * which ~2 KB is the core's validation of billing controls, shared). The React entry's `import *` grew 20.18 → 37.35 KB
 * (with dependencies 43.14 → 60.36, with the autumn entry 20.68 → 37.87): the three new components and the billing
 * controls' core, exported from the root; an app pays for the ones it renders (the rows above).
 */
/** The goals of issue 6, in KB: printed by `npm run bench` against the measured figures. */
const GOALS = { reactEntry: 10, messageCostBadge: 2.5 };
const PEERS = ['react', 'react-dom', 'react/jsx-runtime', 'react-dom/client', 'autumn-js', 'autumn-js/react', 'autumn-js/fetch', 'msw', 'msw/browser', 'msw/node'];
const DEPENDENCIES = [
  '@radix-ui/react-dialog',
  '@radix-ui/react-slot',
  '@radix-ui/react-tooltip',
  'class-variance-authority',
  'clsx',
  'tailwind-merge',
];

/**
 * What an import costs up front: chunks it loads with `import()` (the cost badge's tooltip, fetched on the first
 * hover or focus) stay out, the way an app's bundler splits them off; the "after the first hover" rows count them in.
 */
const lazyChunksApart = {
  name: 'lazy-chunks-apart',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => (args.kind === 'dynamic-import' ? { path: args.path, external: true } : undefined));
  },
};
const INITIAL_ONLY = {
  modifyEsbuildConfig: (config) => ({ ...config, plugins: [...(config.plugins ?? []), lazyChunksApart] }),
};

module.exports = Object.assign([
  { name: 'React entry, own code', path: 'dist/index.js', import: '*', gzip: true, ignore: [...PEERS, ...DEPENDENCIES], limit: '37.4 KB', ...INITIAL_ONLY },
  { name: 'MessageCostBadge alone, own code', path: 'dist/index.js', import: '{ MessageCostBadge }', gzip: true, ignore: [...PEERS, ...DEPENDENCIES], limit: '2.95 KB', ...INITIAL_ONLY },
  { name: 'MessageCostBadge after the first hover (+ tooltip chunk), own code', path: 'dist/index.js', import: '{ MessageCostBadge }', gzip: true, ignore: [...PEERS, ...DEPENDENCIES], limit: '5.3 KB' },
  // What an app that renders one component pays for it up front (issue 16).
  ...[
    ['CreditsProvider', '5.1 KB'],
    ['CreditBalance', '6.7 KB'],
    ['LowCreditWarning', '3.25 KB'],
    ['CreditTopUpDialog', '3.95 KB'],
    ['CreditEstimate', '3.35 KB'],
    ['UsageBreakdown', '5.05 KB'],
    // Issue 17: plain SVG, no chart library (8.78 KB measured; 17.5 KB with its dependencies, the kit's usual cva/clsx/tailwind-merge).
    ['UsageChart', '8.8 KB'],
    ['AutoTopUpSettings', '9.3 KB'],
    ['SpendLimits', '11.0 KB'],
  ].map(([component, limit]) => ({ name: `${component} alone, own code`, path: 'dist/index.js', import: `{ ${component} }`, gzip: true, ignore: [...PEERS, ...DEPENDENCIES], limit, ...INITIAL_ONLY })),
  { name: 'React entry, with dependencies', path: 'dist/index.js', import: '*', gzip: true, ignore: PEERS, limit: '60.4 KB', ...INITIAL_ONLY },
  { name: 'MessageCostBadge alone, with dependencies', path: 'dist/index.js', import: '{ MessageCostBadge }', gzip: true, ignore: PEERS, limit: '13 KB', ...INITIAL_ONLY },
  { name: 'MessageCostBadge after the first hover (+ tooltip chunk), with dependencies', path: 'dist/index.js', import: '{ MessageCostBadge }', gzip: true, ignore: PEERS, limit: '36 KB' },
  { name: 'Autumn entry (autumn-ai-credits/autumn), own code', path: 'dist/autumn.js', import: '*', gzip: true, ignore: [...PEERS, ...DEPENDENCIES], limit: '5.1 KB' },
  { name: 'React entry + autumn entry, own code', path: ['dist/index.js', 'dist/autumn.js'], import: { 'dist/index.js': '*', 'dist/autumn.js': '{ AutumnCreditsProvider }' }, gzip: true, ignore: [...PEERS, ...DEPENDENCIES], limit: '37.9 KB', ...INITIAL_ONLY },
  // Moved on purpose, 12 → 13.6 KB (8.8 → 13.5 KB measured): the exactly-once protocol of issue 12 — the kit's own
  // Autumn client (deadlines, no fail-open, keyed charges), the write-ahead outbox and its Redis adapter, and the
  // fixes its fault tests found. Server code: never in a browser bundle.
  // Moved on purpose again, 13.6 → 18.2 KB (13.5 → 18.08 KB measured), issue 17's spend controls: the controls'
  // model and validation with a message per field (core, ~1.9 KB), createBillingControls with the mapping to and from
  // Autumn's billing_controls, the SDK's camelCase both ways and which limit refused a reservation (~2.2 KB), the
  // meter's member and refusal reason (~0.5 KB). Still far from mattering to an edge runtime (1 MB on Workers).
  { name: 'Server entry', path: 'dist/server.js', import: '*', gzip: true, ignore: PEERS, limit: '19.6 KB' },
  { name: 'styles.css', path: 'dist/styles.css', gzip: true, limit: '10 KB' },
], { GOALS, lazyChunksApart });
