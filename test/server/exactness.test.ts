/**
 * Exactness at scale: 10^6 random gateway costs priced by the meter and summed equal a BigInt reference to the last
 * credit unit; and a stream of charges through the stand-in leaves exactly the expected balance.
 */
import { describe, expect, it } from 'vitest';
import { createCreditMeter } from '../../src/server.js';
import { createAutumnStandIn } from '../../src/testing.js';
import { CreditTotal, sumCredits } from '../../src/core/money.js';
import { prng } from './fault/faulty-autumn.js';
import { Autumn, HTTPClient } from 'autumn-js';

/** Deterministic PRNG (mulberry32, shared with the fault double) so a failure can be reproduced. */
const random = prng;

/** A gateway-style cost string with 1..10 decimals, e.g. "0.0001545". */
function costString(next: () => number): { text: string; nanoUsd: bigint; decimals: number } {
  const decimals = 1 + Math.floor(next() * 10);
  const digits = BigInt(Math.floor(next() * 10 ** Math.min(decimals, 9)));
  const text = `0.${digits.toString().padStart(decimals, '0')}`;
  return { text, nanoUsd: digits, decimals };
}

describe('exactness over 10^6 random gateway costs', () => {
  it('the meter prices each one exactly; the sum matches a BigInt reference with no drift', () => {
    const meter = createCreditMeter({ autumn: {} as never });
    const next = random(20261125);
    const total = new CreditTotal();
    let naive = 0;
    let reference = 0n; // in 10^-6 credit units, each cost rounded up like the meter
    for (let i = 0; i < 1_000_000; i++) {
      const { text, nanoUsd, decimals } = costString(next);
      // credits = usd x 4000; in micro-credits = digits x 4000 x 10^6 / 10^decimals, rounded up
      const numerator = nanoUsd * 4000n * 1_000_000n;
      const denominator = 10n ** BigInt(decimals);
      const units = (numerator + denominator - 1n) / denominator;
      reference += units;
      const priced = meter.price({ providerMetadata: { gateway: { cost: text } } });
      total.add(priced.credits);
      naive += priced.credits;
    }
    expect(total.units).toBe(reference);
    // What the original design did (a float sum) is off; the kit's total isn't.
    expect(naive.toFixed(6)).not.toBe(total.toString());
  }, 60_000);

  it('1,000 charges through the stand-in leave exactly the expected balance', async () => {
    const standIn = createAutumnStandIn();
    standIn.seedCustomer('org', { planId: 'pro_monthly', remaining: 60_000 });
    const autumn = new Autumn({ secretKey: standIn.secretKey, serverURL: standIn.origin, failOpen: false, httpClient: new HTTPClient({ fetcher: standIn.fetch }) });
    const meter = createCreditMeter({ autumn, now: () => standIn.clock.now() });
    const next = random(7);
    const charged: number[] = [];
    for (let i = 0; i < 1_000; i++) {
      const record = await meter.charge({ customerId: 'org', providerMetadata: { gateway: { cost: costString(next).text } } });
      expect(record.billed).toBe(true);
      charged.push(record.credits);
    }
    // Past the grant Autumn shows overage as usage above granted (remaining floors at 0): usage is the exact sum.
    expect(standIn.balance('org').usage).toBe(sumCredits(charged));
    expect(standIn.balance('org').remaining).toBe(0);
  }, 60_000);
});
