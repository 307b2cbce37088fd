/**
 * A process killed with SIGKILL while it holds an unacknowledged charge: the charge is in the Redis outbox (written
 * before it was sent), a fresh process replays it, and Autumn is charged exactly once — whether the killed process's
 * request never reached Autumn, or reached it and only the answer was lost.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAutumnStandIn, type RunningAutumnStandIn } from '../../src/testing.js';
import { redisOutbox } from '../../src/server/redis-outbox.js';
import { redisServerForTests, startRedis, type RunningRedis } from './redis.js';

const REDIS = redisServerForTests();
const ORG = 'org_crash';
/** $0.002 at 4,000 credits per dollar. */
const CHARGE_CREDITS = 8;

describe.skipIf(!REDIS)('a process killed mid-charge (kill -9), then a fresh process replays', () => {
  let redis: RunningRedis;
  let standIn: RunningAutumnStandIn;
  let proxy: Server;
  let proxyUrl = '';
  let childScript = '';
  let folder = '';
  /** What the proxy does with the next `balances.track`: hang without forwarding, or forward and then hang. */
  let trackMode: 'pass' | 'hang-before' | 'hang-after' = 'pass';
  const held: ServerResponse[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    standIn = await startAutumnStandIn();
    // A proxy in front of the stand-in that can keep a charge from being answered.
    proxy = createServer(async (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const isTrack = req.url === '/v1/balances.track';
      if (isTrack && trackMode === 'hang-before') {
        held.push(res); // never forwarded: Autumn never sees it
        return;
      }
      const answer = await fetch(`${standIn.url}${req.url}`, { method: req.method, headers: req.headers as Record<string, string>, body: req.method === 'GET' ? undefined : body });
      if (isTrack && trackMode === 'hang-after') {
        held.push(res); // applied at Autumn, the answer never comes back
        return;
      }
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
    proxy.listen(0, '127.0.0.1');
    await once(proxy, 'listening');
    const address = proxy.address();
    proxyUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    // Inside the repo, so the bundled child resolves `redis` from its node_modules.
    const cache = join(import.meta.dirname, '../../node_modules/.cache');
    mkdirSync(cache, { recursive: true });
    folder = mkdtempSync(join(cache, 'meter-crash-'));
    childScript = join(folder, 'child.mjs');
    await build({
      entryPoints: [join(import.meta.dirname, 'crash/child.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: childScript,
      external: ['redis'],
      logLevel: 'silent',
    });
  }, 60_000);

  afterAll(async () => {
    for (const res of held) res.destroy();
    proxy?.close();
    await standIn?.close();
    await redis?.stop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  function run(mode: 'charge' | 'replay'): { child: ChildProcess; output: Promise<string> } {
    const child = spawn(process.execPath, [childScript], {
      env: { ...process.env, AUTUMN_URL: proxyUrl, AUTUMN_KEY: standIn.secretKey, REDIS_URL: redis.url, ORG, MODE: mode },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const output = once(child, 'exit').then(() => text);
    return { child, output };
  }

  async function waitFor(condition: () => Promise<boolean> | boolean, what: string): Promise<void> {
    const until = Date.now() + 15_000;
    while (!(await condition())) {
      if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  it.each([
    ['before Autumn got the charge', 'hang-before' as const],
    ['after Autumn applied it, the answer lost', 'hang-after' as const],
  ])('%s: the replay charges it exactly once', async (_name, mode) => {
    standIn.reset();
    await redis.command(['FLUSHALL']);
    standIn.seedCustomer(ORG, { remaining: 8000 });
    trackMode = mode;

    const victim = run('charge');
    // The charge is in flight: written to the outbox, the track sent and unanswered.
    await waitFor(async () => held.length > 0, 'the charge to be in flight');
    expect(((await redis.command(['HLEN', 'autumn-ai-credits:outbox:entries'])) as number)).toBe(1);
    victim.child.kill('SIGKILL');
    await victim.output;
    expect(victim.child.signalCode).toBe('SIGKILL');
    for (const res of held.splice(0)) res.destroy();
    trackMode = 'pass';
    const before = standIn.balance(ORG).usage;
    expect(before).toBe(mode === 'hang-after' ? CHARGE_CREDITS : 0);

    const fresh = run('replay');
    const output = await fresh.output;
    expect(output).toContain('left=0');
    expect(standIn.balance(ORG).usage).toBe(CHARGE_CREDITS);

    // Replaying again (another instance's cron) changes nothing.
    expect(await run('replay').output).toContain('left=0');
    expect(standIn.balance(ORG).usage).toBe(CHARGE_CREDITS);
  }, 60_000);

  it('four processes replaying the same outbox at once charge each entry exactly once', async () => {
    standIn.reset();
    await redis.command(['FLUSHALL']);
    standIn.seedCustomer(ORG, { remaining: 8000 });
    trackMode = 'pass';
    const store = redisOutbox({ command: redis.command });
    // 40 charges a crashed process left behind; Autumn already has the even ones (their answers were lost).
    for (let i = 0; i < 40; i++) {
      const id = `msg_${i}:charge`;
      await store.put({ id, reason: 'pending', customerId: ORG, featureId: 'ai_credits', model: null, credits: '1.5', properties: { thread_id: 't1' }, usage: {}, error: null, createdAt: Date.now(), lastAttemptAt: null, attempts: 1 });
      if (i % 2 === 0) {
        await fetch(`${standIn.url}/v1/balances.track`, {
          method: 'POST',
          headers: { authorization: `Bearer ${standIn.secretKey}`, 'content-type': 'application/json', 'idempotency-key': id },
          body: JSON.stringify({ customer_id: ORG, feature_id: 'ai_credits', value: 1.5, overage_behavior: 'overflow' }),
        });
      }
    }
    expect(standIn.balance(ORG).usage).toBe(30);

    const outputs = await Promise.all([run('replay'), run('replay'), run('replay'), run('replay')].map((replayer) => replayer.output));

    expect(outputs.every((output) => /left=\d+/.test(output))).toBe(true);
    expect(await store.list()).toEqual([]);
    expect(standIn.balance(ORG).usage).toBe(60); // 40 × 1.5, each once
  }, 60_000);
});
