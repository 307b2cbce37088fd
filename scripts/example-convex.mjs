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
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const EXAMPLE = join(ROOT, 'examples', 'convex');
const TARBALL = join(ROOT, '.artifacts', 'autumn-ai-credits.tgz');
const started = Date.now();

function log(message) {
  console.log(`example-convex: ${message} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

function run(command, args, cwd, { quiet = false } = {}) {
  return execFileSync(command, args, { cwd, stdio: ['ignore', quiet ? 'pipe' : 'inherit', 'inherit'], encoding: 'utf8' });
}

const npm = (args, cwd) => run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], cwd);
const sha = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

// 1. Build and pack what npm would publish.
if (!process.argv.includes('--no-build')) {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  log('built the kit');
}
const scratch = mkdtempSync(join(tmpdir(), 'autumn-ai-credits-pack-'));
let files;
try {
  const [packed] = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], ROOT, { quiet: true }));
  mkdirSync(dirname(TARBALL), { recursive: true });
  copyFileSync(join(scratch, packed.filename), TARBALL);
  files = packed.files.map((file) => file.path).filter((path) => path.startsWith('dist/'));
  const peer = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).peerDependencies?.['autumn-js'] ?? '';
  if (!/\^0\.1/.test(peer)) throw new Error(`the kit's autumn-js peer range is "${peer}": @useautumn/convex needs autumn-js 0.1.x beside it`);
  log(`packed ${packed.filename} → .artifacts/autumn-ai-credits.tgz (${files.length} dist files, autumn-js peer "${peer}")`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

// 2. Install from the example's lock file. The lock names the kit by path only: a tarball rebuilt on every run has no
//    fixed integrity (with one, `npm ci` fails EINTEGRITY on a fresh machine, or installs a stale copy from the cache).
const lockPath = join(EXAMPLE, 'package-lock.json');
const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
const kitEntry = lock.packages?.['node_modules/autumn-ai-credits'];
if (kitEntry?.integrity) {
  delete kitEntry.integrity;
  writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
  log('dropped the kit tarball\'s integrity from examples/convex/package-lock.json (`npm install` adds it; commit the file without it)');
}
npm(['ci', '--prefer-offline'], EXAMPLE);
const installed = join(EXAMPLE, 'node_modules', 'autumn-ai-credits');
const stale = () => files.filter((path) => !existsSync(join(installed, path)) || sha(join(installed, path)) !== sha(join(ROOT, path)));
if (stale().length > 0) {
  npm(['install', '--no-save', '--prefer-offline', TARBALL], EXAMPLE);
  if (stale().length > 0) throw new Error(`examples/convex did not install the packed kit: ${stale().slice(0, 5).join(', ')} differ`);
  log('npm ci kept an older kit: installed the tarball again');
}
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
