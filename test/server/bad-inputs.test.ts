/**
 * Bad input never crashes the host, never bills NaN, and is never silently unbilled: a malformed gateway cost falls
 * back to token prices (and says so), and what cannot be priced at all goes to `onUnbilled`.
 */
import { describe, expect, it } from 'vitest';
import { createCreditMeter, type UnbilledCharge } from '../../src/server.js';
import { useStandIn } from '../testing/helpers.js';

const ORG = 'org_bad';
const env = useStandIn();
const MODEL = 'openai/gpt-5-mini';
const USAGE = { inputTokens: 1000, outputTokens: 500 };
/** gpt-5-mini: 1000 x $0.25/M + 500 x $2/M = $0.00125 = 5 credits. */
const TOKEN_PRICE_CREDITS = 5;

function setUp() {
  env.standIn.seedCustomer(ORG, { remaining: 8000 });
  const unbilled: UnbilledCharge[] = [];
  const meter = createCreditMeter({
    autumn: env.autumn,
    retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
    replayAfterMs: 0,
    now: () => env.standIn.clock.now(),
    onUnbilled: (charge) => void unbilled.push(charge),
  });
  return { meter, unbilled };
}

/** Gateway costs that must not be trusted: the call is priced by tokens instead. */
const MALFORMED_COSTS: ReadonlyArray<[string, unknown]> = [
  ['a word', 'abc'],
  ['an empty string', ''],
  ['blanks', '   '],
  ['a negative', '-1'],
  ['a negative number', -0.5],
  ['"NaN"', 'NaN'],
  ['NaN', Number.NaN],
  ['"Infinity"', 'Infinity'],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['-Infinity', Number.NEGATIVE_INFINITY],
  ['hex', '0x10'],
  ['two dots', '0.1.2'],
  ['a currency sign', '$0.01'],
  ['a comma decimal', '0,01'],
  ['trailing garbage', '0.01abc'],
  ['an object', { amount: '0.01' }],
  ['an array', ['0.01']],
  ['a boolean', true],
  ['a bigint-looking string', '1n'],
  ['a huge exponent', '1e400'],
];

describe('given a malformed gateway cost', () => {
  it.each(MALFORMED_COSTS)('%s: prices by token rates instead, billed', async (_name, cost) => {
    const { meter, unbilled } = setUp();
    const record = await meter.charge({ customerId: ORG, model: MODEL, usage: USAGE, providerMetadata: { gateway: { cost } } });
    expect(record).toMatchObject({ credits: TOKEN_PRICE_CREDITS, source: 'token-rates', billed: true });
    expect(unbilled).toEqual([]);
    expect(env.standIn.balance(ORG).remaining).toBe(8000 - TOKEN_PRICE_CREDITS);
  });
});

/** Gateway costs that are odd but valid. */
const ODD_VALID_COSTS: ReadonlyArray<[string, unknown, number]> = [
  ['a tiny exponent "1e-12" (rounds up to the smallest credit unit)', '1e-12', 0.000001],
  ['zero', '0', 0],
  ['"0.0"', '0.0', 0],
  ['a number', 0.0001545, 0.618],
  ['leading/trailing blanks', ' 0.0001545 ', 0.618],
  ['an exponent', '1.545e-4', 0.618],
  ['many decimals', '0.000154500000000000001', 0.618001],
];

describe('given an odd but valid gateway cost', () => {
  it.each(ODD_VALID_COSTS)('%s', async (_name, cost, credits) => {
    const { meter, unbilled } = setUp();
    const record = await meter.charge({ customerId: ORG, model: MODEL, usage: USAGE, providerMetadata: { gateway: { cost } } });
    expect(record).toMatchObject({ credits, source: 'gateway', billed: true });
    expect(unbilled).toEqual([]);
    expect(env.standIn.balance(ORG).remaining).toBeCloseTo(8000 - credits, 6);
  });
});

/** Metadata/usage shapes: each is priced by what it has, or reported. */
const SHAPES: ReadonlyArray<[string, Record<string, unknown>, { credits: number; source: string; billed: boolean; unbilled: number }]> = [
  ['no provider metadata', { model: MODEL, usage: USAGE }, { credits: 5, source: 'token-rates', billed: true, unbilled: 0 }],
  ['metadata of another provider', { model: MODEL, usage: USAGE, providerMetadata: { openai: { cachedPromptTokens: 3 } } }, { credits: 5, source: 'token-rates', billed: true, unbilled: 0 }],
  ['gateway metadata without cost', { model: MODEL, usage: USAGE, providerMetadata: { gateway: { routing: {} } } }, { credits: 5, source: 'token-rates', billed: true, unbilled: 0 }],
  ['null gateway metadata', { model: MODEL, usage: USAGE, providerMetadata: { gateway: null } }, { credits: 5, source: 'token-rates', billed: true, unbilled: 0 }],
  ['gateway cost but no usage', { model: MODEL, providerMetadata: { gateway: { cost: '0.001' } } }, { credits: 4, source: 'gateway', billed: true, unbilled: 0 }],
  ['usage with undefined fields', { model: MODEL, usage: { inputTokens: undefined, outputTokens: 500 } }, { credits: 4, source: 'token-rates', billed: true, unbilled: 0 }],
  // Unreadable usage is never priced at 0 tokens: it goes to the outbox as unpriced (issue 12, case 9).
  ['usage with negative and NaN tokens', { model: MODEL, usage: { inputTokens: -5, outputTokens: Number.NaN } }, { credits: 0, source: 'estimate', billed: false, unbilled: 1 }],
  ['usage as strings', { model: MODEL, usage: { inputTokens: '1000', outputTokens: '500' } }, { credits: 0, source: 'estimate', billed: false, unbilled: 1 }],
  ['an empty usage object', { model: MODEL, usage: {} }, { credits: 0, source: 'estimate', billed: false, unbilled: 1 }],
  ['totalTokens alone', { model: MODEL, usage: { totalTokens: 1500 } }, { credits: 0, source: 'estimate', billed: false, unbilled: 1 }],
  ['an embedding (input tokens only, no metadata)', { model: 'openai/text-embedding-3-small', usage: { inputTokens: 50_000 } }, { credits: 4, source: 'token-rates', billed: true, unbilled: 0 }],
  ['a bare model id', { model: 'gpt-5-mini', usage: USAGE }, { credits: 5, source: 'token-rates', billed: true, unbilled: 0 }],
  ['an unknown model with usage', { model: 'acme/unknown', usage: USAGE }, { credits: 0, source: 'estimate', billed: false, unbilled: 1 }],
  ['no model, no metadata, with usage', { usage: USAGE }, { credits: 0, source: 'estimate', billed: false, unbilled: 1 }],
  ['an unknown model with a malformed cost', { model: 'acme/unknown', usage: USAGE, providerMetadata: { gateway: { cost: 'abc' } } }, { credits: 0, source: 'estimate', billed: false, unbilled: 1 }],
  ['nothing at all (no usage, no cost)', {}, { credits: 0, source: 'estimate', billed: false, unbilled: 1 }],
  ['null usage', { model: MODEL, usage: null }, { credits: 0, source: 'estimate', billed: false, unbilled: 1 }],
  ['zero tokens, reported as such', { model: MODEL, usage: { inputTokens: 0, outputTokens: 0 } }, { credits: 0, source: 'token-rates', billed: true, unbilled: 0 }],
];

describe('given unusual usage and metadata', () => {
  it.each(SHAPES)('%s', async (_name, input, expected) => {
    const { meter, unbilled } = setUp();
    const record = await meter.charge({ customerId: ORG, ...(input as object) });
    expect(record).toMatchObject({ credits: expected.credits, source: expected.source, billed: expected.billed });
    expect(Number.isFinite(record.usd)).toBe(true);
    expect(unbilled).toHaveLength(expected.unbilled);
    expect(env.standIn.balance(ORG).remaining).toBeCloseTo(8000 - expected.credits, 6);
  });
});

describe('given a bad explicit usd', () => {
  it.each(['abc', '', '-1', 'NaN', '1e400', Number.NaN, -1, Number.POSITIVE_INFINITY])('%s is reported as unpriced, never billed as NaN', async (usd) => {
    const { meter, unbilled } = setUp();
    const record = await meter.charge({ customerId: ORG, usd: usd as string });
    expect(record).toMatchObject({ credits: 0, billed: false });
    expect(unbilled[0]).toMatchObject({ reason: 'unpriced' });
    expect(env.standIn.balance(ORG).remaining).toBe(8000);
  });
});

describe('given bad reserve input', () => {
  it.each<[string, Record<string, unknown>, RegExp]>([
    ['negative credits', { credits: -1 }, /credits|amount/i],
    ['NaN credits', { credits: Number.NaN }, /credits|amount|number/i],
    ['Infinity credits', { credits: Number.POSITIVE_INFINITY }, /credits|amount|number/i],
    ['neither credits nor model', {}, /credits.*model/],
    ['an unknown model', { model: 'acme/unknown' }, /No price/],
  ])('%s is a typed error before anything is held', async (_name, input, message) => {
    const { meter } = setUp();
    await expect(meter.reserve({ customerId: ORG, ...input })).rejects.toThrow(message);
    expect(env.standIn.balance(ORG).remaining).toBe(8000);
  });

  it('an estimate with garbage token counts still gives a finite estimate', () => {
    const { meter } = setUp();
    const estimate = meter.estimate({ model: MODEL, promptTokens: Number.NaN, contextTokens: -5, maxOutputTokens: Number.POSITIVE_INFINITY });
    expect(estimate).toMatchObject({ inputTokens: 0, outputTokens: 0, credits: 0 });
  });
});
