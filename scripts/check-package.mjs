#!/usr/bin/env node
/**
 * `npm run check:package`: builds once, packs the tarball a user would install, and lints it with publint (strict:
 * warnings fail) and Are The Types Wrong (`--profile esm-only`: the package is ESM only, so CommonJS `require`
 * resolution is not checked). Pass --no-build to check the current dist/.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const bin = (name) => join(ROOT, 'node_modules/.bin', name);
const run = (command, args, options = {}) => execFileSync(command, args, { cwd: ROOT, stdio: 'inherit', ...options });

if (!process.argv.includes('--no-build')) run('npm', ['run', 'build', '--silent']);
const out = mkdtempSync(join(tmpdir(), 'autumn-ai-credits-pack-'));
try {
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', out], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }),
  );
  const tarball = join(out, packed[0].filename);
  console.log(`check:package: ${packed[0].filename}, ${packed[0].files.length} files, ${(packed[0].size / 1024).toFixed(1)} KB packed`);
  run(bin('publint'), ['run', tarball, '--strict']);
  // The stylesheets are not modules with types: attw would report them as unresolvable.
  run(bin('attw'), [tarball, '--profile', 'esm-only', '--exclude-entrypoints', './styles.css', './tailwind.css']);
} finally {
  rmSync(out, { recursive: true, force: true });
}
