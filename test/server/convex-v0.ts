/**
 * `@useautumn/convex` 0.0.23's `Autumn` class as the 0.x meter sees it, built the way that class is: the REAL
 * autumn-js 0.1.85 (installed here as `autumn-js-0`) against the stand-in's 0.x routes, the customer from
 * `identify(ctx)` (a throw when it finds nobody, as the class does), args snake-cased into the request, and the SDK
 * result passed through its `wrapSdkCall` (`{ data, error: { message, code } | null, statusCode }`, never a throw).
 * The package itself needs a Convex runtime (convex-test): `examples/convex` runs it for real.
 */
import { Autumn as AutumnV0 } from 'autumn-js-0';
import type { ConvexAutumnLike } from '../../src/server.js';

export type Ctx = { org: string | null };

type Wrapped = { data: any; error: { message: string; code: string } | null; statusCode?: number };

async function wrapSdkCall(call: () => Promise<{ data: unknown; error: unknown; statusCode?: number }>): Promise<Wrapped> {
  try {
    const result = await call();
    const error = result.error as { message?: unknown; code?: unknown } | null;
    return {
      data: result.data,
      error: error ? { message: typeof error.message === 'string' ? error.message : JSON.stringify(error.message ?? 'Unknown error'), code: typeof error.code === 'string' ? error.code : 'unknown_error' } : null,
      ...(result.statusCode === undefined ? {} : { statusCode: result.statusCode }),
    };
  } catch (error) {
    return { data: null, error: { message: error instanceof Error ? error.message : String(error), code: 'unknown_error' } };
  }
}

export interface ConvexAutumnV0 extends ConvexAutumnLike<Ctx> {
  /** Requests made, e.g. `track:key_1`. */
  readonly calls: string[];
  /** Makes the next `n` tracks reach Autumn but lose the answer (a dropped response): Autumn applied them. */
  loseAnswers(n: number): void;
}

export function convexAutumnV0(standIn: { url: string; secretKey: string }): ConvexAutumnV0 {
  const sdk = new AutumnV0({ secretKey: standIn.secretKey, url: `${standIn.url}/v1` });
  const calls: string[] = [];
  let lose = 0;
  const identify = (ctx: Ctx): string => {
    if (!ctx.org) throw new Error('No customer identifier found for Autumn.identify()');
    return ctx.org;
  };
  return {
    calls,
    loseAnswers(n) {
      lose = n;
    },
    async check(ctx, args) {
      const customerId = identify(ctx);
      calls.push(`check${args.sendEvent ? '+event' : ''}`);
      return wrapSdkCall(() =>
        sdk.check({
          customer_id: customerId,
          feature_id: args.featureId,
          ...(args.requiredBalance === undefined ? {} : { required_balance: args.requiredBalance }),
          ...(args.sendEvent === undefined ? {} : { send_event: args.sendEvent }),
          ...(args.properties === undefined ? {} : { properties: args.properties }),
        } as never),
      );
    },
    async track(ctx, args) {
      const customerId = identify(ctx);
      calls.push(`track:${args.idempotencyKey ?? '-'}`);
      const answer = await wrapSdkCall(() =>
        sdk.track({
          customer_id: customerId,
          feature_id: args.featureId,
          value: args.value,
          ...(args.properties === undefined ? {} : { properties: args.properties }),
          ...(args.idempotencyKey === undefined ? {} : { idempotency_key: args.idempotencyKey }),
        } as never),
      );
      if (lose > 0 && !answer.error) {
        lose -= 1;
        // What wrapSdkCall makes of a connection reset after Autumn applied the track.
        return { data: null, error: { message: 'fetch failed', code: 'unknown_error' } };
      }
      return answer;
    },
  };
}
