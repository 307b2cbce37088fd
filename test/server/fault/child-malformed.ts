/**
 * Run by `exactly-once.test.ts` in a CHILD Node process (bundled with esbuild first), under Node's default
 * `--unhandled-rejections=throw`: an unhandled rejection anywhere — in the meter, its client or autumn-js — ends the
 * process with exit code 1. The double answers a malformed 200 on every check and every track.
 *
 *   node child.mjs kit   — the meter on the kit's own client (`autumnHttpClient({ fetch })`)
 *   node child.mjs sdk   — the meter on the real autumn-js 1.3.13 client (`fromAutumnSdk`, HTTPClient({ fetcher }))
 *   node child.mjs sdk-checked — the same SDK, its fetcher wrapped in `jsonCheckingFetcher`
 *
 * Prints one JSON line per step ({ step, error, kind, billed, outbox }) and `done`, then waits a moment so that a late
 * rejection has the time to end the process before it exits by itself.
 */
import { Autumn, HTTPClient } from 'autumn-js';
import { AutumnCallError } from '../../../src/server/autumn-http.js';
import { createCreditMeter } from '../../../src/server/meter.js';
import { STAND_IN_EPOCH, createAutumnStandIn } from '../../../src/testing/stand-in/index.js';
import { jsonCheckingFetcher } from './checked-fetcher.js';
import { createFaultyAutumn } from './faulty-autumn.js';

const mode = process.argv[2];
const ORG = 'org_child';
const standIn = createAutumnStandIn({ now: STAND_IN_EPOCH, eventDelayMs: 0 });
standIn.seedCustomer(ORG, { remaining: 8000 });
const double = createFaultyAutumn({ standIn, seed: 7 });
const malformed = Array.from({ length: 16 }, () => 'malformed-200' as const);
double.script('balances.check', ...malformed);
double.script('balances.track', ...malformed);

const meter = createCreditMeter({
  ...(mode === 'sdk' || mode === 'sdk-checked'
    ? {
        autumn: new Autumn({
          secretKey: standIn.secretKey,
          serverURL: standIn.origin,
          failOpen: false,
          httpClient: new HTTPClient({ fetcher: mode === 'sdk' ? double.fetch : jsonCheckingFetcher(double.fetch) }),
        }),
      }
    : { secretKey: standIn.secretKey, serverURL: standIn.origin, fetch: double.fetch }),
  retry: { attempts: 4, baseDelayMs: 1, maxDelayMs: 2 },
  timeoutMs: 200,
  replayAfterMs: 0,
  now: () => standIn.clock.now(),
});

function describe(error: unknown) {
  const cause = (error as { cause?: unknown }).cause;
  return {
    error: error instanceof Error ? error.name : String(error),
    code: (error as { code?: unknown }).code,
    kind: cause instanceof AutumnCallError ? cause.kind : null,
  };
}

const reserveError = await meter.reserve({ customerId: ORG, credits: 10, id: 'child_reserve' }).then(
  () => null,
  (error: unknown) => error,
);
console.log(JSON.stringify({ step: 'reserve', ...describe(reserveError) }));

const cost = await meter.charge({ customerId: ORG, id: 'child_charge', usd: '0.001' });
const outbox = await meter.unbilled();
console.log(JSON.stringify({ step: 'charge', billed: cost.billed, outbox: outbox.map((entry) => entry.reason) }));

await new Promise((resolve) => setTimeout(resolve, 300));
console.log('done');
