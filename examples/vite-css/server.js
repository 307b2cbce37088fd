// @ts-check
// The app's backend, plain node:http: the built page (dist/), autumn-js's own handler at /api/autumn/* (what
// <AutumnProvider> talks to), and /api/chat, a (simulated) model call metered through autumn-ai-credits/server.
//
//   AUTUMN_SECRET_KEY=am_sk_... npm start      (AUTUMN_URL to use another Autumn, e.g. the kit's stand-in)
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { autumnHandler } from 'autumn-js/fetch';
import { BillingUnavailableError, InsufficientCreditsError, createCreditMeter } from 'autumn-ai-credits/server';
import { credits } from './credits.js';

const secretKey = process.env.AUTUMN_SECRET_KEY;
if (!secretKey) throw new Error('Set AUTUMN_SECRET_KEY');
const autumnURL = process.env.AUTUMN_URL; // unset: Autumn's own API
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';

/** The signed-in customer. A real app reads it from its session, never from the request body. */
const customerIdOf = (/** @type {Request} */ _request) => process.env.DEMO_CUSTOMER_ID ?? 'user_1';

const autumn = autumnHandler({ identify: (request) => ({ customerId: customerIdOf(request) }), secretKey, autumnURL });
const meter = createCreditMeter({ secretKey, serverURL: autumnURL, config: credits });

const MODEL = 'openai/gpt-5-mini';

/** POST /api/chat: reserve before the model runs, settle with the gateway's cost after; answers the settled cost. */
async function chat(/** @type {Request} */ request) {
  const { message = '' } = /** @type {{ message?: string }} */ (await request.json().catch(() => ({})));
  let reservation;
  try {
    reservation = await meter.reserve({
      customerId: customerIdOf(request),
      model: MODEL,
      prompt: message,
      maxOutputTokens: 4096, // the reply below stays within it
      properties: { thread_id: 'demo' }, // usage per thread, for UsageBreakdown
    });
  } catch (error) {
    if (error instanceof InsufficientCreditsError) return Response.json(error.toJSON(), { status: 402 });
    if (error instanceof BillingUnavailableError) return Response.json({ error: { code: 'billing_unavailable' } }, { status: 503 });
    throw error;
  }
  // The simulated model call: what an AI SDK step through the Vercel AI Gateway reports.
  const step = {
    model: MODEL,
    usage: { inputTokens: 1200, outputTokens: 2400, totalTokens: 3600 },
    providerMetadata: { gateway: { cost: '0.0123' } },
  };
  const cost = await reservation.settle(step);
  return Response.json({ text: `You said "${message}". Here is a simulated answer.`, cost });
}

/** GET /api/usage: credits per thread for UsageBreakdown (Autumn's aggregates lag a few seconds). */
async function usage(/** @type {Request} */ request) {
  const rows = await meter.usageByThread({ customerId: customerIdOf(request), range: '30d' });
  return Response.json(rows.map((row) => ({ id: row.threadId, label: row.threadId === 'demo' ? 'This chat' : row.threadId, credits: row.credits })));
}

const DIST = resolve('dist');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

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
  if (pathname === '/api/chat' && request.method === 'POST') return chat(request);
  if (pathname === '/api/usage') return usage(request);
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
