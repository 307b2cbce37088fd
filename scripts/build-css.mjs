#!/usr/bin/env node
/**
 * `npm run build:css`: the kit's two stylesheets, from one source (src/styles/kit.css).
 *
 * - dist/styles.css: src/styles/index.css compiled by the Tailwind CLI (theme, the components' utilities, kit.css),
 *   minified, for apps without Tailwind.
 * - dist/tailwind.css: src/styles/tailwind.css as source, for the app's own Tailwind v4 to compile, with kit.css
 *   inlined (one file to resolve) and its `@source` pointed at the built components beside it in dist/.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const STYLES = join(ROOT, 'src', 'styles');
const DIST = join(ROOT, 'dist');

execFileSync(
  join(ROOT, 'node_modules', '.bin', 'tailwindcss'),
  ['-i', join(STYLES, 'index.css'), '-o', join(DIST, 'styles.css'), '--minify', '--silent'],
  { cwd: ROOT, stdio: 'inherit' },
);

const IMPORT_KIT = '@import "./kit.css";';
/** The source's `@source`, relative to src/styles/, and the built one, relative to dist/tailwind.css. */
const SOURCE = '@source "../react";';
const BUILT_SOURCE = '@source "./react/**/*.js";';

const tailwind = readFileSync(join(STYLES, 'tailwind.css'), 'utf8');
if (!tailwind.includes(IMPORT_KIT) || !tailwind.includes(SOURCE)) {
  throw new Error(`build:css: src/styles/tailwind.css must hold \`${IMPORT_KIT}\` and \`${SOURCE}\``);
}
const kit = readFileSync(join(STYLES, 'kit.css'), 'utf8');
writeFileSync(join(DIST, 'tailwind.css'), tailwind.replace(IMPORT_KIT, kit.trim()).replace(SOURCE, BUILT_SOURCE));
