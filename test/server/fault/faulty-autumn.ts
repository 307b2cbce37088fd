/**
 * A fault-injecting Autumn for the exactly-once tests (issue 12, "How it is checked").
 *
 * It is a `fetch` function — for the kit's client (`autumnHttpClient({ fetch })`) and for autumn-js
 * (`new HTTPClient({ fetcher })`) — that forwards to an Autumn stand-in (`standIn.handle(request)`, the
 * conformance-checked truth about balances, locks and idempotency keys) and plays faults on the three endpoints the
 * meter's protocol uses: `balances.check`, `balances.track`, `balances.finalize`. Other routes pass through.
 *
 * Faults (what Autumn applied / what the client sees):
 *
 * | kind                  | applied at Autumn                         | the client sees                                      |
 * |-----------------------|-------------------------------------------|------------------------------------------------------|
 * | `error-after-apply`   | yes, now                                  | 500 `internal_error`                                 |
 * | `drop-before`         | no                                        | `TypeError: fetch failed`                            |
 * | `drop-after`          | yes, now                                  | `TypeError: fetch failed`                            |
 * | `hang`                | never                                     | nothing until its deadline (the AbortSignal)         |
 * | `hang-apply-late`     | `lateMs` after the client gave up: the request reaches Autumn late, holding nothing meanwhile | nothing (abort) |
 * | `processing-apply`    | it reached Autumn and holds its idempotency key (track) / lock claim (finalize, check) while it is processed; applied `lateMs` after the client gave up | nothing (abort); a copy sent meanwhile gets 409 |
 * | `processing-fail`     | as above, but the processing fails: nothing applied, the key is given back (Autumn's rule) | same |
 * | `malformed-200`       | yes, now                                  | 200 with a truncated / garbage body                  |
 * | `late-duplicate`      | yes, now — and an exact copy is re-sent by `flushDuplicates()` after the flow | the real answer |
 * | `conflict-processing` | no                                        | 409 `RESERVATION_ALREADY_PROCESSING` (another finalize of the lock holds its claim) |
 * | `expire-locks`        | no; the stand-in clock moves past every lock's `expires_at` first | `TypeError: fetch failed` (the retry comes after the expiry) |
 * | `fail-open`           | no (check only: Autumn's own fallback)    | 202 `{ allowed: true, customer_id, required_balance, balance: null, flag: null }` |
 *
 * While a `processing-*` request is in flight, Autumn answers a request carrying the same idempotency key with 409
 * `duplicate_idempotency_key` (it claims keys with SET NX when a request starts, and deletes the key when the request
 * fails), and a finalize of the same lock with 409 `RESERVATION_ALREADY_PROCESSING`; the double answers those
 * itself, without forwarding, as Autumn would.
 *
 * Modes: scripted (`script(endpoint, ...faults)`: the next requests to that endpoint get these faults, `null` =
 * healthy) and random (seeded PRNG, a rate per endpoint, a kind drawn uniformly from the endpoint's kinds). Scripted
 * faults come first. Every request is recorded.
 */
import type { AutumnStandIn } from '../../../src/testing.js';

export const ENDPOINTS = ['balances.check', 'balances.track', 'balances.finalize'] as const;
export type Endpoint = (typeof ENDPOINTS)[number];

export const FAULT_KINDS = [
  'error-after-apply',
  'drop-before',
  'drop-after',
  'hang',
  'hang-apply-late',
  'processing-apply',
  'processing-fail',
  'malformed-200',
  'late-duplicate',
  'conflict-processing',
  'expire-locks',
  'fail-open',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** What Autumn can really do on each endpoint (the random mode's default kinds). */
export const REALISTIC_KINDS: Readonly<Record<Endpoint, readonly FaultKind[]>> = {
  // A check is never "processing" under another request's key (each attempt has its own lock id): no 409 kinds.
  'balances.check': ['error-after-apply', 'drop-before', 'drop-after', 'hang', 'hang-apply-late', 'processing-apply', 'processing-fail', 'malformed-200', 'late-duplicate', 'expire-locks', 'fail-open'],
  // RESERVATION_ALREADY_PROCESSING is a lock-receipt answer; a track in flight makes a copy answer 409 duplicate key.
  'balances.track': ['error-after-apply', 'drop-before', 'drop-after', 'hang', 'hang-apply-late', 'processing-apply', 'processing-fail', 'malformed-200', 'late-duplicate', 'expire-locks'],
  'balances.finalize': ['error-after-apply', 'drop-before', 'drop-after', 'hang', 'hang-apply-late', 'processing-apply', 'processing-fail', 'malformed-200', 'late-duplicate', 'conflict-processing', 'expire-locks'],
};

/** Mulberry32: a small seeded PRNG, so a failing run can be replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How a request ended for the client. */
export type ClientOutcome = { readonly status: number } | { readonly error: string } | 'pending';

export interface RecordedRequest {
  readonly seq: number;
  readonly route: string;
  readonly body: Record<string, unknown>;
  readonly idempotencyKey: string | null;
  /** The fault played, `processing-conflict` when the double answered 409 for a request still in flight, or null. */
  readonly fault: FaultKind | 'processing-conflict' | null;
  /** What the client got. */
  outcome: ClientOutcome;
  /** What the stand-in answered when the request was applied (now or late); null if it never reached it. */
  applied: { readonly status: number; readonly body: unknown; readonly late: boolean } | null;
}

export interface DuplicateRecord {
  readonly seq: number;
  readonly route: string;
  readonly body: Record<string, unknown>;
  readonly status: number;
  readonly response: unknown;
}

export interface FaultyAutumnOptions {
  readonly standIn: AutumnStandIn;
  /** Seed of the random mode (and of the garbage bodies). Default 1. */
  readonly seed?: number;
  /** Fault rate per endpoint in random mode (0..1). Default: no random faults. */
  readonly rates?: Partial<Record<Endpoint, number>>;
  /** Kinds drawn in random mode. Default `REALISTIC_KINDS`. */
  readonly kinds?: Partial<Record<Endpoint, readonly FaultKind[]>>;
  /** How long after the client gave up a late request ends (ms, real time): a number or [min, max]. Default 5. */
  readonly lateMs?: number | readonly [number, number];
}

export interface FaultyAutumn {
  /** The fetch to give the kit's client or autumn-js's HTTPClient. */
  readonly fetch: typeof fetch;
  /** Queues faults for the next requests to `route` (in order; `null` = healthy). */
  script(route: Endpoint | string, ...faults: Array<FaultKind | null>): void;
  /** Turns the random mode on or off (scripts still play). */
  random: boolean;
  readonly requests: readonly RecordedRequest[];
  /** Requests of a route, in order. */
  requestsTo(route: Endpoint | string): readonly RecordedRequest[];
  /** Faults played, by endpoint and kind. */
  readonly counts: Readonly<Record<string, Record<string, number>>>;
  /** Lock ids whose check got the 202 fail-open answer. */
  readonly failOpenLockIds: ReadonlySet<string>;
  /** Late duplicates re-sent so far, with what Autumn answered them. */
  readonly duplicates: readonly DuplicateRecord[];
  /** Late duplicates not sent yet. */
  readonly pendingDuplicates: number;
  /** Re-sends every pending late duplicate now (the flow is over), in order; returns what they got. */
  flushDuplicates(): Promise<DuplicateRecord[]>;
  /** Waits until every request still "in flight" at Autumn (applied late, processing) has ended. */
  settle(): Promise<void>;
  /** Requests in flight at Autumn now. */
  readonly inFlight: number;
  /** Clears scripts (not the records). */
  clearScripts(): void;
}

interface Parts {
  readonly url: string;
  readonly method: string;
  readonly headers: [string, string][];
  readonly text: string;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

function jsonResponse(body: unknown, status: number): Response {
  return new Response(JSON.stringify(body), { status, headers: JSON_HEADERS });
}

function parse(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function routeOf(url: string): string {
  const match = /\/v1\/(.+?)\/?$/.exec(new URL(url).pathname);
  return match ? match[1]! : new URL(url).pathname;
}

/**
 * The request as plain parts. A `Request` is read as is (autumn-js sends one); a URL + init (the kit's client) is
 * read from the init without building a `Request`, which costs undici far more than everything else here does.
 */
async function partsOf(input: RequestInfo | URL, init: RequestInit | undefined): Promise<{ parts: Parts; signal: AbortSignal | null }> {
  if (input instanceof Request) {
    const request = init === undefined ? input : new Request(input, init);
    const text = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
    return { parts: { url: request.url, method: request.method, headers: [...request.headers.entries()], text }, signal: init?.signal ?? request.signal ?? null };
  }
  const headers: [string, string][] = [];
  const given = init?.headers;
  if (given && !(given instanceof Headers) && !Array.isArray(given)) {
    // A plain object (what the kit's client sends): checked as fetch checks header values, without undici's Headers.
    for (const [name, value] of Object.entries(given)) {
      if (!/^[^\0\r\n]*$/.test(value) || !/^[\x00-\xff]*$/.test(value)) throw new TypeError(`Headers.append: "${value}" is an invalid header value.`);
      headers.push([name.toLowerCase(), value.trim()]);
    }
  } else if (given) new Headers(given).forEach((value, name) => headers.push([name, value]));
  const body = init?.body;
  const text = body === undefined || body === null ? '' : typeof body === 'string' ? body : await new Response(body).text();
  return { parts: { url: String(input), method: (init?.method ?? 'GET').toUpperCase(), headers, text }, signal: init?.signal ?? null };
}

const NEVER_ABORTED = new AbortController().signal;

/** What `standIn.handle` reads of a request (url, method, headers, text, signal), without an undici `Request`. */
function requestLike(parts: Parts): Request {
  const headers = new Map(parts.headers.map(([name, value]) => [name.toLowerCase(), value]));
  const like = {
    url: parts.url,
    method: parts.method,
    headers: { get: (name: string) => headers.get(name.toLowerCase()) ?? null, has: (name: string) => headers.has(name.toLowerCase()) },
    text: async () => parts.text,
    signal: NEVER_ABORTED,
  };
  return like as unknown as Request;
}

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}

export function createFaultyAutumn(options: FaultyAutumnOptions): FaultyAutumn {
  const { standIn } = options;
  const random = prng(options.seed ?? 1);
  const garbage = prng((options.seed ?? 1) ^ 0x5bd1e995);
  const rates = options.rates ?? {};
  const kinds = { ...REALISTIC_KINDS, ...options.kinds };
  const lateRange: readonly [number, number] = typeof options.lateMs === 'number' ? [options.lateMs, options.lateMs] : (options.lateMs ?? [5, 5]);
  const scripts = new Map<string, Array<FaultKind | null>>();
  const requests: RecordedRequest[] = [];
  const counts: Record<string, Record<string, number>> = {};
  const failOpenLockIds = new Set<string>();
  const duplicates: DuplicateRecord[] = [];
  const pendingDuplicates: Array<{ seq: number; route: string; parts: Parts; body: Record<string, unknown> }> = [];
  /** Idempotency keys / lock claims held by requests being processed at Autumn. */
  const processing = new Set<string>();
  const late = new Set<Promise<void>>();
  /** Every lock expiry the meter asked for, for `expire-locks`. */
  let latestLockExpiry = 0;
  let seq = 0;
  let randomOn = Object.values(rates).some((rate) => (rate ?? 0) > 0);

  const lateDelay = () => lateRange[0] + Math.floor(random() * (lateRange[1] - lateRange[0] + 1));

  function count(route: string, kind: string): void {
    (counts[route] ??= {})[kind] = (counts[route]![kind] ?? 0) + 1;
  }

  function pick(route: string): FaultKind | null {
    const queue = scripts.get(route);
    if (queue && queue.length > 0) return queue.shift()!;
    if (!randomOn) return null;
    const rate = rates[route as Endpoint] ?? 0;
    if (rate <= 0) return null;
    // Two draws per request whatever the outcome, so one seed gives one sequence.
    const hit = random() < rate;
    const choices = kinds[route as Endpoint] ?? [];
    const choice = choices[Math.floor(random() * choices.length)];
    return hit && choice !== undefined ? choice : null;
  }

  /** The claim a request holds while processed: its idempotency key (track), its lock id (finalize, check). */
  function claimOf(route: string, body: Record<string, unknown>, key: string | null): string | null {
    if (route === 'balances.track') return key === null ? null : `key:${key}`;
    if (route === 'balances.finalize') return typeof body.lock_id === 'string' ? `lock:${body.lock_id}` : null;
    if (route === 'balances.check') {
      const lock = body.lock as { lock_id?: unknown } | undefined;
      return typeof lock?.lock_id === 'string' ? `check:${lock.lock_id}` : null;
    }
    return null;
  }

  async function forward(parts: Parts): Promise<{ status: number; text: string; headers: Headers }> {
    const response = await standIn.handle(requestLike(parts));
    return { status: response.status, text: await response.text(), headers: response.headers };
  }

  function noteApplied(record: RecordedRequest, answer: { status: number; text: string }, lateApplied: boolean): void {
    record.applied = { status: answer.status, body: parse(answer.text), late: lateApplied };
  }

  /** Never answers; rejects like fetch when the client aborts. `onAbort` runs once the client gave up. */
  function hang(signal: AbortSignal | null, onAbort?: () => void): Promise<Response> {
    return new Promise<Response>((_resolve, reject) => {
      if (!signal) {
        // No deadline from the client: a later step still happens, after lateMs, so settle() ends.
        if (onAbort) setTimeout(onAbort, 0);
        return;
      }
      const abort = () => {
        reject(abortError(signal));
        onAbort?.();
      };
      if (signal.aborted) abort();
      else signal.addEventListener('abort', abort, { once: true });
    });
  }

  function later(work: () => Promise<void>): void {
    const done = new Promise<void>((resolve) => setTimeout(resolve, lateDelay()))
      .then(work)
      .catch(() => {})
      .finally(() => late.delete(done));
    late.add(done);
  }

  async function faultyFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const { parts, signal } = await partsOf(input, init);
    const route = routeOf(parts.url);
    const body = parse(parts.text);
    const key = parts.headers.find(([name]) => name === 'idempotency-key')?.[1] ?? null;
    const lock = body.lock as { expires_at?: unknown } | undefined;
    if (route === 'balances.check' && typeof lock?.expires_at === 'number') latestLockExpiry = Math.max(latestLockExpiry, lock.expires_at);

    const claim = claimOf(route, body, key);
    const inFlight = claim !== null && processing.has(claim);
    const fault: FaultKind | null = (ENDPOINTS as readonly string[]).includes(route) && !inFlight ? pick(route) : null;
    const record: RecordedRequest = { seq: ++seq, route, body, idempotencyKey: key, fault: inFlight ? 'processing-conflict' : fault, outcome: 'pending', applied: null };
    requests.push(record);
    if (fault) count(route, fault);

    const answer = (response: Response): Response => {
      record.outcome = { status: response.status };
      return response;
    };
    const fail = (error: unknown): never => {
      record.outcome = { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
      throw error;
    };

    if (signal?.aborted) fail(abortError(signal));

    if (inFlight) {
      // Autumn claimed the key / the lock receipt for the request still being processed.
      count(route, 'processing-conflict');
      return route === 'balances.track'
        ? answer(jsonResponse({ message: `Another request with idempotency key ${key} has already been received`, code: 'duplicate_idempotency_key', env: 'sandbox' }, 409))
        : answer(jsonResponse({ message: 'Lock receipt not claimable: RESERVATION_ALREADY_PROCESSING', code: 'invalid_request', env: 'sandbox' }, 409));
    }

    switch (fault) {
      case null: {
        // Autumn's own answer, untouched (its body is not read here: the client reads it).
        const response = await standIn.handle(requestLike(parts));
        record.applied = { status: response.status, body: null, late: false };
        return answer(response);
      }
      case 'error-after-apply': {
        noteApplied(record, await forward(parts), false);
        return answer(jsonResponse({ message: 'Internal server error', code: 'internal_error', env: 'sandbox' }, 500));
      }
      case 'drop-before':
        return fail(new TypeError('fetch failed'));
      case 'drop-after': {
        noteApplied(record, await forward(parts), false);
        return fail(new TypeError('fetch failed'));
      }
      case 'hang':
        return hang(signal).catch(fail);
      case 'hang-apply-late':
        return hang(signal, () => later(async () => noteApplied(record, await forward(parts), true))).catch(fail);
      case 'processing-apply':
      case 'processing-fail': {
        if (claim) processing.add(claim);
        return hang(signal, () =>
          later(async () => {
            try {
              if (fault === 'processing-apply') noteApplied(record, await forward(parts), true);
            } finally {
              if (claim) processing.delete(claim);
            }
          }),
        ).catch(fail);
      }
      case 'malformed-200': {
        const real = await forward(parts);
        noteApplied(record, real, false);
        const bodies = [real.text.slice(0, Math.floor(real.text.length / 2)), '<html><body>502 Bad Gateway</body></html>', '{"allowed":tru', 'null', '[]', `${real.text}}`];
        const broken = bodies[Math.floor(garbage() * bodies.length)]!;
        return answer(new Response(broken, { status: 200, headers: JSON_HEADERS }));
      }
      case 'late-duplicate': {
        const real = await forward(parts);
        noteApplied(record, real, false);
        pendingDuplicates.push({ seq: record.seq, route, parts, body });
        return answer(new Response(real.text, { status: real.status, headers: real.headers }));
      }
      case 'conflict-processing':
        return answer(jsonResponse({ message: 'Lock receipt not claimable: RESERVATION_ALREADY_PROCESSING', code: 'invalid_request', env: 'sandbox' }, 409));
      case 'expire-locks': {
        if (latestLockExpiry >= standIn.clock.now()) standIn.clock.set(latestLockExpiry + 1);
        return fail(new TypeError('fetch failed'));
      }
      case 'fail-open': {
        if (route !== 'balances.check') {
          const real = await forward(parts);
          noteApplied(record, real, false);
          return answer(new Response(real.text, { status: real.status, headers: real.headers }));
        }
        const lockId = (body.lock as { lock_id?: unknown } | undefined)?.lock_id;
        if (typeof lockId === 'string') failOpenLockIds.add(lockId);
        const required = body.required_balance;
        return answer(
          jsonResponse({ allowed: true, customer_id: typeof body.customer_id === 'string' ? body.customer_id : '', required_balance: typeof required === 'number' ? required : 1, balance: null, flag: null }, 202),
        );
      }
    }
  }

  return {
    fetch: faultyFetch as typeof fetch,
    script(route, ...faults) {
      scripts.set(route, [...(scripts.get(route) ?? []), ...faults]);
    },
    get random() {
      return randomOn;
    },
    set random(on: boolean) {
      randomOn = on;
    },
    requests,
    requestsTo(route) {
      return requests.filter((request) => request.route === route);
    },
    counts,
    failOpenLockIds,
    duplicates,
    get pendingDuplicates() {
      return pendingDuplicates.length;
    },
    async flushDuplicates() {
      const sent: DuplicateRecord[] = [];
      while (pendingDuplicates.length > 0) {
        const { seq: original, route, parts, body } = pendingDuplicates.shift()!;
        const real = await forward(parts);
        const record: DuplicateRecord = { seq: original, route, body, status: real.status, response: parse(real.text) };
        duplicates.push(record);
        sent.push(record);
      }
      return sent;
    },
    async settle() {
      while (late.size > 0) await Promise.all([...late]);
    },
    get inFlight() {
      return late.size;
    },
    clearScripts() {
      scripts.clear();
    },
  };
}
