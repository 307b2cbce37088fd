/**
 * The engine of the seeded randomized run (test/server/exactly-once-random.test.ts, scripts/fault-run.mjs): flows
 * against the fault double in front of an in-process stand-in, replays, and the figures. See the test for what it
 * asserts and what it assumes.
 */
import type { MeterAutumn } from '../../../src/server/autumn-http.js';
import { createCreditMeter, type CreditMeter, type Reservation } from '../../../src/server/meter.js';
import { memoryOutbox } from '../../../src/server/outbox.js';
import { STAND_IN_EPOCH, createAutumnStandIn } from '../../../src/testing/stand-in/index.js';
import { ENDPOINTS, createFaultyAutumn, prng } from './faulty-autumn.js';
import { micro } from './harness.js';

export const CONCURRENCY = 100;
const CHUNKS = 2;
/** Cron replayers (other processes on the same outbox) besides the flows' own meter. */
const REPLAYERS = 1;
export const TIMEOUT_MS = 25;
const LOCK_TTL_MS = 10_000;
const REPLAY_AFTER_MS = 1_000;
const RETRY = { attempts: 4, baseDelayMs: 1, maxDelayMs: 4 } as const;

type FlowKind = 'run' | 'run-throws' | 'settle' | 'settle-twice' | 'charge' | 'release';

interface Flow {
  readonly id: string;
  readonly customer: string;
  readonly kind: FlowKind;
  readonly reserve: number;
  /** Gateway cost of each step in micro-dollars. */
  readonly steps: readonly number[];
  /** For `run-throws`: how many steps finish before the model throws. */
  readonly finished: number;
}

interface Outcome {
  admitted: boolean;
  ran: boolean;
  error: unknown;
}

/** 1 µUSD = 0.004 credits = 4,000 micro-credits. */
const MICRO_CREDITS_PER_MICRO_USD = 4_000n;
const usd = (microUsd: number): string => (microUsd / 1e6).toFixed(6);
const step = (microUsd: number) => ({ model: 'openai/gpt-5-mini', usage: { inputTokens: 100, outputTokens: 50 }, providerMetadata: { gateway: { cost: usd(microUsd) } } });

const CUSTOMERS: ReadonlyArray<{ id: string; seed: { planId?: string; remaining: number } }> = [
  ...Array.from({ length: 6 }, (_, i) => ({ id: `org_pro_${i}`, seed: { planId: 'pro_monthly', remaining: 60_000 } })),
  ...Array.from({ length: 3 }, (_, i) => ({ id: `org_free_${i}`, seed: { remaining: 8_000 } })),
  ...Array.from({ length: 3 }, (_, i) => ({ id: `org_tight_${i}`, seed: { remaining: 40 } })),
];

function makeFlows(seed: number, count: number, prefix: string): Flow[] {
  const random = prng(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const flows: Flow[] = [];
  for (let i = 0; i < count; i++) {
    const roll = random();
    const kind: FlowKind = roll < 0.35 ? 'run' : roll < 0.45 ? 'run-throws' : roll < 0.65 ? 'settle' : roll < 0.7 ? 'settle-twice' : roll < 0.9 ? 'charge' : 'release';
    const steps = Array.from({ length: int(1, 3) }, () => int(1, 3_000));
    flows.push({ id: `${prefix}_${i}`, customer: CUSTOMERS[int(0, CUSTOMERS.length - 1)]!.id, kind, reserve: int(1, 20), steps, finished: kind === 'run-throws' ? int(0, steps.length) : steps.length });
  }
  return flows;
}

/** What the flow really consumed, in micro-credits, if admitted. */
function realCost(flow: Flow): bigint {
  if (flow.kind === 'release') return 0n;
  const steps = flow.kind === 'run-throws' ? flow.steps.slice(0, flow.finished) : flow.steps;
  return steps.reduce((sum, cost) => sum + BigInt(cost), 0n) * MICRO_CREDITS_PER_MICRO_USD;
}

/** The charge's idempotency key: `<id>:charge` after a reservation, the id itself for `charge()`. */
const chargeIdOf = (flow: Flow): string => (flow.kind === 'charge' ? flow.id : `${flow.id}:charge`);

const modelCall = (random: () => number): Promise<void> =>
  random() < 0.2 ? new Promise((resolve) => setTimeout(resolve, 1)) : new Promise((resolve) => setImmediate(resolve));

async function runFlow(meter: CreditMeter, flow: Flow, random: () => number, outcome: Outcome): Promise<void> {
  const steps = flow.steps.map(step);
  const input = { customerId: flow.customer, credits: flow.reserve, id: flow.id, properties: { thread_id: `t_${flow.id}` } };
  switch (flow.kind) {
    case 'charge':
      outcome.admitted = true;
      outcome.ran = true;
      await meter.charge({ customerId: flow.customer, id: flow.id, steps, properties: input.properties });
      return;
    case 'run':
    case 'run-throws':
      await meter.run(input, async (reservation) => {
        outcome.admitted = true;
        outcome.ran = true;
        for (const [index, each] of steps.entries()) {
          await modelCall(random);
          if (flow.kind === 'run-throws' && index === flow.finished) throw new Error('model failed');
          reservation.addStep(each);
        }
        if (flow.kind === 'run-throws') throw new Error('model failed after its last step');
        return { steps };
      });
      return;
    default: {
      const reservation: Reservation = await meter.reserve(input);
      outcome.admitted = true;
      outcome.ran = true;
      await modelCall(random);
      if (flow.kind === 'release') return reservation.release();
      const result = steps.length === 1 ? steps[0]! : { steps };
      if (flow.kind === 'settle-twice') await Promise.all([reservation.settle(result), reservation.settle(result)]);
      else await reservation.settle(result);
    }
  }
}

async function pool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

export interface RunFigures {
  /** Wall time spent in the replays at the end of each chunk (under faults), included in `seconds`. */
  replaySeconds: number;
  seed: number;
  /** Up to 10 flows whose charge is not their real cost, with their requests. */
  mismatches: string[];
  /** Charge ids Autumn has that belong to no flow. */
  strangers: string[];
  /** Entries left in the outbox after the healthy replays. */
  leftInOutbox: number;
  rate: number;
  flows: number;
  admitted: number;
  seconds: number;
  cpuMicrosPerFlow: number;
  faults: Record<string, number>;
  faultsByEndpoint: Record<string, Record<string, number>>;
  requests: number;
  replayRounds: number;
  billedLate: number;
  lost: number;
  double: number;
  failOpenAdmitted: number;
  heldAfterExpiry: bigint;
  unhandled: number;
}

export async function randomRun(rate: number, options: { seed: number; flows: number }): Promise<RunFigures> {
  const { seed: SEED, flows: FLOWS } = options;
  const seed = (SEED ^ Math.round(rate * 1000)) >>> 0;
  const standIn = createAutumnStandIn({ now: STAND_IN_EPOCH, eventDelayMs: 0 });
  for (const customer of CUSTOMERS) standIn.seedCustomer(customer.id, customer.seed);
  const usageBefore = new Map(CUSTOMERS.map((customer) => [customer.id, micro(standIn.balance(customer.id).usage)]));
  const double = createFaultyAutumn({ standIn, seed, lateMs: [1, 40], rates: Object.fromEntries(ENDPOINTS.map((endpoint) => [endpoint, rate])) });
  const outbox = memoryOutbox(() => standIn.clock.now());
  const makeMeter = () =>
    createCreditMeter({
      secretKey: standIn.secretKey,
      serverURL: standIn.origin,
      fetch: double.fetch,
      timeoutMs: TIMEOUT_MS,
      retry: RETRY,
      lockTtlMs: LOCK_TTL_MS,
      replayAfterMs: REPLAY_AFTER_MS,
      now: () => standIn.clock.now(),
      outbox,
    });
  const meter = makeMeter();
  /** Other processes sharing the outbox: the cron replayers. */
  const replayers = Array.from({ length: REPLAYERS }, makeMeter);
  const flows = makeFlows(seed, FLOWS, `f${Math.round(rate * 100)}`);
  const outcomes = new Map(flows.map((flow) => [flow.id, { admitted: false, ran: false, error: null } as Outcome]));
  const random = prng(seed ^ 0xabcdef);

  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => void unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);

  let replaySeconds = 0;
  const replayAll = async () => {
    const begun = performance.now();
    const before = (await outbox.list()).length;
    await double.settle(); // nothing of ours is in flight at Autumn any more
    const settled = performance.now();
    standIn.clock.advance(REPLAY_AFTER_MS);
    const [left] = await Promise.all([meter.replayUnbilled(), ...replayers.map((replayer) => replayer.replayUnbilled())]);
    await double.settle();
    replaySeconds += (performance.now() - begun) / 1000;
    if (process.env.FAULT_DEBUG) console.log(`replay: ${before} entries, settle ${(settled - begun).toFixed(0)} ms, pass ${(performance.now() - settled).toFixed(0)} ms, left ${(await outbox.list()).length}`);
    return left ?? 0;
  };

  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const chunk = Math.ceil(flows.length / CHUNKS);
  for (let start = 0; start < flows.length; start += chunk) {
    await pool(flows.slice(start, start + chunk), CONCURRENCY, async (flow) => {
      const outcome = outcomes.get(flow.id)!;
      await runFlow(meter, flow, random, outcome).catch((error: unknown) => {
        outcome.error = error;
      });
    });
    await replayAll(); // a cron replay, under faults
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);

  // Autumn healthy: replay until the outbox drains, flush late duplicates, move past every lock's expiry.
  double.random = false;
  let replayRounds = 0;
  const billedLate = (await outbox.list()).length;
  while ((await replayAll()) > 0 && replayRounds < 20) replayRounds += 1;
  await double.flushDuplicates();
  await double.settle();
  standIn.clock.advance(LOCK_TTL_MS + REPLAY_AFTER_MS + 1);
  await new Promise((resolve) => setTimeout(resolve, 20));
  process.off('unhandledRejection', onUnhandled);

  // Autumn's ledger: every track carrying a charge_id.
  const chargedById = new Map<string, { micro: bigint; events: number }>();
  for (const customer of CUSTOMERS) {
    for (const event of standIn.events(customer.id)) {
      const id = event.properties.charge_id;
      if (typeof id !== 'string') continue;
      const seen = chargedById.get(id) ?? { micro: 0n, events: 0 };
      chargedById.set(id, { micro: seen.micro + micro(event.value), events: seen.events + 1 });
    }
  }

  /** The flow's requests as the double saw them, for a failure message. */
  const trail = (flow: Flow): string =>
    double.requests
      .filter((request) => {
        const lockId = (request.body.lock as { lock_id?: unknown } | undefined)?.lock_id ?? request.body.lock_id;
        return request.idempotencyKey === chargeIdOf(flow) || (typeof lockId === 'string' && lockId.startsWith(`${flow.id}:`));
      })
      .map((request) => `#${request.seq} ${request.route} ${request.fault ?? 'ok'} → ${JSON.stringify(request.outcome)} applied ${request.applied ? `${request.applied.status}${request.applied.late ? ' late' : ''}` : 'no'}`)
      .join(' | ');

  let lost = 0;
  let double_ = 0;
  const mismatches: string[] = [];
  const expectedByCustomer = new Map<string, bigint>();
  const flowIds = new Set<string>();
  for (const flow of flows) {
    const outcome = outcomes.get(flow.id)!;
    const expected = outcome.admitted ? realCost(flow) : 0n;
    const got = chargedById.get(chargeIdOf(flow)) ?? { micro: 0n, events: 0 };
    flowIds.add(chargeIdOf(flow));
    expectedByCustomer.set(flow.customer, (expectedByCustomer.get(flow.customer) ?? 0n) + expected);
    if (got.micro < expected) lost += 1;
    if (got.micro > expected || got.events > 1) double_ += 1;
    if (got.micro !== expected || got.events > 1) {
      if (mismatches.length < 10) mismatches.push(`${flow.id} (${flow.kind}, admitted ${outcome.admitted}, error ${String(outcome.error)}): expected ${expected} µcredits, charged ${got.micro} in ${got.events} events; requests: ${trail(flow)}`);
    }
  }
  const strangers = [...chargedById.keys()].filter((id) => !flowIds.has(id));

  let heldAfterExpiry = 0n;
  for (const customer of CUSTOMERS) {
    const used = micro(standIn.balance(customer.id).usage) - usageBefore.get(customer.id)!;
    heldAfterExpiry += used - (expectedByCustomer.get(customer.id) ?? 0n);
  }

  const failOpenFlows = new Set([...double.failOpenLockIds].map((lockId) => lockId.replace(/:r\d+$/, '')));
  const failOpenAdmitted = [...failOpenFlows].filter((id) => outcomes.get(id)?.admitted).length;

  const faults: Record<string, number> = {};
  for (const byKind of Object.values(double.counts)) for (const [kind, n] of Object.entries(byKind)) faults[kind] = (faults[kind] ?? 0) + n;

  return {
    seed,
    mismatches,
    strangers,
    leftInOutbox: (await outbox.list()).length,
    replaySeconds,
    rate,
    flows: flows.length,
    admitted: [...outcomes.values()].filter((outcome) => outcome.admitted).length,
    seconds,
    cpuMicrosPerFlow: (cpu.user + cpu.system) / flows.length,
    faults,
    faultsByEndpoint: double.counts,
    requests: double.requests.length,
    replayRounds,
    billedLate,
    lost,
    double: double_,
    failOpenAdmitted,
    heldAfterExpiry,
    unhandled: unhandled.length,
  };
}

/**
 * The meter's own CPU per message as `npm run bench` measures it: one at a time, reserve → addStep → settle against an
 * Autumn that answers at once.
 */
export async function meterCpuSequential(messages: number): Promise<number> {
  const meter = createCreditMeter({ autumn: instantAutumn() });
  const each = { usage: { inputTokens: 1200, outputTokens: 300 }, providerMetadata: { gateway: { cost: '0.0012' } } };
  const once = async () => {
    const reservation = await meter.reserve({ customerId: 'org_1', credits: 10 });
    reservation.addStep(each);
    await reservation.settle();
  };
  for (let i = 0; i < 500; i++) await once(); // warm up the JIT
  const before = process.cpuUsage();
  for (let i = 0; i < messages; i++) await once();
  const cpu = process.cpuUsage(before);
  return (cpu.user + cpu.system) / messages;
}

function instantAutumn(): MeterAutumn {
  return {
    async check(body) {
      return { status: 200, allowed: true, customerId: body.customer_id, remaining: 1e9 };
    },
    async track() {},
    async finalize() {},
    async aggregate() {
      return { list: [] };
    },
    async findEvents() {
      return { list: [] };
    },
  };
}

/** The meter's own CPU per flow: the same flows against an Autumn that answers at once (no HTTP, no stand-in). */
export async function meterCpuPerFlow(client: 'none' | 'kit', options: { seed: number; flows: number }): Promise<number> {
  const { seed: SEED, flows: FLOWS } = options;
  const instant = instantAutumn();
  const answers: Record<string, string> = {
    'balances.check': JSON.stringify({ allowed: true, customer_id: 'org', required_balance: 1, balance: { remaining: 1e9 }, flag: null }),
    'balances.track': JSON.stringify({ customer_id: 'org', value: 1, balance: null }),
    'balances.finalize': JSON.stringify({ success: true }),
  };
  const canned = (async (input: RequestInfo | URL) => new Response(answers[String(input).split('/v1/')[1]!] ?? '{}', { status: 200 })) as typeof fetch;
  const meter = createCreditMeter({
    ...(client === 'none' ? { autumn: instant } : { secretKey: 'am_sk_bench', fetch: canned }),
    retry: RETRY,
    lockTtlMs: LOCK_TTL_MS,
  });
  const flows = makeFlows(SEED, Math.min(FLOWS, 5_000), `cpu_${client}`);
  const noWait = { admitted: false, ran: false, error: null } as Outcome;
  // The model "call" is one setImmediate (random() ≥ 0.2 in modelCall): no timers of the harness's own.
  const quick = (flow: Flow) => runFlow(meter, { ...flow, kind: flow.kind === 'run-throws' ? 'run' : flow.kind }, () => 0.5, noWait).catch(() => {});
  await pool(flows.slice(0, 500), CONCURRENCY, quick); // warm up the JIT
  const before = process.cpuUsage();
  await pool(flows, CONCURRENCY, quick);
  const cpu = process.cpuUsage(before);
  return (cpu.user + cpu.system) / flows.length;
}

