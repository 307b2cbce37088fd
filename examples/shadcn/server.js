// @ts-check
// The app's backend, plain node:http: the built page (dist/) and autumn-js's own handler at /api/autumn/* (what
// <AutumnProvider> in src/components/credits/credits-provider.tsx talks to).
//
//   AUTUMN_SECRET_KEY=am_sk_... npm start      (AUTUMN_URL to use another Autumn, e.g. the kit's stand-in)
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { autumnHandler } from 'autumn-js/fetch';

const secretKey = process.env.AUTUMN_SECRET_KEY;
if (!secretKey) throw new Error('Set AUTUMN_SECRET_KEY');
const autumnURL = process.env.AUTUMN_URL; // unset: Autumn's own API
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';

/** The signed-in customer. A real app reads it from its session, never from the request. */
const customerIdOf = (/** @type {Request} */ _request) => process.env.DEMO_CUSTOMER_ID ?? 'user_1';

const autumn = autumnHandler({ identify: (request) => ({ customerId: customerIdOf(request) }), secretKey, autumnURL });

const DIST = resolve('dist');
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

/** The built page: a file of dist/, else index.html. */
async function page(/** @type {string} */ pathname) {
  const file = resolve(DIST, `.${decodeURIComponent(pathname)}`);
  const path = file.startsWith(DIST + sep) && extname(file) !== '' ? file : join(DIST, 'index.html');
  try {
    const type = TYPES[/** @type {keyof typeof TYPES} */ (extname(path))] ?? 'application/octet-stream';
    return new Response(await readFile(path), { headers: { 'content-type': type } });
  } catch {
    return new Response('Not found', { status: 404 });
  }
}

async function handle(/** @type {Request} */ request) {
  const { pathname } = new URL(request.url);
  if (pathname.startsWith('/api/autumn/')) return autumn(request);
  if (pathname.startsWith('/api/')) return new Response('Not found', { status: 404 });
  return page(pathname);
}

// node:http ⇄ fetch's Request/Response.
createServer(async (req, res) => {
  try {
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) for (const item of [value ?? []].flat()) headers.append(name, item);
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : Buffer.concat(chunks);
    const response = await handle(new Request(new URL(req.url ?? '/', `http://${req.headers.host}`), { method: req.method, headers, body }));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (error) {
    console.error(error);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  }
}).listen(port, host, () => console.log(`http://${host}:${port}`));
