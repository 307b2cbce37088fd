/**
 * Set-up of the exactly-once tests: an in-process Autumn stand-in (fixed clock, no analytics lag), the fault double in
 * front of it, and a credit meter talking to the double through the kit's own client or the real autumn-js SDK.
 */
import { Autumn, HTTPClient } from 'autumn-js';
import { createCreditMeter, type CreditMeter, type CreditMeterOptions, type UnbilledCharge } from '../../../src/server/meter.js';
import { memoryOutbox, type OutboxStore } from '../../../src/server/outbox.js';
import { STAND_IN_EPOCH, createAutumnStandIn, type AutumnStandIn, type AutumnStandInOptions } from '../../../src/testing/stand-in/index.js';
import { createFaultyAutumn, type FaultyAutumn, type FaultyAutumnOptions } from './faulty-autumn.js';

export type ClientKind = 'kit' | 'sdk';

/** A retry policy for tests: the default number of attempts, without the waiting. */
export const FAST_RETRY = { attempts: 4, baseDelayMs: 1, maxDelayMs: 4 } as const;

export interface FaultEnv {
  readonly standIn: AutumnStandIn;
  readonly double: FaultyAutumn;
  readonly meter: CreditMeter;
  readonly outbox: OutboxStore;
  readonly unbilled: UnbilledCharge[];
  /** Another meter (another process) on the same Autumn and outbox. */
  another(options?: Partial<CreditMeterOptions>): CreditMeter;
}

export interface FaultEnvOptions {
  readonly client?: ClientKind;
  readonly double?: Omit<FaultyAutumnOptions, 'standIn'>;
  readonly meter?: Partial<CreditMeterOptions>;
  readonly standIn?: AutumnStandInOptions;
}

/** An autumn-js 1.3.13 client whose HTTP goes through `fetcher` (fail-open off: its placeholders hide outages). */
export function sdkOver(standIn: AutumnStandIn, fetcher: typeof fetch): Autumn {
  return new Autumn({ secretKey: standIn.secretKey, serverURL: standIn.origin, failOpen: false, httpClient: new HTTPClient({ fetcher }) });
}

export function faultEnv(options: FaultEnvOptions = {}): FaultEnv {
  const standIn = createAutumnStandIn({ now: STAND_IN_EPOCH, eventDelayMs: 0, ...options.standIn });
  const double = createFaultyAutumn({ standIn, ...options.double });
  const outbox = memoryOutbox(() => standIn.clock.now());
  const unbilled: UnbilledCharge[] = [];
  const make = (extra: Partial<CreditMeterOptions> = {}) =>
    createCreditMeter({
      ...(options.client === 'sdk'
        ? { autumn: sdkOver(standIn, double.fetch) }
        : { secretKey: standIn.secretKey, serverURL: standIn.origin, fetch: double.fetch }),
      retry: FAST_RETRY,
      timeoutMs: 50,
      replayAfterMs: 0,
      lockTtlMs: 60_000,
      now: () => standIn.clock.now(),
      outbox,
      onUnbilled: (charge) => void unbilled.push(charge),
      ...options.meter,
      ...extra,
    });
  return { standIn, double, meter: make(), outbox, unbilled, another: make };
}

/** Credits in integer micro-credits (the meter's 6 places), so sums are exact. */
export const micro = (credits: number): bigint => BigInt(Math.round(credits * 1e6));

/** What Autumn charged under a charge id (the `charge_id` property of the track), in micro-credits, and how often. */
export function charged(standIn: AutumnStandIn, customerId: string, chargeId: string): { micro: bigint; events: number } {
  let total = 0n;
  let events = 0;
  for (const event of standIn.events(customerId)) {
    if (event.properties.charge_id === chargeId) {
      total += micro(event.value);
      events += 1;
    }
  }
  return { micro: total, events };
}

/** Usage in micro-credits (what the customer has used: grants, overage, and anything a lock still holds). */
export const usage = (standIn: AutumnStandIn, customerId: string): bigint => micro(standIn.balance(customerId).usage);

/** A gateway-priced step: `usd` × 4,000 credits. */
export function gatewayStep(usd: string, model = 'openai/gpt-5-mini') {
  return { model, usage: { inputTokens: 100, outputTokens: 50 }, providerMetadata: { gateway: { cost: usd } } };
}

/** Collects unhandled rejections while `run` runs (and a few ticks after), then returns them. */
export async function unhandledRejectionsDuring(run: () => Promise<unknown>, settleMs = 50): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => void seen.push(reason);
  process.on('unhandledRejection', listener);
  try {
    await run();
    await new Promise((resolve) => setTimeout(resolve, settleMs));
  } finally {
    process.off('unhandledRejection', listener);
  }
  return seen;
}

export const ORG = 'org_acme';
export { STAND_IN_EPOCH };
