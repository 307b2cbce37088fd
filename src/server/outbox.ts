/**
 * The meter's outbox: every charge is written here BEFORE it is sent to Autumn (write-ahead) and removed once Autumn
 * has it, so a charge survives a failed call, a timeout and a crashed process. `replayUnbilled()` sends what is left
 * again under the same idempotency key (Autumn keeps track keys 24 h), which makes a replay from any number of
 * processes at once charge each entry exactly once.
 *
 * A store only keeps entries and hands out short leases, so two replayers do not work on one entry at the same time
 * (the idempotency key would still stop a double charge; the lease saves the wasted call). `memoryOutbox()` is the
 * default (one process); `redisOutbox()` (./redis-outbox.ts) is for apps that outgrow one process.
 */

/** Why an entry is in the outbox. */
export type OutboxReason =
  /** Written before the charge was sent; still there if the process died or the call's outcome is unknown. */
  | 'pending'
  /** Autumn could not be reached or answered ambiguously (timeout, 5xx, malformed answer): replayed automatically. */
  | 'autumn_failed'
  /** Autumn refused it for good (unknown customer, invalid request): a human decides. */
  | 'rejected'
  /** The call could not be priced (no gateway cost, no token price, unreadable usage): a human decides. */
  | 'unpriced';

export interface OutboxEntry {
  /** The charge's id, also its idempotency key at Autumn. */
  readonly id: string;
  readonly reason: OutboxReason;
  readonly customerId: string;
  readonly featureId: string;
  readonly model: string | null;
  /** Credits as an exact decimal string; null when the call could not be priced. */
  readonly credits: string | null;
  readonly properties: Readonly<Record<string, string | number | boolean | null>>;
  /** Token pools of the call, for a human pricing an `unpriced` entry. */
  readonly usage: Readonly<Record<string, number>>;
  readonly error: string | null;
  /** When the charge was first written (ms since epoch). */
  readonly createdAt: number;
  /** When it was last sent to Autumn (ms since epoch); null if never. */
  readonly lastAttemptAt: number | null;
  readonly attempts: number;
  /**
   * Reserve locks to release before this entry is sent again: set on a reservation's remainder (`<id>:charge:rest`),
   * written before its lock is released, so a replay after a crash never tracks it against the call's own hold.
   */
  readonly locks?: readonly string[];
}

export interface OutboxStore {
  /** Writes (or overwrites) an entry. */
  put(entry: OutboxEntry): Promise<void>;
  /** Removes an entry: Autumn has the charge. */
  delete(id: string): Promise<void>;
  /** Every entry, oldest first. */
  list(): Promise<OutboxEntry[]>;
  /**
   * Takes a lease of `leaseMs` on an entry for this replayer; false when another holds it, or when the entry is gone
   * (another replayer settled it). A lease ends by itself (a replayer that died), or with `release`.
   */
  lease(id: string, owner: string, leaseMs: number): Promise<boolean>;
  release(id: string, owner: string): Promise<void>;
}

/** The in-process outbox (the default): entries live as long as the process. */
export function memoryOutbox(now: () => number = Date.now): OutboxStore {
  const entries = new Map<string, OutboxEntry>();
  const leases = new Map<string, { owner: string; until: number }>();
  return {
    async put(entry) {
      entries.set(entry.id, entry);
    },
    async delete(id) {
      entries.delete(id);
      leases.delete(id);
    },
    async list() {
      return [...entries.values()].sort((a, b) => a.createdAt - b.createdAt);
    },
    async lease(id, owner, leaseMs) {
      if (!entries.has(id)) return false;
      const held = leases.get(id);
      if (held && held.owner !== owner && held.until > now()) return false;
      leases.set(id, { owner, until: now() + leaseMs });
      return true;
    },
    async release(id, owner) {
      if (leases.get(id)?.owner === owner) leases.delete(id);
    },
  };
}
