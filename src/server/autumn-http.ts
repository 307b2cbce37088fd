/**
 * The few Autumn 1.x calls the meter makes, and two ways to make them:
 *
 * - `autumnHttpClient({ secretKey })`: the kit's own client over `fetch` (POST `/v1/<op>`, snake_case JSON,
 *   `x-api-version: 2.4.0`). It never fails open, takes a deadline (`AbortSignal`) and an `Idempotency-Key` per call,
 *   and reads every answer itself: a body that is not the JSON it expects is an `AutumnCallError` of kind
 *   `malformed`, never a parse error thrown from deep inside a client (autumn-js 1.3.13 rejects a second, unhandled
 *   promise on a malformed 200, which ends a default Node process).
 * - `fromAutumnSdk(autumn)`: an autumn-js 1.x `Autumn` client, called with per-call `headers` and `signal`. Its own
 *   fail-open placeholders are recognised and refused by the meter.
 */

/** Autumn's `balances.check` answer, as far as the meter reads it. */
export interface CheckAnswer {
  readonly status: number;
  readonly allowed: boolean;
  readonly customerId: string;
  /** Credits left, or null when Autumn sent no balance (its fail-open fallback, or a customer without the feature). */
  readonly remaining: number | null;
}

export interface AggregateAnswer {
  readonly list: ReadonlyArray<{ readonly groupedValues?: Record<string, Record<string, number>> | undefined }>;
}

export interface EventsPage {
  readonly list: ReadonlyArray<{ readonly id: string; readonly value: number; readonly properties: Record<string, unknown> }>;
}

/** Per-call options: a deadline and, for calls that move money, an idempotency key. */
export interface CallOptions {
  readonly signal: AbortSignal;
  readonly idempotencyKey?: string | undefined;
}

/**
 * What a track answered that the meter reads: what it actually deducted, per balance (Autumn's `deductions`,
 * shared/api/balances/track/trackResponseV3.ts). A spend limit caps a track even under `overflow`, silently: the
 * sum of `deductions` is then less than the value sent. `null` when the answer did not say (older API versions, a
 * client of your own that returns nothing).
 */
export interface TrackAnswer {
  readonly deductions: ReadonlyArray<{ readonly featureId: string | null; readonly value: number }> | null;
}

/** `deductions` of a track answer, snake_case (the wire) or camelCase (autumn-js); null when absent or malformed. */
export function trackDeductions(answer: unknown): TrackAnswer['deductions'] {
  const list = isObject(answer) ? answer.deductions : undefined;
  if (!Array.isArray(list)) return null;
  const out: Array<{ featureId: string | null; value: number }> = [];
  for (const item of list) {
    if (!isObject(item) || typeof item.value !== 'number' || !Number.isFinite(item.value)) return null;
    const featureId = typeof item.feature_id === 'string' ? item.feature_id : typeof item.featureId === 'string' ? item.featureId : null;
    out.push({ featureId, value: item.value });
  }
  return out;
}

/** What the meter needs from Autumn. */
export interface MeterAutumn {
  check(body: {
    customer_id: string;
    feature_id: string;
    required_balance: number;
    properties?: Record<string, unknown>;
    lock?: { enabled: true; lock_id: string; expires_at: number };
  }, options: CallOptions): Promise<CheckAnswer>;
  track(body: {
    customer_id: string;
    feature_id: string;
    value: number;
    properties?: Record<string, unknown>;
    overage_behavior?: 'cap' | 'overflow';
  }, options: CallOptions): Promise<TrackAnswer | void>;
  finalize(body: { lock_id: string; action: 'confirm' | 'release'; override_value?: number }, options: CallOptions): Promise<void>;
  aggregate(body: { customer_id: string; feature_id: string; range?: string; group_by?: string; max_groups?: number }, options: CallOptions): Promise<AggregateAnswer>;
  /** Events carrying a property value, for reconciling a charge whose idempotency key has lapsed. */
  findEvents(body: { customer_id: string; feature_id: string; filter_by: Record<string, string> }, options: CallOptions): Promise<EventsPage>;
  /**
   * `customers.get`: the customer as Autumn sends it (snake_case). Optional (a client of your own may leave it out):
   * the billing controls read with it, and the meter reads it to say which limit refused a reservation.
   */
  getCustomer?(body: { customer_id: string; expand?: string[] }, options: CallOptions): Promise<Record<string, unknown>>;
  /** `customers.update` with `billing_controls`; answers the customer (snake_case). Optional, as `getCustomer`. */
  updateCustomer?(body: { customer_id: string; billing_controls: Record<string, unknown> }, options: CallOptions): Promise<Record<string, unknown>>;
}

/** How a call failed. `kind` says what the meter may conclude about whether it took effect. */
export type AutumnCallErrorKind =
  /** Autumn answered with an error status: nothing was applied (a 5xx may still have been, see `isAmbiguous`). */
  | 'status'
  /** No answer: the connection failed or the deadline passed. It may or may not have been applied. */
  | 'network'
  /** A 2xx whose body is not what Autumn sends: applied or not, unknown. */
  | 'malformed';

export class AutumnCallError extends Error {
  readonly kind: AutumnCallErrorKind;
  /** HTTP status, when Autumn answered. */
  readonly statusCode: number | undefined;
  /** Autumn's error code (`customer_not_found`, `duplicate_idempotency_key`...), when it sent one. */
  readonly code: string | undefined;
  constructor(kind: AutumnCallErrorKind, message: string, details: { statusCode?: number; code?: string; cause?: unknown } = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'AutumnCallError';
    this.kind = kind;
    this.statusCode = details.statusCode;
    this.code = details.code;
  }
}

/** Whether a failed call may have taken effect at Autumn (so a retry must be one Autumn can tell from the first). */
export function isAmbiguous(error: unknown): boolean {
  if (!(error instanceof AutumnCallError)) return true;
  return error.kind !== 'status' || (error.statusCode ?? 500) >= 500;
}

/** Whether trying again may help: no answer, a 5xx, a 429. */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof AutumnCallError)) return true;
  if (error.kind !== 'status') return true;
  const status = error.statusCode ?? 500;
  return status === 429 || status >= 500;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export interface AutumnHttpClientOptions {
  readonly secretKey: string;
  /** Autumn's origin (the client appends `/v1/...`). Default `https://api.useautumn.com`. */
  readonly serverURL?: string;
  /** Default the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** Sent as `x-api-version`. Default `2.4.0` (what autumn-js 1.3.13 sends). */
  readonly apiVersion?: string;
}

/** The kit's own Autumn client for the meter. */
export function autumnHttpClient(options: AutumnHttpClientOptions): MeterAutumn {
  const base = (options.serverURL ?? 'https://api.useautumn.com').replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch;
  const version = options.apiVersion ?? '2.4.0';

  async function post(op: string, body: unknown, call: CallOptions): Promise<{ status: number; json: Record<string, unknown> }> {
    let response: Response;
    try {
      response = await doFetch(`${base}/v1/${op}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${options.secretKey}`,
          'content-type': 'application/json',
          'x-api-version': version,
          ...(call.idempotencyKey === undefined ? {} : { 'idempotency-key': call.idempotencyKey }),
        },
        body: JSON.stringify(body),
        signal: call.signal,
      });
    } catch (cause) {
      throw new AutumnCallError('network', `${op}: no answer from Autumn (${cause instanceof Error ? cause.message : String(cause)})`, { cause });
    }
    let text: string;
    try {
      text = await response.text();
    } catch (cause) {
      throw new AutumnCallError('network', `${op}: the answer was cut off`, { cause });
    }
    let json: unknown;
    try {
      json = text === '' ? {} : JSON.parse(text);
    } catch (cause) {
      if (response.ok) throw new AutumnCallError('malformed', `${op}: Autumn answered ${response.status} with a body that is not JSON`, { statusCode: response.status, cause });
      json = {};
    }
    if (!response.ok) {
      const error = isObject(json) ? json : {};
      const code = typeof error.code === 'string' ? error.code : undefined;
      const message = typeof error.message === 'string' ? error.message : `HTTP ${response.status}`;
      throw new AutumnCallError('status', `${op}: ${message}`, { statusCode: response.status, ...(code === undefined ? {} : { code }) });
    }
    if (!isObject(json)) throw new AutumnCallError('malformed', `${op}: Autumn answered ${response.status} with JSON that is not an object`, { statusCode: response.status });
    return { status: response.status, json };
  }

  return {
    async check(body, call) {
      const { status, json } = await post('balances.check', body, call);
      if (typeof json.allowed !== 'boolean') throw new AutumnCallError('malformed', 'balances.check: the answer has no `allowed`', { statusCode: status });
      const balance = isObject(json.balance) ? json.balance : null;
      const remaining = balance && typeof balance.remaining === 'number' && Number.isFinite(balance.remaining) ? balance.remaining : null;
      return { status, allowed: json.allowed, customerId: typeof json.customer_id === 'string' ? json.customer_id : '', remaining };
    },
    async track(body, call) {
      const { json } = await post('balances.track', body, call);
      return { deductions: trackDeductions(json) };
    },
    async finalize(body, call) {
      const { status, json } = await post('balances.finalize', body, call);
      if (json.success !== true) throw new AutumnCallError('malformed', 'balances.finalize: the answer is not { success: true }', { statusCode: status });
    },
    async aggregate(body, call) {
      const { status, json } = await post('events.aggregate', body, call);
      if (!Array.isArray(json.list)) throw new AutumnCallError('malformed', 'events.aggregate: the answer has no list', { statusCode: status });
      return {
        list: json.list.filter(isObject).map((bin) => ({
          groupedValues: isObject(bin.grouped_values) ? (bin.grouped_values as Record<string, Record<string, number>>) : undefined,
        })),
      };
    },
    async getCustomer(body, call) {
      const { status, json } = await post('customers.get', body, call);
      if (typeof json.id !== 'string') throw new AutumnCallError('malformed', 'customers.get: the answer is not a customer', { statusCode: status });
      return json;
    },
    async updateCustomer(body, call) {
      const { status, json } = await post('customers.update', body, call);
      if (typeof json.id !== 'string') throw new AutumnCallError('malformed', 'customers.update: the answer is not a customer', { statusCode: status });
      return json;
    },
    async findEvents(body, call) {
      const { status, json } = await post('events.list', { ...body, limit: 100 }, call);
      if (!Array.isArray(json.list)) throw new AutumnCallError('malformed', 'events.list: the answer has no list', { statusCode: status });
      return {
        list: json.list.filter(isObject).map((event) => ({
          id: String(event.id),
          value: Number(event.value),
          properties: isObject(event.properties) ? event.properties : {},
        })),
      };
    },
  };
}

/** The part of the autumn-js 1.x `Autumn` client `fromAutumnSdk` uses (the real SDK satisfies it). */
export interface AutumnSdkLike {
  check(params: Record<string, unknown>, options?: { headers?: Record<string, string>; signal?: AbortSignal }): Promise<{
    allowed: boolean;
    customerId: string;
    balance?: { remaining?: number } | null;
  }>;
  track(params: Record<string, unknown>, options?: { headers?: Record<string, string>; signal?: AbortSignal }): Promise<unknown>;
  balances: {
    finalize(params: Record<string, unknown>, options?: { headers?: Record<string, string>; signal?: AbortSignal }): Promise<unknown>;
  };
  events: {
    aggregate(params: Record<string, unknown>, options?: { headers?: Record<string, string>; signal?: AbortSignal }): Promise<{
      list: ReadonlyArray<{ groupedValues?: Record<string, Record<string, number>> | undefined }>;
    }>;
    list(params: Record<string, unknown>, options?: { headers?: Record<string, string>; signal?: AbortSignal }): Promise<{
      list: ReadonlyArray<{ id: string; value: number; properties?: Record<string, unknown> | undefined }>;
    }>;
  };
  /** `customers.get` / `customers.update` (autumn-js 1.x): for the billing controls and the refusal reason. */
  customers?: {
    get(params: Record<string, unknown>, options?: { headers?: Record<string, string>; signal?: AbortSignal }): Promise<unknown>;
    update(params: Record<string, unknown>, options?: { headers?: Record<string, string>; signal?: AbortSignal }): Promise<unknown>;
  };
}

/** An autumn-js error as an `AutumnCallError` (its `statusCode` and the `code` in its raw `body`). */
function sdkError(error: unknown, op: string): AutumnCallError {
  if (error instanceof AutumnCallError) return error;
  const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
  const body = (error as { body?: unknown } | null)?.body;
  let code: string | undefined;
  if (typeof body === 'string') {
    try {
      const parsed = JSON.parse(body) as { code?: unknown };
      code = typeof parsed.code === 'string' ? parsed.code : undefined;
    } catch {
      code = undefined;
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  // autumn-js reports a network failure as status 555 and a timeout as an error without a status.
  if (typeof statusCode === 'number' && statusCode !== 555) {
    const malformed = statusCode >= 200 && statusCode < 300;
    return new AutumnCallError(malformed ? 'malformed' : 'status', `${op}: ${message}`, { statusCode, ...(code === undefined ? {} : { code }), cause: error });
  }
  return new AutumnCallError('network', `${op}: ${message}`, { cause: error });
}

/** snake_case body → the SDK's camelCase params, one level deep (the meter's bodies are flat but for `lock`). */
const CAMEL: Readonly<Record<string, string>> = {
  customer_id: 'customerId',
  feature_id: 'featureId',
  required_balance: 'requiredBalance',
  lock_id: 'lockId',
  expires_at: 'expiresAt',
  overage_behavior: 'overageBehavior',
  override_value: 'overrideValue',
  group_by: 'groupBy',
  max_groups: 'maxGroups',
  filter_by: 'filterBy',
};

function camel(body: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key in body) {
    const value = body[key];
    out[CAMEL[key] ?? key] = key === 'lock' && isObject(value) ? camel(value) : value;
  }
  return out;
}

/**
 * Whole objects between the wire's snake_case and the SDK's camelCase, for `billing_controls` and the customer:
 * every key but those of a `properties` or `metadata` record (your event property names, e.g. `user_id`, travel as
 * they are in both).
 */
function convertKeys(value: unknown, key: (name: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => convertKeys(item, key));
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const name in value) {
    const inner = value[name];
    if (name === 'properties' || name === 'metadata') out[key(name)] = inner;
    else if ((name === 'balances' || name === 'flags') && isObject(inner)) {
      // Maps keyed by feature id: the ids stay as they are (a feature may be called `aiCredits`), their values convert.
      const byFeature: Record<string, unknown> = {};
      for (const featureId in inner) byFeature[featureId] = convertKeys(inner[featureId], key);
      out[name] = byFeature;
    } else out[key(name)] = convertKeys(inner, key);
  }
  return out;
}
const toCamel = (name: string): string => name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
const toSnake = (name: string): string => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

/** An autumn-js 1.x client as the meter's Autumn, with per-call headers and signal. */
export function fromAutumnSdk(sdk: AutumnSdkLike): MeterAutumn {
  const options = (call: CallOptions) => ({
    signal: call.signal,
    ...(call.idempotencyKey === undefined ? {} : { headers: { 'idempotency-key': call.idempotencyKey } }),
  });
  const wrap = async <T>(op: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw sdkError(error, op);
    }
  };
  return {
    check: (body, call) =>
      wrap('balances.check', async () => {
        const answer = await sdk.check(camel(body), options(call));
        const remaining = answer.balance?.remaining;
        // autumn-js fails open with `customer_id: null`: an empty customerId marks that placeholder.
        const customerId = typeof answer.customerId === 'string' ? answer.customerId : '';
        return { status: 200, allowed: answer.allowed, customerId, remaining: typeof remaining === 'number' && Number.isFinite(remaining) ? remaining : null };
      }),
    track: (body, call) =>
      wrap('balances.track', async () => {
        const answer = (await sdk.track(camel(body), options(call))) as { customerId?: unknown } | null;
        // autumn-js's fail-open placeholder for a failed track (`customer_id: null, value: 0`) is not a charge.
        if (!answer || typeof answer.customerId !== 'string' || answer.customerId === '') {
          throw new AutumnCallError('network', 'balances.track: autumn-js answered with its fail-open placeholder (Autumn was not reached)');
        }
        return { deductions: trackDeductions(answer) };
      }),
    finalize: (body, call) => wrap('balances.finalize', async () => void (await sdk.balances.finalize(camel(body), options(call)))),
    aggregate: (body, call) => wrap('events.aggregate', () => sdk.events.aggregate(camel(body), options(call))),
    getCustomer: (body, call) =>
      wrap('customers.get', async () => {
        if (!sdk.customers) throw new AutumnCallError('status', 'customers.get: this Autumn client has no customers.get', { statusCode: 501 });
        const answer = convertKeys(await sdk.customers.get(convertKeys(body, toCamel) as Record<string, unknown>, options(call)), toSnake);
        if (!isObject(answer) || typeof answer.id !== 'string') throw new AutumnCallError('malformed', 'customers.get: the answer is not a customer');
        return answer;
      }),
    updateCustomer: (body, call) =>
      wrap('customers.update', async () => {
        if (!sdk.customers) throw new AutumnCallError('status', 'customers.update: this Autumn client has no customers.update', { statusCode: 501 });
        const answer = convertKeys(await sdk.customers.update(convertKeys(body, toCamel) as Record<string, unknown>, options(call)), toSnake);
        if (!isObject(answer) || typeof answer.id !== 'string') throw new AutumnCallError('malformed', 'customers.update: the answer is not a customer');
        return answer;
      }),
    findEvents: (body, call) =>
      wrap('events.list', async () => {
        const page = await sdk.events.list(camel({ ...body, limit: 100 }), options(call));
        return { list: page.list.map((event) => ({ id: event.id, value: event.value, properties: event.properties ?? {} })) };
      }),
  };
}
