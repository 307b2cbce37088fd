/**
 * Issue 12 — the seeded randomized run. 10,000 flows per fault rate (10% and 50% on balances.check, .track and
 * .finalize, every fault kind Autumn can produce there), 100 at a time, in-process (the fault double in front of the
 * stand-in, no sockets), through the kit's own client. Flows: reserve → simulated model call → settle (one step or a
 * result with steps, sometimes settled twice at once), `run()` (sometimes throwing after some steps), `charge()`
 * without a reserve, reserve → release; 12 customers, three of them with 40 credits (refusals under contention).
 *
 * Replays: halfway and at the end of the flows, `replayUnbilled()` runs from two meters at once (two processes on one
 * outbox), still under faults; then with Autumn healthy until the outbox drains. A replay never runs while a flow's own
 * request is still in flight at Autumn: the double's late requests ("applied late", "processing") end in real time
 * 1–40 ms after the client gave up, and replays start only once `double.settle()` says none is left — the protocol's
 * assumption (`replayAfterMs`: in-flight requests have ended) holds by construction, not by timing. Within a flow, the
 * meter's retries do not wait: a retry may meet its own earlier attempt still in flight (that is modelled).
 *
 * Then: late duplicates are flushed, the clock moves past every lock's expiry, and per customer and per flow:
 * charged == the real cost of each admitted flow exactly (lost = 0, double = 0), admitted on a fail-open answer = 0,
 * credits held after expiry = 0 (usage == the sum of the charges), unhandled rejections = 0. Timing varies between
 * runs (real-time deadlines), so a seed replays the same flows and fault draws, not the same interleaving.
 *
 * FAULT_SEED=<n> replays a run; FAULT_FLOWS=<n> changes the number of flows per rate; FAULT_DEBUG=1 prints each
 * replay pass. `node scripts/fault-run.mjs` runs the same outside Vitest.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { CONCURRENCY, TIMEOUT_MS, meterCpuPerFlow, meterCpuSequential, randomRun, type RunFigures } from './fault/random-run.js';

const SEED = (Number(process.env.FAULT_SEED ?? 0x5eed_2012) >>> 0) || 1;
const FLOWS = Math.max(1, Number(process.env.FAULT_FLOWS ?? 10_000));

const figures: RunFigures[] = [];
const calibration: Record<string, number> = {};

describe(`seeded randomized run (FAULT_SEED=${SEED}, ${FLOWS} flows per rate, ${CONCURRENCY} at a time)`, () => {
  it.each([0.1, 0.5])('fault rate %s on check, track and finalize: lost 0, double 0, fail-open admitted 0, held after expiry 0, unhandled 0', async (rate) => {
    const run = await randomRun(rate, { seed: SEED, flows: FLOWS });
    expect(run.mismatches, `seed ${run.seed}, rate ${rate}`).toEqual([]);
    expect(run.strangers, `charges Autumn has under no flow's id (seed ${run.seed})`).toEqual([]);
    expect(run.leftInOutbox, `left in the outbox (seed ${run.seed})`).toBe(0);
    figures.push(run);
    expect(run.lost).toBe(0);
    expect(run.double).toBe(0);
    expect(run.failOpenAdmitted).toBe(0);
    expect(run.heldAfterExpiry).toBe(0n);
    expect(run.unhandled).toBe(0);
    expect(run.admitted).toBeGreaterThan(run.flows / 4);
    expect(Object.values(run.faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(run.flows * rate);
  }, 120_000);

  it("the meter's own CPU per flow, against an Autumn that answers at once (for the figures)", async () => {
    calibration.meterOnly = await meterCpuPerFlow('none', { seed: SEED, flows: FLOWS });
    calibration.meterAndKitClient = await meterCpuPerFlow('kit', { seed: SEED, flows: FLOWS });
    calibration.sequential = await meterCpuSequential(5_000);
    expect(Number.isFinite(calibration.meterOnly)).toBe(true);
  }, 60_000);
});

afterAll(() => {
  const lines = [`exactly-once randomized run — FAULT_SEED=${SEED} (set FAULT_SEED to replay), ${CONCURRENCY} flows at a time, timeoutMs ${TIMEOUT_MS}`];
  for (const run of figures) {
    lines.push(
      `  rate ${run.rate}: ${run.flows} flows (${run.admitted} admitted), ${run.requests} requests, ${(run.flows / run.seconds).toFixed(0)} flows/s (${run.seconds.toFixed(2)} s, of which ${run.replaySeconds.toFixed(1)} s in the cron replays under faults), process CPU ${run.cpuMicrosPerFlow.toFixed(0)} µs/flow (meter + kit client + double + stand-in)`,
      `    faults: ${Object.entries(run.faults).sort().map(([kind, n]) => `${kind} ${n}`).join(', ')}`,
      `    by endpoint: ${Object.entries(run.faultsByEndpoint).map(([endpoint, byKind]) => `${endpoint} ${Object.values(byKind).reduce((a, b) => a + b, 0)}`).join(', ')}`,
      `    left for replay after the run: ${run.billedLate}; healthy replay rounds: ${run.replayRounds}; lost ${run.lost}, double ${run.double}, admitted on fail-open ${run.failOpenAdmitted}, held after expiry ${run.heldAfterExpiry} µcredits, unhandled rejections ${run.unhandled}`,
    );
  }
  if (calibration.meterOnly !== undefined) {
    lines.push(
      `  meter CPU, Autumn answering at once (no faults): ${calibration.sequential?.toFixed(1)} µs per message one at a time (reserve → addStep → settle, as npm run bench); this run's flow mix ${CONCURRENCY} at a time: meter alone ${calibration.meterOnly.toFixed(1)} µs/flow, meter + kit HTTP client ${calibration.meterAndKitClient?.toFixed(1)} µs/flow`,
    );
  }
  console.log(lines.join('\n'));
});
