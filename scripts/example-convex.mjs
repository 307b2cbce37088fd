#!/usr/bin/env node
/**
 * The Convex example (examples/convex), proven against the kit as it would be published:
 *
 * 1. `npm run build`, then `npm pack` into `.artifacts/autumn-ai-credits.tgz` — the `file:` dependency of
 *    examples/convex/package.json;
 * 2. `npm ci` in examples/convex (its own lock file: convex, @convex-dev/agent, @useautumn/convex + autumn-js 0.1.85,
 *    autumn-js 1.3.13 under an alias, ai 7, convex-test, vitest…), then makes sure the kit it installed is the tarball
 *    just packed (byte for byte, every dist file), installing the tarball again if not;
 * 3. type-checks the example (tsc, its own TypeScript) and runs its tests (vitest: convex-test with the real packages
 *    against the kit's Autumn stand-in, and the React components in jsdom), printing the runner's summary.
 *
 * Needs no network but the npm registry. `--no-build` packs the current dist/ (after `npm run build` in the same CI
 * run). Usage: node scripts/example-convex.mjs [--no-build]
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { installExample, packKit, ROOT, run } from './lib/example-kit.mjs';

const EXAMPLE = join(ROOT, 'examples', 'convex');
const started = Date.now();

function log(message) {
  console.log(`example-convex: ${message} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

// 1. Build and pack what npm would publish.
const { filename, files } = packKit(log);
const peer = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).peerDependencies?.['autumn-js'] ?? '';
if (!/\^0\.1/.test(peer)) throw new Error(`the kit's autumn-js peer range is "${peer}": @useautumn/convex needs autumn-js 0.1.x beside it`);
log(`packed ${filename} → .artifacts/autumn-ai-credits.tgz (${files.length} dist files, autumn-js peer "${peer}")`);

// 2. Install from the example's lock file, the kit checked against the tarball just packed.
installExample(EXAMPLE, files, log);
log('installed examples/convex with npm ci; its autumn-ai-credits is the tarball just packed');

// 3. Type-check and test.
run(process.execPath, [join(EXAMPLE, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.json'], EXAMPLE);
log('type-checked examples/convex (tsc)');
const tests = spawnSync(process.execPath, [join(EXAMPLE, 'node_modules/vitest/vitest.mjs'), 'run'], { cwd: EXAMPLE, stdio: 'inherit' });
if (tests.status !== 0) {
  log(`tests FAILED (exit ${tests.status})`);
  process.exit(tests.status ?? 1);
}
log('OK');
