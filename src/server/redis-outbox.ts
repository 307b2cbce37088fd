/**
 * The outbox on Redis, for apps that outgrow one process: every instance of a serverless app (and its replay cron)
 * sees the same entries and the same leases.
 *
 * It takes a command function rather than a client, so it works with any client and pulls none into the bundle:
 *
 *   node-redis: redisOutbox({ command: (args) => client.sendCommand([...args]) })
 *   ioredis:    redisOutbox({ command: (args) => client.call(args[0]!, ...args.slice(1)) })
 *
 * Keys (`prefix` defaults to `autumn-ai-credits:outbox:`):
 *   <prefix>entries      hash: id → the entry as JSON
 *   <prefix>order        sorted set: id scored by createdAt, so `list()` reads oldest first in O(n), no KEYS scan
 *   <prefix>lease:<id>   string: the owner holding the entry's lease, expiring by itself (PX)
 *
 * Every write touching more than one key is one Lua script (EVAL), so the hash and the sorted set never disagree and
 * leases are taken and released atomically whatever other processes do. Lease expiry is Redis's clock, not the app's.
 * On Redis Cluster, give the prefix a hash tag (`'{autumn-ai-credits:outbox}:'`) so a script's keys share one slot.
 */
import type { OutboxEntry, OutboxStore } from './outbox.js';

/** Sends one Redis command (`['SET', 'k', 'v']`) and resolves to its reply. */
export type RedisCommand = (args: readonly string[]) => Promise<unknown>;

export interface RedisOutboxOptions {
  /** Sends one command through your client: see the examples at the top of this file. */
  readonly command: RedisCommand;
  /** Prefix of every key the outbox uses; default `'autumn-ai-credits:outbox:'`. */
  readonly prefix?: string;
}

const DEFAULT_PREFIX = 'autumn-ai-credits:outbox:';

/** KEYS: entries, order. ARGV: id, json, createdAt. */
const PUT = `redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 1`;

/** KEYS: entries, order, lease. ARGV: id. */
const DELETE = `redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('DEL', KEYS[3])
return 1`;

/**
 * KEYS: entries, order. One snapshot: the ids oldest first, then their JSON (an id without JSON cannot happen). HMGET
 * in chunks: Lua's unpack() fails past a few thousand values.
 */
const LIST = `local ids = redis.call('ZRANGE', KEYS[2], 0, -1)
local out = {}
for first = 1, #ids, 500 do
  local values = redis.call('HMGET', KEYS[1], unpack(ids, first, math.min(first + 499, #ids)))
  for i = 1, #values do
    if values[i] then out[#out + 1] = values[i] end
  end
end
return out`;

/**
 * KEYS: lease, entries. ARGV: owner, ms, id. Free or already ours, and the entry still there: (re)take it for ms. An
 * entry another replayer has settled (deleted) cannot be leased, so a replayer working from an older list never
 * sends it again nor writes it back.
 */
const LEASE = `if redis.call('HEXISTS', KEYS[2], ARGV[3]) == 0 then
  return 0
end
local holder = redis.call('GET', KEYS[1])
if holder == false or holder == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

/** KEYS: lease. ARGV: owner. Compare-and-delete: a lease that expired and was taken by another stays theirs. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;

const utf8 = new TextDecoder();

/** A bulk-string reply as text: clients answer strings, some Buffers. */
function text(reply: unknown, what: string): string {
  if (typeof reply === 'string') return reply;
  if (reply instanceof Uint8Array) return utf8.decode(reply);
  throw new TypeError(`redisOutbox: ${what}: expected a string reply, got ${describe(reply)}`);
}

/** An integer reply as a number: most clients answer a number, some a string or bigint. */
function integer(reply: unknown, what: string): number {
  if (typeof reply === 'number') return reply;
  if (typeof reply === 'bigint') return Number(reply);
  if (typeof reply === 'string' && /^-?\d+$/.test(reply)) return Number(reply);
  throw new TypeError(`redisOutbox: ${what}: expected an integer reply, got ${describe(reply)}`);
}

function describe(reply: unknown): string {
  if (reply === null) return 'null';
  if (Array.isArray(reply)) return 'an array';
  return typeof reply;
}

function parseEntry(json: string): OutboxEntry {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error(`redisOutbox: an entry is not JSON: ${json.slice(0, 80)}`);
  }
  if (typeof value !== 'object' || value === null || typeof (value as { id?: unknown }).id !== 'string') {
    throw new Error(`redisOutbox: an entry is not an outbox entry: ${json.slice(0, 80)}`);
  }
  return value as OutboxEntry;
}

/** The outbox on Redis: shared by every process that uses the same server and prefix. */
export function redisOutbox(options: RedisOutboxOptions): OutboxStore {
  const { command } = options;
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const entriesKey = `${prefix}entries`;
  const orderKey = `${prefix}order`;
  const leaseKey = (id: string) => `${prefix}lease:${id}`;
  const evalScript = (script: string, keys: readonly string[], args: readonly string[]) =>
    command(['EVAL', script, String(keys.length), ...keys, ...args]);

  return {
    async put(entry) {
      if (!Number.isFinite(entry.createdAt)) {
        throw new RangeError(`redisOutbox: entry ${entry.id}: createdAt must be a finite number, got ${entry.createdAt}`);
      }
      await evalScript(PUT, [entriesKey, orderKey], [entry.id, JSON.stringify(entry), String(entry.createdAt)]);
    },
    async delete(id) {
      await evalScript(DELETE, [entriesKey, orderKey, leaseKey(id)], [id]);
    },
    async list() {
      const reply = await evalScript(LIST, [entriesKey, orderKey], []);
      if (!Array.isArray(reply)) throw new TypeError(`redisOutbox: list: expected an array reply, got ${describe(reply)}`);
      return reply.map((item: unknown) => parseEntry(text(item, 'list')));
    },
    async lease(id, owner, leaseMs) {
      if (!Number.isFinite(leaseMs)) throw new RangeError(`redisOutbox: leaseMs must be a finite number, got ${leaseMs}`);
      // PX takes a positive integer; a lease is never shorter than asked.
      const ms = Math.max(1, Math.ceil(leaseMs));
      return integer(await evalScript(LEASE, [leaseKey(id), entriesKey], [owner, String(ms), id]), 'lease') === 1;
    },
    async release(id, owner) {
      await evalScript(RELEASE, [leaseKey(id)], [owner]);
    },
  };
}
