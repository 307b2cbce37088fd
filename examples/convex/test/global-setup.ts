/**
 * Starts the kit's Autumn stand-in (`startAutumnStandIn` from `autumn-ai-credits/testing`, out of the packed tarball)
 * on 127.0.0.1 for the whole run. The Convex functions reach it over HTTP exactly as they would reach Autumn:
 * `@useautumn/convex` → autumn-js 0.1.85 → `fetch(AUTUMN_URL + '/check')`…
 *
 * Test files run in worker processes and cannot hold the stand-in object, so a second loopback server exposes its test
 * helpers (seed a customer, read a balance or events, flush Autumn's event lag, faults, complete a checkout) as
 * `POST /<method>` with a JSON array of arguments — see `test/stand-in.ts`.
 */
import { createServer, type Server } from 'node:http';
import type { TestProject } from 'vitest/node';
import { startAutumnStandIn, type RunningAutumnStandIn, type StandInFault } from 'autumn-ai-credits/testing';

declare module 'vitest' {
  export interface ProvidedContext {
    autumn: { url: string; secretKey: string; control: string };
  }
}

type Helper = (standIn: RunningAutumnStandIn, ...args: any[]) => unknown;

const HELPERS: Record<string, Helper> = {
  seedCustomer: (s, id: string, seed?: object) => s.seedCustomer(id, seed),
  balance: (s, id: string) => s.balance(id),
  events: (s, id: string) => s.events(id),
  flush: (s) => s.flush(),
  checkouts: (s) => s.checkouts(),
  completeCheckout: (s, url: string) => s.completeCheckout(url),
  injectFault: (s, route: string, fault: StandInFault, options?: { times?: number } | null) => void s.faults.inject(route, fault, options ?? {}),
  clearFaults: (s) => s.faults.clear(),
};

export default async function setup(project: TestProject) {
  const standIn = await startAutumnStandIn();
  const control: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const helper = HELPERS[(req.url ?? '').slice(1)];
      try {
        if (!helper) throw new Error(`no stand-in helper ${req.url}`);
        const result = helper(standIn, ...(body ? (JSON.parse(body) as unknown[]) : []));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ result: result ?? null }));
      } catch (error) {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
      }
    });
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));
  const address = control.address();
  if (!address || typeof address === 'string') throw new Error('control server has no port');
  project.provide('autumn', { url: standIn.url, secretKey: standIn.secretKey, control: `http://127.0.0.1:${address.port}` });
  return async () => {
    await new Promise<void>((resolve) => control.close(() => resolve()));
    await standIn.close();
  };
}
