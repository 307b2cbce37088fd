/**
 * `startAutumnStandIn`: the stand-in on a real loopback HTTP server (Node only). `node:http` is loaded with a
 * dynamic import inside the function, so importing `autumn-ai-credits/testing` stays safe in a browser.
 *
 * Serves `/v1/*` and `/checkout/*` from the stand-in, and — when `identify` is given — autumn-js's own backend
 * handler (`autumnHandler` from `autumn-js/fetch`, pointed at this server) at `/api/autumn/*`, so a React
 * `<AutumnProvider backendUrl={url}>` talks to it exactly as it would to a real app backend.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isDroppedConnection } from './errors.js';
import { createStandInInternal } from './stand-in.js';
import type { RunningAutumnStandIn, StartAutumnStandInOptions } from './types.js';

const BACKEND_PREFIX = '/api/autumn';

function toHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.set(name, value);
  }
  return headers;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Lets a page on another origin (Storybook dev, a demo) call the server with credentials. */
function setCors(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  res.setHeader('access-control-allow-origin', origin ?? '*');
  if (origin) res.setHeader('access-control-allow-credentials', 'true');
  res.setHeader('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
  res.setHeader('access-control-allow-headers', req.headers['access-control-request-headers'] ?? '*');
  res.setHeader('vary', 'origin');
}

export async function startAutumnStandIn(options: StartAutumnStandInOptions = {}): Promise<RunningAutumnStandIn> {
  // A computed specifier keeps browser bundlers (Storybook, Vite) from trying to resolve node:http.
  const nodeHttp = 'node:http';
  const http = (await import(/* @vite-ignore */ nodeHttp)) as typeof import('node:http');
  const standIn = createStandInInternal(options);
  let backend: ((request: Request) => Promise<Response>) | undefined;

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setCors(req, res);
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort(new DOMException('The client went away', 'AbortError'));
    });
    try {
      const body = await readBody(req);
      const url = new URL(req.url ?? '/', standIn.origin);
      const method = req.method ?? 'GET';
      const request = new Request(url, {
        method,
        headers: toHeaders(req),
        ...(method === 'GET' || method === 'HEAD' ? {} : { body: new Uint8Array(body) }),
        signal: controller.signal,
      });
      const isBackend = url.pathname === BACKEND_PREFIX || url.pathname.startsWith(`${BACKEND_PREFIX}/`);
      let response: Response;
      if (isBackend) {
        response = backend
          ? await backend(request)
          : Response.json(
              { message: 'Start the stand-in with `identify` to serve /api/autumn/*', code: 'not_found', statusCode: 404 },
              { status: 404 },
            );
      } else {
        response = await standIn.handle(request);
      }
      const payload = Buffer.from(await response.arrayBuffer());
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name] = value;
      });
      res.writeHead(response.status, headers);
      res.end(payload);
    } catch (error) {
      if (controller.signal.aborted) return; // the client is gone; nothing to answer
      if (isDroppedConnection(error)) {
        req.socket.destroy();
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `Stand-in server failure: ${message}`, code: 'internal_error', env: 'sandbox' }));
    }
  }

  const server = http.createServer((req, res) => {
    void serve(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('Autumn stand-in: the server has no TCP address');
  const url = `http://127.0.0.1:${address.port}`;
  standIn.setOrigin(url);

  if (options.identify) {
    const identify = options.identify;
    const { autumnHandler } = await import('autumn-js/fetch');
    backend = autumnHandler({
      identify: (request) => identify(request),
      secretKey: standIn.secretKey,
      autumnURL: url,
    });
  }

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve, reject) => {
      standIn.abortPending();
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
    return closed;
  };

  const running = standIn as unknown as RunningAutumnStandIn & Record<string, unknown>;
  Object.defineProperties(running, {
    url: { value: url, enumerable: true },
    close: { value: close, enumerable: true },
  });
  return running;
}
