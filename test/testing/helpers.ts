/**
 * Shared set-up of the stand-in tests: a stand-in on a real loopback server and the REAL autumn-js SDK pointed at
 * it with fail-open off, so every answer goes through the SDK's own response parsers.
 */
import { Autumn } from 'autumn-js';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { STAND_IN_EPOCH, startAutumnStandIn, type RunningAutumnStandIn, type StartAutumnStandInOptions } from '../../src/testing.js';

export const DAY = 24 * 60 * 60 * 1000;

export function sdk(standIn: { url: string; secretKey: string }, options: { failOpen?: boolean; timeoutMs?: number } = {}): Autumn {
  return new Autumn({
    secretKey: standIn.secretKey,
    serverURL: standIn.url,
    failOpen: options.failOpen ?? false,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
}

/**
 * One server per test file, reset between tests. The clock starts at the fixed {@link STAND_IN_EPOCH} (the stand-in's
 * own default is the real time), so dates in assertions are stable.
 */
export function useStandIn(options: StartAutumnStandInOptions = {}): { readonly standIn: RunningAutumnStandIn; readonly autumn: Autumn } {
  const state: { standIn?: RunningAutumnStandIn; autumn?: Autumn } = {};
  beforeAll(async () => {
    state.standIn = await startAutumnStandIn({ now: STAND_IN_EPOCH, ...options });
    // A generous deadline: on a loaded 2-core machine 250 concurrent requests (L35) can take longer than autumn-js's
    // 5 s default, and a request that timed out keeps running into the next test's fresh state. Tests of deadlines
    // build their own client with `sdk(standIn, { timeoutMs })`.
    state.autumn = sdk(state.standIn, { timeoutMs: 60_000 });
  });
  afterEach(() => state.standIn?.reset());
  afterAll(async () => {
    await state.standIn?.close();
  });
  return {
    get standIn() {
      return state.standIn!;
    },
    get autumn() {
      return state.autumn!;
    },
  };
}

/** Raw POST to the stand-in, for what the SDK cannot send (no key, extension fields). */
export async function post(
  standIn: { url: string; secretKey: string },
  route: string,
  body: unknown,
  headers: Record<string, string> = { authorization: `Bearer ${standIn.secretKey}` },
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${standIn.url}/v1/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? null : JSON.parse(text) };
}

/** The error an SDK promise rejects with. */
export async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}
