/**
 * What every examples/* script does first: build and pack the kit as npm would publish it, and install an example
 * from its own lock file with the kit it names by path (`file:../../.artifacts/autumn-ai-credits.tgz`) — checked byte
 * for byte against the tarball just packed.
 *
 * The lock names the kit by path only: a tarball rebuilt on every run has no fixed integrity (with one, `npm ci`
 * fails EINTEGRITY on a fresh machine, or installs a stale copy from the npm cache), so an integrity `npm install`
 * wrote is dropped before `npm ci`.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const TARBALL = join(ROOT, '.artifacts', 'autumn-ai-credits.tgz');

export function run(command, args, cwd, { quiet = false, env } = {}) {
  return execFileSync(command, args, { cwd, env, stdio: ['ignore', quiet ? 'pipe' : 'inherit', 'inherit'], encoding: 'utf8' });
}

export const npm = (args, cwd) => run('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], cwd);
const sha = (file) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Builds (unless `--no-build` was given) and packs the kit into TARBALL. Returns the packed dist files. */
export function packKit(log) {
  if (!process.argv.includes('--no-build')) {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    log('built the kit');
  }
  const scratch = mkdtempSync(join(tmpdir(), 'autumn-ai-credits-pack-'));
  try {
    const [packed] = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], ROOT, { quiet: true }));
    mkdirSync(dirname(TARBALL), { recursive: true });
    copyFileSync(join(scratch, packed.filename), TARBALL);
    const files = packed.files.map((file) => file.path).filter((path) => path.startsWith('dist/'));
    return { filename: packed.filename, files };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** `npm ci` in `example` from its lock file, then makes sure its autumn-ai-credits is the tarball just packed. */
export function installExample(example, files, log) {
  const name = `examples/${basename(example)}`;
  const lockPath = join(example, 'package-lock.json');
  const lock = JSON.parse(readFileSync(lockPath, 'utf8'));
  const kitEntry = lock.packages?.['node_modules/autumn-ai-credits'];
  if (kitEntry?.integrity) {
    delete kitEntry.integrity;
    writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
    log(`dropped the kit tarball's integrity from ${name}/package-lock.json (\`npm install\` adds it; commit the file without it)`);
  }
  npm(['ci', '--prefer-offline'], example);
  const installed = join(example, 'node_modules', 'autumn-ai-credits');
  const stale = () => files.filter((path) => !existsSync(join(installed, path)) || sha(join(installed, path)) !== sha(join(ROOT, path)));
  if (stale().length > 0) {
    npm(['install', '--no-save', '--prefer-offline', TARBALL], example);
    if (stale().length > 0) throw new Error(`${name} did not install the packed kit: ${stale().slice(0, 5).join(', ')} differ`);
    log('npm ci kept an older kit: installed the tarball again');
  }
  return installed;
}
