/**
 * How the server helpers reach Autumn (internal, not exported): the client from their options, one call with a
 * deadline, and the pause between retries — shared by the meter and `createBillingControls`.
 */
import { AutumnCallError, autumnHttpClient, fromAutumnSdk, type AutumnSdkLike, type CallOptions, type MeterAutumn } from './autumn-http.js';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether a client is already the meter's Autumn (it has `finalize` and `findEvents`), not an autumn-js client. */
function isMeterAutumn(value: AutumnSdkLike | MeterAutumn): value is MeterAutumn {
  return typeof (value as MeterAutumn).finalize === 'function' && typeof (value as MeterAutumn).findEvents === 'function';
}

/**
 * The Autumn the meter and `createBillingControls` talk to, from their options: a `MeterAutumn` as given, an
 * autumn-js 1.x client wrapped, else the kit's own client over HTTP with `secretKey` (checked by the caller).
 */
export function meterAutumnFrom(options: {
  readonly autumn?: AutumnSdkLike | MeterAutumn | undefined;
  readonly secretKey?: string | undefined;
  readonly serverURL?: string | undefined;
  readonly fetch?: typeof fetch | undefined;
}): MeterAutumn {
  if (options.autumn) return isMeterAutumn(options.autumn) ? options.autumn : fromAutumnSdk(options.autumn);
  return autumnHttpClient({
    secretKey: options.secretKey ?? '',
    ...(options.serverURL === undefined ? {} : { serverURL: options.serverURL }),
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
  });
}

/**
 * One Autumn call with a deadline, whatever the client does with the signal: the caller stops waiting at the deadline
 * (an `AutumnCallError('network')`), the signal aborts, and a late rejection of the abandoned promise is caught, never
 * left unhandled. Other failures are the call's own.
 */
export async function callWithDeadline<T>(
  run: (options: CallOptions) => Promise<T>,
  timeoutMs: number,
  idempotencyKey?: string,
): Promise<T> {
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const attempt = run({ signal: controller.signal, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) });
  attempt.catch(() => {});
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new AutumnCallError('network', `no answer from Autumn within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([attempt, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
