/**
 * The conformance suite's harness: each scenario is ported from Autumn's own server tests or request schemas
 * (useautumn/autumn) and runs against the stand-in on a loopback server through the REAL autumn-js 1.3.13 client
 * (fail-open off, so every answer goes through the SDK's own parsers). Raw requests are used only for what the SDK
 * cannot send (malformed bodies, headers, fields its types do not have).
 *
 * A scenario names where its expectation comes from: `scenario('L10', 'server/tests/.../x.test.ts — "OB-3 ..."', ...)`.
 * Expectations are Autumn's, never the stand-in's: a scenario that fails is a bug in the stand-in.
 */
import { it } from 'vitest';
import { defaultCreditsConfig, type CreditPlan, type CreditsConfig } from '../../src/core/config.js';
import { post, rejection, sdk, useStandIn } from '../testing/helpers.js';
import type { RunningAutumnStandIn, StartAutumnStandInOptions } from '../../src/testing.js';

export { post, rejection, sdk };

/** The credit feature every scenario uses (Autumn's tests use `messages`; the kit's feature is `ai_credits`). */
export const FEATURE = defaultCreditsConfig.featureId;

/** A customer id per scenario keeps state apart even inside one test. */
export const CUSTOMER = 'cus_conformance';

/**
 * Plans shaped like the fixtures of Autumn's tests: `free20`/`free15`/`free50`/`free100` are free monthly grants
 * with no price (overage not allowed: `items.monthlyMessages`), `consumable100` has a usage-based price
 * (`items.consumableMessages`: overage allowed), `topup` a one-off prepaid pack.
 */
const plan = (id: string, credits: number, extra: Partial<CreditPlan> = {}): CreditPlan => ({
  id,
  name: id,
  kind: 'free',
  price: 0,
  credits,
  interval: 'month',
  ...extra,
});

export const CONFORMANCE_CONFIG: CreditsConfig = {
  ...defaultCreditsConfig,
  plans: [
    plan('free20', 20, { isDefault: true }),
    plan('free15', 15),
    plan('free50', 50),
    plan('free100', 100),
    plan('free1000', 1000),
    plan('lifetime100', 100, { interval: 'one_off' }),
    plan('consumable100', 100, { kind: 'subscription', price: 10, overagePricePerCredit: 0.5 }),
    { id: 'topup', name: 'Top-up', kind: 'top_up', price: 10, credits: 50, interval: 'one_off' },
  ],
  topUps: [],
};

/** One stand-in per file on the conformance plans, reset between scenarios; events visible as on Autumn (delayed). */
export function useConformance(options: StartAutumnStandInOptions = {}) {
  return useStandIn({ config: CONFORMANCE_CONFIG, ...options });
}

/**
 * A scenario ported from Autumn. `source` cites the file (and test name) the expectation comes from; it is part of
 * the test's name, so a failure says where to read Autumn's truth.
 */
export function scenario(id: string, source: string, title: string, fn: () => Promise<void> | void, timeout?: number): void {
  it(`${id} ${title} — ${source}`, fn, timeout);
}

/** Seeds a customer on one of the conformance plans, with prior usage on the plan grant. */
export function seed(standIn: RunningAutumnStandIn, planId: string, options: { usage?: number; topUpCredits?: number; id?: string } = {}): string {
  const id = options.id ?? CUSTOMER;
  standIn.seedCustomer(id, {
    planId,
    ...(options.usage === undefined ? {} : { usage: options.usage }),
    ...(options.topUpCredits === undefined ? {} : { topUpCredits: options.topUpCredits }),
  });
  return id;
}

/** Autumn's tests wait ~3 s (or poll) before reading events; the stand-in's `flush()` is that wait. */
export function waitForEvents(standIn: RunningAutumnStandIn): void {
  standIn.flush();
}
