#!/usr/bin/env node
/**
 * The exactly-once randomized run outside Vitest (issue 12): bundles test/server/fault/random-run.ts with esbuild and
 * runs it at 10% and 50% fault rates, printing the seed and the figures (flows/s, faults by kind, the meter's CPU per
 * flow). Exits 1 if any flow was charged other than its real cost.
 *
 *   node scripts/fault-run.mjs [--seed N] [--flows N] [--rates 0.1,0.5]
 *   node --cpu-prof scripts/fault-run.mjs ...   (a profile of the whole run)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const arg = (name, fallback) => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
};
const seed = (Number(arg('seed', process.env.FAULT_SEED ?? 0x5eed_2012)) >>> 0) || 1;
const flows = Number(arg('flows', process.env.FAULT_FLOWS ?? 10_000));
const rates = String(arg('rates', '0.1,0.5')).split(',').map(Number);

const esbuild = await import(pathToFileURL(join(ROOT, 'node_modules/esbuild/lib/main.js')).href).then((m) => m.default ?? m);
const dir = mkdtempSync(join(tmpdir(), 'fault-run-'));
try {
  const outfile = join(dir, 'random-run.mjs');
  await esbuild.build({
    entryPoints: [join(ROOT, 'test/server/fault/random-run.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'warning',
  });
  const { randomRun, meterCpuPerFlow, meterCpuSequential, CONCURRENCY, TIMEOUT_MS } = await import(pathToFileURL(outfile).href);
  console.log(`exactly-once randomized run — seed ${seed} (--seed or FAULT_SEED to replay), ${flows} flows per rate, ${CONCURRENCY} at a time, timeoutMs ${TIMEOUT_MS}`);
  let failed = false;
  for (const rate of rates) {
    const run = await randomRun(rate, { seed, flows });
    const faults = Object.entries(run.faults).sort().map(([kind, n]) => `${kind} ${n}`).join(', ');
    console.log(`  rate ${rate}: ${run.flows} flows (${run.admitted} admitted), ${run.requests} requests, ${(run.flows / run.seconds).toFixed(0)} flows/s, process CPU ${run.cpuMicrosPerFlow.toFixed(0)} µs/flow, of which replays ${run.replaySeconds.toFixed(1)} s`);
    console.log(`    faults: ${faults}`);
    console.log(`    lost ${run.lost}, double ${run.double}, admitted on fail-open ${run.failOpenAdmitted}, held after expiry ${run.heldAfterExpiry} µcredits, unhandled ${run.unhandled}, left in outbox ${run.leftInOutbox}`);
    for (const line of run.mismatches) console.log(`    MISMATCH ${line}`);
    failed ||= run.mismatches.length > 0 || run.strangers.length > 0 || run.leftInOutbox > 0 || run.unhandled > 0 || run.heldAfterExpiry !== 0n;
  }
  const alone = await meterCpuPerFlow('none', { seed, flows });
  const withClient = await meterCpuPerFlow('kit', { seed, flows });
  const sequential = await meterCpuSequential(5_000);
  console.log(`  meter CPU, Autumn answering at once: ${sequential.toFixed(1)} µs per message one at a time (as npm run bench); the flow mix ${CONCURRENCY} at a time: meter alone ${alone.toFixed(1)} µs/flow, meter + kit HTTP client ${withClient.toFixed(1)} µs/flow`);
  process.exitCode = failed ? 1 : 0;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
