/**
 * One contract for every outbox store, run against `memoryOutbox()` and against `redisOutbox()` on a REAL
 * redis-server (./redis.ts starts one; under CI a missing redis-server fails this file, locally it is skipped).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryOutbox, type OutboxEntry, type OutboxStore } from '../../src/server/outbox.js';
import { redisOutbox } from '../../src/server.js';
import { redisServerForTests, startRedis, type RedisCommand, type RunningRedis } from './redis.js';

/**
 * Makes a store. Stores made with the same `namespace` share their entries and leases, whatever the `process`
 * (0 or 1): for Redis each process is its own connection, the way two instances of an app see one Redis; a fresh
 * namespace is an empty outbox.
 */
type MakeStore = (namespace: string, process: 0 | 1) => OutboxStore;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls `attempt` until it is true or `withinMs` has passed; resolves to whether it became true. */
async function eventually(attempt: () => Promise<boolean>, withinMs: number): Promise<boolean> {
  const until = Date.now() + withinMs;
  for (;;) {
    if (await attempt()) return true;
    if (Date.now() > until) return false;
    await sleep(10);
  }
}

function entry(id: string, createdAt: number, fields: Partial<OutboxEntry> = {}): OutboxEntry {
  return {
    id,
    reason: 'pending',
    customerId: 'cus_1',
    featureId: 'ai_credits',
    model: 'openai/gpt-5-mini',
    credits: '1.25',
    properties: { chat_id: 'c1' },
    usage: { inputTokens: 100, outputTokens: 50 },
    error: null,
    createdAt,
    lastAttemptAt: null,
    attempts: 0,
    ...fields,
  };
}

let namespaces = 0;

function describeOutboxContract(name: string, makeStore: MakeStore): void {
  describe(`${name}: the OutboxStore contract`, () => {
    /** Two handles on one fresh outbox: `a` in "process" 0, `b` in "process" 1. */
    const fresh = () => {
      const namespace = `ns${++namespaces}`;
      return { a: makeStore(namespace, 0), b: makeStore(namespace, 1) };
    };

    it('starts empty, lists oldest first whatever the order of writes', async () => {
      const { a } = fresh();
      expect(await a.list()).toEqual([]);
      const entries = [entry('chg_c', 3_000), entry('chg_a', 1_000), entry('chg_d', 4_000), entry('chg_b', 2_000)];
      for (const e of entries) await a.put(e);
      const listed = await a.list();
      expect(listed.map((e) => e.id)).toEqual(['chg_a', 'chg_b', 'chg_c', 'chg_d']);
      expect(listed).toEqual([...entries].sort((x, y) => x.createdAt - y.createdAt));
    });

    it('put overwrites an entry by id (one entry, the last written, placed by its createdAt)', async () => {
      const { a } = fresh();
      await a.put(entry('chg_1', 1_000));
      await a.put(entry('chg_2', 2_000));
      const retried = entry('chg_1', 1_000, { reason: 'autumn_failed', error: 'timeout', lastAttemptAt: 1_500, attempts: 3 });
      await a.put(retried);
      expect(await a.list()).toEqual([retried, entry('chg_2', 2_000)]);
      const moved = entry('chg_1', 3_000);
      await a.put(moved);
      expect(await a.list()).toEqual([entry('chg_2', 2_000), moved]);
    });

    it('delete removes the entry; deleting an unknown id does nothing', async () => {
      const { a } = fresh();
      await a.put(entry('chg_1', 1_000));
      await a.put(entry('chg_2', 2_000));
      await a.delete('chg_1');
      expect((await a.list()).map((e) => e.id)).toEqual(['chg_2']);
      await a.delete('chg_unknown');
      await a.delete('chg_1');
      expect((await a.list()).map((e) => e.id)).toEqual(['chg_2']);
      await a.delete('chg_2');
      expect(await a.list()).toEqual([]);
    });

    it('delete also ends the entry’s lease, and a settled (deleted) entry cannot be leased again', async () => {
      const { a } = fresh();
      await a.put(entry('chg_1', 1_000));
      expect(await a.lease('chg_1', 'replayer-a', 60_000)).toBe(true);
      await a.delete('chg_1');
      // A replayer working from a list read before the delete must not send it again (nor write it back).
      expect(await a.lease('chg_1', 'replayer-b', 60_000)).toBe(false);
      await a.put(entry('chg_1', 1_000));
      expect(await a.lease('chg_1', 'replayer-b', 60_000)).toBe(true);
    });

    it('a lease is exclusive: another owner is refused while it holds', async () => {
      const { a } = fresh();
      await a.put(entry('chg_1', 1_000));
      expect(await a.lease('chg_1', 'replayer-a', 60_000)).toBe(true);
      expect(await a.lease('chg_1', 'replayer-b', 60_000)).toBe(false);
      expect(await a.lease('chg_1', 'replayer-b', 60_000)).toBe(false);
      // Leases are per entry.
      await a.put(entry('chg_2', 2_000));
      expect(await a.lease('chg_2', 'replayer-b', 60_000)).toBe(true);
      expect(await a.lease('chg_2', 'replayer-a', 60_000)).toBe(false);
    });

    it('the same owner can lease again, which extends its lease', async () => {
      const { a } = fresh();
      await a.put(entry('chg_1', 1_000));
      expect(await a.lease('chg_1', 'replayer-a', 1_000)).toBe(true);
      const firstTaken = Date.now();
      await sleep(600);
      const renewedAt = Date.now();
      expect(await a.lease('chg_1', 'replayer-a', 1_000)).toBe(true);
      await sleep(600);
      const checkFrom = Date.now();
      const refused = !(await a.lease('chg_1', 'replayer-b', 1_000));
      const checkTo = Date.now();
      // The first lease is over by now; the renewed one (from renewedAt or later) is not, unless this machine stalled.
      expect(checkFrom - firstTaken).toBeGreaterThan(1_000);
      if (checkTo - renewedAt < 1_000) expect(refused).toBe(true);
      expect(await eventually(() => a.lease('chg_1', 'replayer-b', 1_000), 3_000)).toBe(true);
      expect(Date.now() - renewedAt).toBeGreaterThanOrEqual(995);
    });

    it('a lease ends by itself after leaseMs (a replayer that died)', async () => {
      const { a } = fresh();
      await a.put(entry('chg_1', 1_000));
      const start = Date.now();
      expect(await a.lease('chg_1', 'replayer-a', 100)).toBe(true);
      expect(await a.lease('chg_1', 'replayer-b', 100)).toBe(false);
      expect(await eventually(() => a.lease('chg_1', 'replayer-b', 60_000), 3_000)).toBe(true);
      expect(Date.now() - start).toBeGreaterThanOrEqual(95);
      // Now B's: A, back from the dead, is refused.
      expect(await a.lease('chg_1', 'replayer-a', 60_000)).toBe(false);
    });

    it('release frees the lease only for its owner', async () => {
      const { a } = fresh();
      await a.put(entry('chg_1', 1_000));
      await a.release('chg_1', 'replayer-a'); // nobody holds it: nothing happens
      expect(await a.lease('chg_1', 'replayer-a', 60_000)).toBe(true);
      await a.release('chg_1', 'replayer-b');
      expect(await a.lease('chg_1', 'replayer-b', 60_000)).toBe(false);
      await a.release('chg_1', 'replayer-a');
      expect(await a.lease('chg_1', 'replayer-b', 60_000)).toBe(true);
    });

    it('a late release by an owner whose lease expired does not free the next owner’s lease', async () => {
      const { a } = fresh();
      await a.put(entry('chg_1', 1_000));
      expect(await a.lease('chg_1', 'replayer-a', 50)).toBe(true);
      expect(await eventually(() => a.lease('chg_1', 'replayer-b', 60_000), 3_000)).toBe(true);
      await a.release('chg_1', 'replayer-a');
      expect(await a.lease('chg_1', 'replayer-c', 60_000)).toBe(false);
    });

    it('200 concurrent leases on one id from 20 owners: exactly one owner wins', async () => {
      const { a, b } = fresh();
      for (let round = 0; round < 3; round++) {
        const id = `chg_race_${round}`;
        await a.put(entry(id, 1_000));
        const calls = Array.from({ length: 200 }, (_, i) => {
          const owner = `replayer-${i % 20}`;
          const store = i % 2 === 0 ? a : b;
          return store.lease(id, owner, 60_000).then((won) => ({ owner, won }));
        });
        const results = await Promise.all(calls);
        const winners = new Set(results.filter((r) => r.won).map((r) => r.owner));
        expect(winners.size).toBe(1);
        const [winner] = [...winners];
        // The winner's every call succeeded (re-entrant), every other owner's failed.
        expect(results.filter((r) => r.won)).toHaveLength(10);
        expect(results.filter((r) => r.owner === winner).every((r) => r.won)).toBe(true);
        expect(await b.lease(id, 'replayer-late', 60_000)).toBe(false);
      }
    });

    it('entries with unicode, quotes and control characters round-trip exactly', async () => {
      const { a, b } = fresh();
      const tricky = entry('chg_ü:"1"\\ 🚀', 1_000, {
        customerId: 'cus_"quoted"\'single\'',
        featureId: 'ai_credits',
        model: 'anthropic/claude "sonnet" ⟨4⟩',
        error: 'Autumn said: {"message":"bad \\"request\\""}\nline 2\ttab',
        properties: {
          quote: 'he said "hi" and \'bye\'',
          backslash: 'C:\\path\\n\\"',
          emoji: '👩‍💻🚀🏳️‍🌈',
          cjk: '漢字かなカナ한국어',
          rtl: 'مرحبا بالعالم',
          combining: 'e\u0301 vs \u00e9',
          nul: 'a\u0000b',
          controls: 'line1\nline2\r\n\t\u0007\u001b[31m',
          loneSurrogate: 'x\ud800y',
          json: '{"a":[1,2,{"b":null}]}',
          lua: ']]--[[ redis.call("FLUSHALL") ',
          'ключ "с" кавычками': 'значение',
          '': 'empty key',
          number: 1.5,
          big: Number.MAX_SAFE_INTEGER,
          negative: -0.1,
          yes: true,
          no: false,
          nothing: null,
        },
        usage: { inputTokens: 123456789, 'cache read "tokens"': 7 },
      });
      await a.put(tricky);
      const [read] = await b.list();
      expect(read).toEqual(tricky);
      expect(JSON.stringify(read)).toBe(JSON.stringify(tricky));
      expect(read!.properties.loneSurrogate).toBe('x\ud800y');
      expect(read!.properties.nul).toBe('a\u0000b');
      // Found, leased and deleted by that id.
      expect(await b.lease(tricky.id, 'owner "ü"', 60_000)).toBe(true);
      expect(await a.lease(tricky.id, 'owner "ü"', 60_000)).toBe(true);
      expect(await a.lease(tricky.id, 'owner "u"', 60_000)).toBe(false);
      await a.delete(tricky.id);
      expect(await b.list()).toEqual([]);
    });

    it('keeps decimal-string credits exactly', async () => {
      const { a, b } = fresh();
      const credits = ['123456789012.3456789', '0.000000000000000001', '99999999999999999999.99', '0', '-12.5000'];
      for (const [i, c] of credits.entries()) await a.put(entry(`chg_${i}`, 1_000 + i, { credits: c }));
      await a.put(entry('chg_unpriced', 9_000, { reason: 'unpriced', credits: null, model: null }));
      const listed = await b.list();
      expect(listed.map((e) => e.credits)).toEqual([...credits, null]);
      expect(listed[0]!.credits).toBe('123456789012.3456789');
    });

    it('two processes on one store see each other’s entries and leases', async () => {
      const { a, b } = fresh();
      await a.put(entry('chg_1', 1_000));
      await b.put(entry('chg_2', 2_000));
      expect((await a.list()).map((e) => e.id)).toEqual(['chg_1', 'chg_2']);
      expect((await b.list()).map((e) => e.id)).toEqual(['chg_1', 'chg_2']);

      expect(await a.lease('chg_1', 'replayer-a', 60_000)).toBe(true);
      expect(await b.lease('chg_1', 'replayer-b', 60_000)).toBe(false);
      // A lease belongs to its owner, not to a connection.
      expect(await b.lease('chg_1', 'replayer-a', 60_000)).toBe(true);
      await b.release('chg_1', 'replayer-b');
      expect(await a.lease('chg_1', 'replayer-b', 60_000)).toBe(false);
      await b.release('chg_1', 'replayer-a');
      expect(await a.lease('chg_1', 'replayer-b', 60_000)).toBe(true);

      await b.delete('chg_1');
      expect((await a.list()).map((e) => e.id)).toEqual(['chg_2']);
    });

    it('another outbox (another namespace) shares nothing', async () => {
      const one = fresh();
      const other = fresh();
      await one.a.put(entry('chg_1', 1_000));
      expect(await one.a.lease('chg_1', 'replayer-a', 60_000)).toBe(true);
      expect(await other.a.list()).toEqual([]);
      // No entry there: nothing to lease. Once it has its own, its lease is its own too.
      expect(await other.b.lease('chg_1', 'replayer-b', 60_000)).toBe(false);
      await other.a.put(entry('chg_1', 1_000));
      expect(await other.b.lease('chg_1', 'replayer-b', 60_000)).toBe(true);
    });
  });
}

// In one process every handle on a namespace is the same store.
const memoryStores = new Map<string, OutboxStore>();
describeOutboxContract('memoryOutbox', (namespace) => {
  let store = memoryStores.get(namespace);
  if (!store) memoryStores.set(namespace, (store = memoryOutbox()));
  return store;
});

const REDIS = redisServerForTests();

describe.skipIf(!REDIS)('redisOutbox on a real redis-server', () => {
  let redis: RunningRedis;
  let second: RedisCommand;
  beforeAll(async () => {
    redis = await startRedis();
    second = await redis.connect();
  }, 30_000);
  afterAll(async () => {
    await redis?.stop();
  });

  const prefixOf = (namespace: string) => `test:${namespace}:`;
  describeOutboxContract('redisOutbox', (namespace, process) =>
    redisOutbox({ command: (args) => (process === 0 ? redis.command(args) : second(args)), prefix: prefixOf(namespace) }),
  );

  describe('redisOutbox: the keys it writes', () => {
    it('an entry hash, a sorted set by createdAt and one expiring lease key per entry; delete leaves none', async () => {
      const prefix = 'layout:';
      const store = redisOutbox({ command: redis.command, prefix });
      const e = entry('chg_1', 1_700_000_000_123);
      await store.put(e);
      expect(JSON.parse(String(await redis.command(['HGET', `${prefix}entries`, 'chg_1'])))).toEqual(e);
      expect(await redis.command(['ZSCORE', `${prefix}order`, 'chg_1'])).toBe('1700000000123');
      expect(await store.lease('chg_1', 'replayer-a', 5_000)).toBe(true);
      expect(await redis.command(['GET', `${prefix}lease:chg_1`])).toBe('replayer-a');
      const pttl = Number(await redis.command(['PTTL', `${prefix}lease:chg_1`]));
      expect(pttl).toBeGreaterThan(0);
      expect(pttl).toBeLessThanOrEqual(5_000);
      await store.delete('chg_1');
      expect(await redis.command(['EXISTS', `${prefix}entries`, `${prefix}order`, `${prefix}lease:chg_1`])).toBe(0);
    });

    it('uses autumn-ai-credits:outbox: by default', async () => {
      const store = redisOutbox({ command: redis.command });
      await store.put(entry('chg_default', 1_000));
      expect(await redis.command(['HEXISTS', 'autumn-ai-credits:outbox:entries', 'chg_default'])).toBe(1);
      await store.delete('chg_default');
      expect(await redis.command(['EXISTS', 'autumn-ai-credits:outbox:entries'])).toBe(0);
    });

    it('a lease of 0 or a fraction of a ms is still a valid PX (at least 1 ms, rounded up)', async () => {
      const store = redisOutbox({ command: redis.command, prefix: 'px:' });
      await store.put(entry('chg_1', 1_000));
      await store.put(entry('chg_2', 1_000));
      expect(await store.lease('chg_1', 'replayer-a', 0)).toBe(true);
      expect(await store.lease('chg_2', 'replayer-a', 0.2)).toBe(true);
      await expect(store.lease('chg_3', 'replayer-a', Number.NaN)).rejects.toThrow(RangeError);
    });

    it('lists 2,000 entries oldest first without KEYS or SCAN', async () => {
      const store = redisOutbox({ command: redis.command, prefix: 'many:' });
      const count = 2_000;
      // Written newest first, in parallel.
      await Promise.all(Array.from({ length: count }, (_, i) => store.put(entry(`chg_${count - i}`, 1_000 + count - i))));
      await redis.command(['CONFIG', 'RESETSTAT']);
      const started = performance.now();
      const listed = await store.list();
      const ms = performance.now() - started;
      expect(listed.map((e) => e.id)).toEqual(Array.from({ length: count }, (_, i) => `chg_${i + 1}`));
      const stats = String(await redis.command(['INFO', 'commandstats']));
      expect(stats).not.toMatch(/cmdstat_(keys|scan):/);
      expect(ms).toBeLessThan(2_000);
    });

    it('reads replies given as Buffers (a client in buffer mode) as well as strings', async () => {
      const toBuffers = (reply: unknown): unknown =>
        typeof reply === 'string' ? Buffer.from(reply, 'utf8') : Array.isArray(reply) ? reply.map(toBuffers) : reply;
      const store = redisOutbox({ command: async (args) => toBuffers(await redis.command(args)), prefix: 'buffers:' });
      const e = entry('chg_ü', 1_000, { properties: { emoji: '🚀 "x"' } });
      await store.put(e);
      expect(await store.list()).toEqual([e]);
    });
  });
});
