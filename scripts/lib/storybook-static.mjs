/**
 * What the scripts that open the static Storybook share (`test:storybook-static`, `test:visual`): build it into
 * storybook-static/ unless `--no-build` was given, and serve those plain files on 127.0.0.1 (no dev server, exactly
 * what a static host would serve, MSW's service worker included).
 */
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const STORYBOOK_STATIC = join(ROOT, 'storybook-static');
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
};

/** Runs `npm run build-storybook` unless `--no-build` was given; either way checks the output is there. */
export function buildStorybookStatic(log) {
  if (!process.argv.includes('--no-build')) {
    execFileSync('npm', ['run', 'build-storybook', '--silent'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    log('built storybook-static/');
  }
  if (!existsSync(join(STORYBOOK_STATIC, 'index.html')) || !existsSync(join(STORYBOOK_STATIC, 'mockServiceWorker.js'))) {
    throw new Error('storybook-static/ lacks index.html or mockServiceWorker.js (run `npm run build-storybook`)');
  }
}

/** Serves storybook-static/ on 127.0.0.1 at a free port: `{ origin, close() }`. */
export async function serveStorybookStatic() {
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
    let file = join(STORYBOOK_STATIC, path);
    if (file.startsWith(STORYBOOK_STATIC) && existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!file.startsWith(STORYBOOK_STATIC) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return { origin: `http://127.0.0.1:${server.address().port}`, close: () => server.close() };
}

/** The entries of storybook-static/index.json in index order: the stories, and the docs pages with `{ docs: true }`. */
export function storyEntries({ docs = false } = {}) {
  const index = JSON.parse(readFileSync(join(STORYBOOK_STATIC, 'index.json'), 'utf8'));
  return Object.values(index.entries).filter((entry) => docs || entry.type === 'story');
}
